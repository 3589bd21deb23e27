package dev.rollout.protocol;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Runs {@code moto_server} on a free 127.0.0.1 port for one test class and hands out SDK v2 clients
 * pointed at it, built like production's ({@code dev.rollout.aws.Clients}: URL-connection HTTP client,
 * default retry policy) except for endpoint, region and dummy credentials. Every test starts from an
 * empty account ({@code POST /moto-api/reset}). The server's output goes to {@code target/moto-server.log}.
 *
 * <p>A machine without moto fails these tests (never skips them): install it with
 * {@code python3 -m pip install 'moto[server]==5.2.1'} (the version bin/test installs), or point
 * {@code MOTO_SERVER} at the executable. Where moto differs from AWS, see {@link MotoGap}.
 *
 * <pre>{@code @RegisterExtension static final MotoServer MOTO = new MotoServer();}</pre>
 */
public final class MotoServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    static final Region REGION = Region.US_EAST_1;
    /** The account moto puts every resource in when the access key does not name another. */
    static final String ACCOUNT = "123456789012";

    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final Duration LOG_WRITE = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 3;
    private static final Path LOG = Path.of("target", "moto-server.log");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<SdkClient> clients = new ArrayList<>();
    private Process process;
    private URI endpoint;
    private LambdaClient lambda;
    private ApiGatewayClient apiGateway;
    private CloudWatchClient cloudWatch;
    private CloudWatchClient cloudWatchWithoutRetries;
    private SnsClient sns;
    private DynamoDbClient dynamoDb;
    private IamClient iam;
    private Route53Client route53;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        HttpResponse<String> reset = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (reset.statusCode() != 200) {
            throw new IllegalStateException("moto_server did not reset its state: HTTP " + reset.statusCode()
                    + " " + reset.body());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        clients.forEach(SdkClient::close);
        clients.clear();
        stop();
    }

    public URI endpoint() {
        return endpoint;
    }

    public LambdaClient lambda() {
        return lambda;
    }

    public CloudWatchClient cloudWatch() {
        return cloudWatch;
    }

    public ApiGatewayClient apiGateway() {
        return apiGateway;
    }

    public SnsClient sns() {
        return sns;
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb;
    }

    public IamClient iam() {
        return iam;
    }

    /** Signed for Route 53's global pseudo-Region, as {@code dev.rollout.aws.Clients} builds it. */
    public Route53Client route53() {
        return route53;
    }

    /** A CloudWatch client like {@link #cloudWatch()} but sending to {@code other} (a front for moto). */
    public CloudWatchClient cloudWatchAt(URI other) {
        return keep(configure(CloudWatchClient.builder(), other).build());
    }

    /** A CloudWatch client that sends each request once, without retries: for asking moto what it implements. */
    public CloudWatchClient cloudWatchWithoutRetries() {
        return cloudWatchWithoutRetries;
    }

    /**
     * Runs {@code call} and tells whether moto lacks {@code action} (moto's name for it, e.g.
     * {@code describe_alarm_history}): true when the call failed with HTTP 500 and moto logged, for that very
     * call, "The <i>action</i> action has not been implemented" (its NotImplementedError). False when the call
     * succeeded; any other failure propagates.
     */
    public boolean lacks(String action, Runnable call) {
        long logged = LOG.toFile().length();
        try {
            call.run();
            return false;
        } catch (SdkServiceException answer) {
            if (answer.statusCode() == 500 && logsSoon(logged, "The " + action + " action has not been implemented")) {
                return true;
            }
            throw answer;
        }
    }

    /** Whether moto's log gets {@code line} after {@code offset}: moto logs a traceback just after answering 500. */
    private static boolean logsSoon(long offset, String line) {
        Instant deadline = Instant.now().plus(LOG_WRITE);
        while (!logSince(offset).contains(line)) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** A Lambda client like {@link #lambda()} but sending to {@code other}. */
    public LambdaClient lambdaAt(URI other) {
        return keep(configure(LambdaClient.builder(), other).build());
    }

    /** GET on moto's own API, e.g. {@code /moto-api/data.json}, the backends' state as JSON. */
    public String motoApi(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint.resolve(path))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " on moto_server: HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException error) {
            throw new IllegalStateException("GET " + path + " on moto_server failed", error);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", interrupted);
        }
    }

    private void start(String owner) throws IOException, InterruptedException {
        String executable = executable();
        Files.createDirectories(LOG.getParent());
        IllegalStateException lastFailure = null;
        for (int attempt = 1; attempt <= PORT_ATTEMPTS; attempt++) {
            // The port is free now; moto could lose it to another process before binding, hence the attempts.
            int port = freePort();
            Files.writeString(LOG, "=== " + Instant.now() + " " + owner + ": " + executable + " on 127.0.0.1:" + port
                    + " ===\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(executable, "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(LOG.toFile()));
            builder.environment().put("PYTHONUNBUFFERED", "1");
            process = builder.start();
            endpoint = URI.create("http://127.0.0.1:" + port);
            try {
                awaitReady();
                buildClients();
                return;
            } catch (IllegalStateException failed) {
                lastFailure = failed;
                stop();
            }
        }
        throw lastFailure;
    }

    private void awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with status " + process.exitValue()
                        + " before answering on " + endpoint + "; see " + LOG.toAbsolutePath() + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/"))
                        .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("moto_server did not answer on " + endpoint + " within " + STARTUP.toSeconds()
                + " s; see " + LOG.toAbsolutePath() + ":\n" + logTail());
    }

    private void buildClients() {
        lambda = keep(configure(LambdaClient.builder(), endpoint).build());
        // As dev.rollout.aws.Clients builds it: UpdateStage is a PATCH, which the url-connection client cannot send.
        apiGateway = keep(configure(ApiGatewayClient.builder(), endpoint)
                .httpClient(ApacheHttpClient.create()).build());
        cloudWatch = keep(configure(CloudWatchClient.builder(), endpoint).build());
        cloudWatchWithoutRetries = keep(configure(CloudWatchClient.builder(), endpoint)
                .overrideConfiguration(override -> override.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build());
        sns = keep(configure(SnsClient.builder(), endpoint).build());
        dynamoDb = keep(configure(DynamoDbClient.builder(), endpoint).build());
        iam = keep(configure(IamClient.builder(), endpoint).build());
        route53 = keep(configure(Route53Client.builder(), endpoint).region(Region.AWS_GLOBAL).build());
    }

    private static <B extends AwsClientBuilder<B, ?> & SdkSyncClientBuilder<B, ?>> B configure(B builder, URI at) {
        return builder
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(at)
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")));
    }

    private <C extends SdkClient> C keep(C client) {
        clients.add(client);
        return client;
    }

    private void stop() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException interrupted) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** {@code MOTO_SERVER} if set, else {@code moto_server} on the PATH; a clear failure when neither exists. */
    static String executable() {
        String configured = System.getenv("MOTO_SERVER");
        if (configured != null && !configured.isBlank()) {
            if (!new File(configured).canExecute()) {
                throw new IllegalStateException("MOTO_SERVER is set to " + configured
                        + ", which is not an executable file");
            }
            return configured;
        }
        Optional<String> found = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
                .filter(directory -> !directory.isEmpty())
                .map(directory -> new File(directory, "moto_server"))
                .filter(File::canExecute)
                .map(File::getAbsolutePath)
                .findFirst();
        return found.orElseThrow(() -> new IllegalStateException("moto_server is missing: the protocol tests"
                + " (dev.rollout.protocol.*) run the handlers against it and cannot run without it. Install it with"
                + " python3 -m pip install 'moto[server]==5.2.1' (bin/test tries to), or set MOTO_SERVER to its"
                + " path."));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String logSince(long offset) {
        try {
            byte[] log = Files.readAllBytes(LOG);
            int from = (int) Math.min(offset, log.length);
            return new String(log, from, log.length - from, StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw new UncheckedIOException("cannot read " + LOG.toAbsolutePath(), unreadable);
        }
    }

    private static String logTail() {
        try {
            List<String> lines = Files.readAllLines(LOG, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException unreadable) {
            return "(log unreadable: " + unreadable.getMessage() + ")";
        }
    }
}
