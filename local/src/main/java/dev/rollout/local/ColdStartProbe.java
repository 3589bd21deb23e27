package dev.rollout.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.rollout.aws.Clients;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.handlers.Json;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Runs in the fresh JVM that {@link ColdStarts} launches, with only a function's runtime classpath: builds the
 * handler as Lambda does (its no-argument constructor) and answers one request, then says so on stdout, with how
 * long building and answering took. With {@code hello} it only says so: the bare JVM to compare with. With
 * {@code jackson}, {@code http} or {@code sdk}, one library alone does what every handler asks of it. Lambda's own
 * runtime client is not emulated.
 */
public final class ColdStartProbe {
    static final String ANSWERED = "ANSWERED";
    static final String CLASSES = "CLASSES ";
    static final String CPU = "CPU ";
    /** Nanoseconds from main to the handler built, and to the answer. */
    static final String SPLIT = "SPLIT ";
    static final String JACKSON = "jackson";
    static final String SDK = "sdk";
    static final String HTTP = "http";

    private ColdStartProbe() {
    }

    /**
     * @param args {@code hello}; {@code jackson} and a file holding a task input with a {@code rollout}; {@code sdk};
     *     {@code http}; or a handler class and a file holding its event
     */
    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        long built = started;
        String outcome;
        switch (args[0]) {
            case "hello" -> outcome = "hello";
            case JACKSON -> {
                byte[] document = Files.readAllBytes(Path.of(args[1]));
                JacksonAlone.mapper();
                built = System.nanoTime();
                outcome = JacksonAlone.roundTrip(document);
            }
            case HTTP -> {
                // The functions' HTTP client builds its TLS context (trust store, SSLContext) when it is built.
                try (SdkHttpClient http = UrlConnectionHttpClient.create()) {
                    built = System.nanoTime();
                    outcome = http.clientName();
                }
            }
            case SDK -> {
                LambdaClient lambda = Clients.lambda();
                built = System.nanoTime();
                outcome = SdkAlone.call(lambda);
            }
            default -> {
                byte[] event = Files.readAllBytes(Path.of(args[1]));
                Object handler = Class.forName(args[0]).getConstructor().newInstance();
                built = System.nanoTime();
                try {
                    outcome = invoke(handler, event);
                } catch (RuntimeException failure) { // Lambda answers with the error: still the first response
                    outcome = "error " + failure.getClass().getName();
                }
            }
        }
        long answered = System.nanoTime();
        System.out.println(ANSWERED + " " + outcome);
        System.out.flush();
        System.out.println(SPLIT + (built - started) + " " + (answered - started));
        // Read after the answer: what reading them loads is not counted in its time.
        System.out.println(CLASSES + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        System.out.println(CPU + ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime());
    }

    /** What every task does with JSON: its input read, the rollout bound to its record, an output written. */
    private static final class JacksonAlone {
        /** Builds the functions' one mapper, as a handler's first use of {@link Json} does. */
        static void mapper() {
            Json.object();
        }

        static String roundTrip(byte[] document) throws java.io.IOException {
            JsonNode input = Json.MAPPER.readTree(document);
            PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
            return Json.MAPPER.writeValueAsBytes(Json.MAPPER.valueToTree(rollout)).length + " bytes";
        }
    }

    /** The least a handler asks of the SDK: a call on a client configured as the functions configure theirs. */
    private static final class SdkAlone {
        static String call(LambdaClient lambda) {
            try {
                return "alias " + lambda.getAlias(request -> request.functionName("orders").name("live")).name();
            } catch (AwsServiceException answered) { // the service's answer to an empty account
                return "error " + answered.awsErrorDetails().errorCode();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static String invoke(Object handler, byte[] event) throws Exception {
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(event), out, CONTEXT);
            return out.size() + " bytes";
        }
        // The approval page takes API Gateway's event through the runtime's POJO binding, which is Jackson too.
        RequestHandler<APIGatewayProxyRequestEvent, Object> page = (RequestHandler<APIGatewayProxyRequestEvent, Object>) handler;
        APIGatewayProxyRequestEvent request = new ObjectMapper().readValue(event, APIGatewayProxyRequestEvent.class);
        return String.valueOf(page.handleRequest(request, CONTEXT)).length() + " characters";
    }

    private static final Context CONTEXT = new Context() {
        @Override
        public String getAwsRequestId() {
            return "cold-start";
        }

        @Override
        public String getLogGroupName() {
            return "cold-start";
        }

        @Override
        public String getLogStreamName() {
            return "cold-start";
        }

        @Override
        public String getFunctionName() {
            return "cold-start";
        }

        @Override
        public String getFunctionVersion() {
            return "1";
        }

        @Override
        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:123456789012:function:cold-start";
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 30_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.err.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.err.write(message, 0, message.length);
                }
            };
        }
    };
}
