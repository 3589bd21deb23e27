package dev.rollout.local.asl;

/**
 * A Lambda function that never returns: the task then ends only when its state's {@code TimeoutSeconds} passes
 * ({@code States.Timeout}), or never, as a hung invocation would in Step Functions.
 */
public final class FunctionHungException extends Exception {
    public FunctionHungException(String functionName) {
        super(functionName + " does not return");
    }
}
