package dev.rollout.aws;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** Whether rollout executions still run (DescribeExecution). */
public final class ExecutionStates {
    private final SfnClient stepFunctions;

    public ExecutionStates(SfnClient stepFunctions) {
        this.stepFunctions = stepFunctions;
    }

    /** True while the execution runs; one Step Functions no longer knows has ended. */
    public boolean running(String executionArn) {
        try {
            return stepFunctions.describeExecution(request -> request.executionArn(executionArn)).status()
                    == ExecutionStatus.RUNNING;
        } catch (ExecutionDoesNotExistException gone) {
            return false;
        } catch (SdkException error) {
            throw AwsErrors.translate("DescribeExecution " + executionArn, error);
        }
    }
}
