package dev.rollout.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs in the fresh JVM that {@link ColdStarts} launches, with only a function's runtime classpath: builds the
 * handler as Lambda does (its no-argument constructor) and answers one request, then says so on stdout. With
 * {@code hello} it only says so: the bare JVM to compare with. Lambda's own runtime client is not emulated.
 */
public final class ColdStartProbe {
    static final String ANSWERED = "ANSWERED";
    static final String CLASSES = "CLASSES ";
    static final String CPU = "CPU ";

    private ColdStartProbe() {
    }

    /** @param args {@code hello}, or a handler class and a file holding its event */
    public static void main(String[] args) throws Exception {
        if (!args[0].equals("hello")) {
            byte[] event = Files.readAllBytes(Path.of(args[1]));
            Object handler = Class.forName(args[0]).getConstructor().newInstance();
            String outcome;
            try {
                outcome = invoke(handler, event);
            } catch (RuntimeException failure) { // Lambda answers with the error: still the first response
                outcome = "error " + failure.getClass().getName();
            }
            System.out.println(ANSWERED + " " + outcome);
        } else {
            System.out.println(ANSWERED + " hello");
        }
        System.out.flush();
        // Read after the answer: what reading them loads is not counted in its time.
        System.out.println(CLASSES + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
        System.out.println(CPU + ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime());
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
