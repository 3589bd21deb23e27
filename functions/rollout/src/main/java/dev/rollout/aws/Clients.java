package dev.rollout.aws;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * SDK clients for handlers running in Lambda, built from what Lambda tells the function rather than through the
 * SDK's default chains, which probe system properties, profile files and instance metadata at cold start: the
 * Region from {@code AWS_REGION}, the function's own credentials, one small HTTP client, and timeouts below the
 * functions' 30 s timeout (template.yaml) so that a hung call fails the task, whose Retry runs it again.
 *
 * <p>One client per service (and Region) per JVM, whoever asks: building one is a visible share of a cold start, and
 * a handler made of two steps (PrepareAndClaim) or a step whose adapters each ask for a client would otherwise build
 * the same client twice. SDK clients are thread-safe and meant to be shared.
 */
public final class Clients {
    /** Set by Lambda where the function's credentials come from the container endpoint, as under SnapStart. */
    static final String CONTAINER_CREDENTIALS = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(6);
    /** Every attempt and backoff of one call, well inside the 30 s the function may run. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    private static SdkHttpClient http;
    private static final Map<String, SdkClient> SHARED = new HashMap<>();

    private Clients() {
    }

    public static LambdaClient lambda() {
        return shared("lambda", LambdaClient.class, () -> configured(LambdaClient.builder()).build());
    }

    /**
     * With the Apache HTTP client: API Gateway updates stages with HTTP PATCH, which the url-connection client cannot
     * send (aws/aws-sdk-java-v2#3046).
     */
    public static ApiGatewayClient apiGateway() {
        return shared("apigateway", ApiGatewayClient.class,
                () -> configured(ApiGatewayClient.builder()).httpClient(ApacheHttpClient.create()).build());
    }

    public static CloudWatchClient cloudWatch() {
        return shared("cloudwatch", CloudWatchClient.class, () -> configured(CloudWatchClient.builder()).build());
    }

    public static SnsClient sns() {
        return shared("sns", SnsClient.class, () -> configured(SnsClient.builder()).build());
    }

    public static DynamoDbClient dynamoDb() {
        return shared("dynamodb", DynamoDbClient.class, () -> configured(DynamoDbClient.builder()).build());
    }

    public static SfnClient sfn() {
        return shared("sfn", SfnClient.class, () -> configured(SfnClient.builder()).build());
    }

    /**
     * Route 53 is a global service with one endpoint per partition (route53.amazonaws.com, signed for us-east-1),
     * whatever Region the function runs in.
     */
    public static Route53Client route53() {
        return shared("route53", Route53Client.class,
                () -> configured(Route53Client.builder()).region(globalRegion(environment("AWS_REGION"))).build());
    }

    /** The global pseudo-Region of the partition {@code region} belongs to. */
    static Region globalRegion(String region) {
        if (region.startsWith("cn-")) {
            return Region.AWS_CN_GLOBAL;
        }
        return region.startsWith("us-gov-") ? Region.AWS_US_GOV_GLOBAL : Region.AWS_GLOBAL;
    }

    /**
     * CloudWatch where Route 53 publishes its health checks' metrics: us-east-1 in the aws partition, whatever Region
     * the function runs in. (Elsewhere the function's own Region: Route 53's documentation names no other.)
     */
    public static CloudWatchClient route53Metrics() {
        Region region = route53MetricsRegion(environment("AWS_REGION"));
        return shared("cloudwatch:" + region.id(), CloudWatchClient.class,
                () -> configured(CloudWatchClient.builder()).region(region).build());
    }

    static Region route53MetricsRegion(String region) {
        return globalRegion(region).equals(Region.AWS_GLOBAL) ? Region.US_EAST_1 : Region.of(region);
    }

    /**
     * The adapters of every kind of rollout target; the API Gateway and Route 53 clients (and Route 53's CloudWatch)
     * are built when first needed.
     */
    public static Targets targets() {
        return new Targets(lambda(), Clients::apiGateway, Clients::route53, Clients::route53Metrics);
    }

    /** The JVM's client under {@code key}, built by {@code build} the first time it is asked for. */
    static synchronized <C extends SdkClient> C shared(String key, Class<C> type, Supplier<C> build) {
        SdkClient client = SHARED.get(key);
        if (client == null) {
            client = build.get();
            SHARED.put(key, client);
        }
        return type.cast(client);
    }

    private static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configured(B builder) {
        builder.region(Region.of(environment("AWS_REGION")))
                .credentialsProvider(credentials(System.getenv(CONTAINER_CREDENTIALS) != null))
                .httpClient(http())
                .overrideConfiguration(override -> override
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT));
        return builder;
    }

    /**
     * Lambda hands a function its execution role's credentials in environment variables, except under SnapStart,
     * where a restored snapshot must not reuse credentials from the time it was taken: there they come from the
     * container credentials endpoint, fetched at the first call and refreshed before they expire.
     */
    static AwsCredentialsProvider credentials(boolean fromContainer) {
        return fromContainer ? ContainerCredentialsProvider.builder().build() : EnvironmentVariableCredentialsProvider.create();
    }

    /** One HTTP client for every SDK client of the function; it holds no connection until the first call. */
    private static synchronized SdkHttpClient http() {
        if (http == null) {
            http = UrlConnectionHttpClient.builder()
                    .connectionTimeout(CONNECT_TIMEOUT)
                    .socketTimeout(SOCKET_TIMEOUT)
                    .build();
        }
        return http;
    }

    /** A required environment variable, set by template.yaml or by Lambda itself. */
    public static String environment(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set; see template.yaml");
        }
        return value;
    }
}
