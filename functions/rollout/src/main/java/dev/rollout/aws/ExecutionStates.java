package dev.rollout.aws;

import java.time.Instant;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** Whether rollout executions still run (DescribeExecution). */
public final class ExecutionStates {
    private final SfnClient stepFunctions;

    public ExecutionStates(SfnClient stepFunctions) {
        this.stepFunctions = stepFunctions;
    }

    /**
     * The execution's status (RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, ...) and when it stopped; empty when
     * Step Functions no longer knows it.
     */
    public Optional<Status> status(String executionArn) {
        try {
            DescribeExecutionResponse execution = stepFunctions.describeExecution(
                    request -> request.executionArn(executionArn));
            return Optional.of(new Status(execution.statusAsString(), execution.stateMachineArn(),
                    Optional.ofNullable(execution.stopDate())));
        } catch (ExecutionDoesNotExistException gone) {
            return Optional.empty();
        } catch (SdkException error) {
            throw AwsErrors.translate("DescribeExecution " + executionArn, error);
        }
    }

    /** What DescribeExecution says of an execution's state. */
    public record Status(String status, String stateMachineArn, Optional<Instant> stopDate) {
        public boolean running() {
            return ExecutionStatus.RUNNING.toString().equals(status);
        }
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
