package dev.rollout.local;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The Lambda context a handler gets when the local runtime invokes it: its function name, a fresh request id,
 * and a logger of the caller's choosing. Fields that only mean something in AWS are null.
 */
public final class LocalContext implements Context {
    /** The Lambda default; handlers here never run long enough to check it. */
    private static final int TIMEOUT_MILLIS = 30_000;

    private final String functionName;
    private final LambdaLogger logger;
    private final String requestId = UUID.randomUUID().toString();

    public LocalContext(String functionName, LambdaLogger logger) {
        this.functionName = functionName;
        this.logger = logger;
    }

    /** A logger that hands each logged message, without its trailing line break, to {@code lines}. */
    public static LambdaLogger logger(Consumer<String> lines) {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                lines.accept(message.stripTrailing());
            }

            @Override
            public void log(byte[] message) {
                log(new String(message, StandardCharsets.UTF_8));
            }
        };
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return null;
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
        return TIMEOUT_MILLIS;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 512;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
