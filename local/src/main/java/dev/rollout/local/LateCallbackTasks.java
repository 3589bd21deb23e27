package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.local.asl.LocalStepFunctions;
import dev.rollout.local.aws.CallbackTasks;
import dev.rollout.local.aws.StepFunctionsErrors;

/**
 * The executor's waiting tasks for an in-memory Step Functions built before the executor: the task handlers that
 * answer their own wait (a bake ended by a person's control recorded before it began) get their clients when the
 * runtime is wired, and the executor, which needs those handlers, comes after.
 */
public final class LateCallbackTasks implements CallbackTasks {
    private volatile ExecutorCallbacks executor;

    /** From now on, answers go to {@code stepFunctions}' waiting tasks. */
    void attach(LocalStepFunctions stepFunctions) {
        this.executor = new ExecutorCallbacks(stepFunctions);
    }

    @Override
    public void succeed(String taskToken, JsonNode output) {
        attached().succeed(taskToken, output);
    }

    @Override
    public void fail(String taskToken, String error, String cause) {
        attached().fail(taskToken, error, cause);
    }

    /** Before the executor exists no task waits, so no token is valid. */
    private CallbackTasks attached() {
        ExecutorCallbacks attached = executor;
        if (attached == null) {
            throw StepFunctionsErrors.invalidToken();
        }
        return attached;
    }
}
