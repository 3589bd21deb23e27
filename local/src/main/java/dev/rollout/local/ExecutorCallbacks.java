package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.local.asl.InvalidTokenException;
import dev.rollout.local.asl.LocalStepFunctions;
import dev.rollout.local.asl.TaskDoesNotExistException;
import dev.rollout.local.aws.CallbackTasks;
import dev.rollout.local.aws.StepFunctionsErrors;

/**
 * Task-token answers routed to the local executor: what {@code SendTaskSuccess} and {@code SendTaskFailure} do
 * to a running execution, with the executor's refusals turned into the errors Step Functions answers with.
 */
final class ExecutorCallbacks implements CallbackTasks {
    private final LocalStepFunctions stepFunctions;

    ExecutorCallbacks(LocalStepFunctions stepFunctions) {
        this.stepFunctions = stepFunctions;
    }

    @Override
    public void succeed(String taskToken, JsonNode output) {
        try {
            stepFunctions.sendTaskSuccess(taskToken, output);
        } catch (InvalidTokenException never) {
            throw StepFunctionsErrors.invalidToken();
        } catch (TaskDoesNotExistException closed) {
            throw StepFunctionsErrors.taskTimedOut();
        }
    }

    @Override
    public void fail(String taskToken, String error, String cause) {
        try {
            stepFunctions.sendTaskFailure(taskToken, error, cause);
        } catch (InvalidTokenException never) {
            throw StepFunctionsErrors.invalidToken();
        } catch (TaskDoesNotExistException closed) {
            throw StepFunctionsErrors.taskTimedOut();
        }
    }
}
