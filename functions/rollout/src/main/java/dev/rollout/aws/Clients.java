package dev.rollout.aws;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * SDK clients for handlers running in Lambda, built from what Lambda tells the function rather than through the
 * SDK's default chains, which probe system properties, profile files and instance metadata at cold start: the
 * Region from {@code AWS_REGION}, the function's own credentials, one small HTTP client, and timeouts below the
 * functions' 30 s timeout (template.yaml) so that a hung call fails the task, whose Retry runs it again.
 *
 * <p>Each client is built at its first call, not in the handler's constructor: a cold start that never reaches a
 * client (a refusal, an error path) does not pay for building it. Under SnapStart, {@link #buildAll} builds every
 * client handed out before the snapshot is taken, so a restored function finds them built.
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
    /** Every client handed out in this JVM, built or not yet. */
    private static final List<OnFirstUse<?>> HANDED_OUT = new ArrayList<>();

    private Clients() {
    }

    public static LambdaClient lambda() {
        return onFirstUse(LambdaClient.class, () -> configured(LambdaClient.builder()).build());
    }

    /**
     * With the Apache HTTP client: API Gateway updates stages with HTTP PATCH, which the url-connection client cannot
     * send (aws/aws-sdk-java-v2#3046).
     */
    public static ApiGatewayClient apiGateway() {
        return onFirstUse(ApiGatewayClient.class,
                () -> configured(ApiGatewayClient.builder()).httpClient(ApacheHttpClient.create()).build());
    }

    public static CloudWatchClient cloudWatch() {
        return onFirstUse(CloudWatchClient.class, () -> configured(CloudWatchClient.builder()).build());
    }

    public static SnsClient sns() {
        return onFirstUse(SnsClient.class, () -> configured(SnsClient.builder()).build());
    }

    public static DynamoDbClient dynamoDb() {
        return onFirstUse(DynamoDbClient.class, () -> configured(DynamoDbClient.builder()).build());
    }

    public static SfnClient sfn() {
        return onFirstUse(SfnClient.class, () -> configured(SfnClient.builder()).build());
    }

    /** The adapters of every kind of rollout target; the API Gateway client is built when first needed. */
    public static Targets targets() {
        return new Targets(lambda(), Clients::apiGateway);
    }

    /** Builds every client handed out so far that no call has built yet: SnapStart's priming, before the snapshot. */
    public static void buildAll() {
        List<OnFirstUse<?>> handedOut;
        synchronized (HANDED_OUT) {
            handedOut = List.copyOf(HANDED_OUT);
        }
        handedOut.forEach(OnFirstUse::client);
    }

    /** A client of the given interface that builds the real one at its first call, once. */
    static <T extends SdkClient> T onFirstUse(Class<T> type, Supplier<T> build) {
        OnFirstUse<T> holder = new OnFirstUse<>(build);
        synchronized (HANDED_OUT) {
            HANDED_OUT.add(holder);
        }
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            try {
                return method.invoke(holder.client(), args);
            } catch (InvocationTargetException thrown) {
                throw thrown.getCause(); // the SDK's own exception, as the handlers translate it
            }
        }));
    }

    /** The client behind a proxy from {@link #onFirstUse}, built at the first call. */
    static final class OnFirstUse<T> {
        private final Supplier<T> build;
        private T client;

        OnFirstUse(Supplier<T> build) {
            this.build = build;
        }

        synchronized T client() {
            if (client == null) {
                client = build.get();
            }
            return client;
        }

        synchronized boolean built() {
            return client != null;
        }
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
