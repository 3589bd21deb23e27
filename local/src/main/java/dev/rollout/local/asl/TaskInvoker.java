package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How the executor invokes Lambda functions for {@code lambda:invoke} tasks; the local runtime plugs in the
 * real handlers behind it. For {@code .waitForTaskToken} tasks the function's own result is ignored and the
 * execution waits for {@link LocalStepFunctions#sendTaskSuccess} or {@link LocalStepFunctions#sendTaskFailure}.
 *
 * <p>An unchecked exception escaping {@code invoke} is treated as Lambda treats an unhandled exception in a
 * Java handler: the task fails with the exception's class name as error and its message as cause.
 */
@FunctionalInterface
public interface TaskInvoker {

    /**
     * @param functionName the task's {@code Arguments.FunctionName}, as evaluated
     * @param payload the task's {@code Arguments.Payload}, as evaluated; read-only: it may share nodes with the
     *        execution's variables and state input, which it would corrupt (Lambda hands a function a copy)
     * @return the function's response payload, the execution's from then on (read, never changed, by its
     *         states, and not to be changed by the caller either); null stands for JSON null
     * @throws TaskFailedException when the function fails, named as Lambda names the error
     * @throws FunctionHungException when the function never returns
     */
    JsonNode invoke(String functionName, JsonNode payload) throws TaskFailedException, FunctionHungException;
}
