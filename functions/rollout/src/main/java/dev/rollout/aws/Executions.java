package dev.rollout.aws;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/** Starts executions of the rollout state machine under names that make each start happen once. */
public final class Executions {
    private final SfnClient stepFunctions;
    private final String stateMachineArn;

    public Executions(SfnClient stepFunctions, String stateMachineArn) {
        this.stepFunctions = stepFunctions;
        this.stateMachineArn = stateMachineArn;
    }

    /**
     * @param alreadyStarted true when an execution of that name existed before this call, with another input or
     *                       already finished; its ARN follows from the name
     */
    public record Started(String executionArn, boolean alreadyStarted) {
    }

    /**
     * Starts execution {@code name} with {@code input}. Step Functions answers a repeated start of a running
     * execution with the same input as it answered the first, and refuses any other repeat with
     * ExecutionAlreadyExists: both mean this rollout was started before, which is what the caller wanted.
     */
    public Started start(String name, String input) {
        try {
            StartExecutionResponse response = stepFunctions.startExecution(request -> request
                    .stateMachineArn(stateMachineArn)
                    .name(name)
                    .input(input));
            return new Started(response.executionArn(), false);
        } catch (ExecutionAlreadyExistsException exists) {
            return new Started(stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name, true);
        } catch (SdkException error) {
            throw AwsErrors.translate("StartExecution " + name, error);
        }
    }
}
