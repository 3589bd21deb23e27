package dev.rollout.local;

import java.util.List;
import java.util.Optional;
import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.LocalStepFunctions;
import dev.rollout.local.aws.ExecutionHistories;
import software.amazon.awssdk.services.sfn.model.EvaluationFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionAbortedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionStartedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionSucceededEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionTimedOutEventDetails;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.StateEnteredEventDetails;
import software.amazon.awssdk.services.sfn.model.StateExitedEventDetails;
import software.amazon.awssdk.services.sfn.model.TaskFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.TaskScheduledEventDetails;
import software.amazon.awssdk.services.sfn.model.TaskStartedEventDetails;
import software.amazon.awssdk.services.sfn.model.TaskSubmittedEventDetails;
import software.amazon.awssdk.services.sfn.model.TaskSucceededEventDetails;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutEventDetails;

/** The local executor's histories in the shape of the Step Functions API, for GetExecutionHistory. */
final class ExecutorHistories implements ExecutionHistories {
    private final LocalStepFunctions stepFunctions;

    ExecutorHistories(LocalStepFunctions stepFunctions) {
        this.stepFunctions = stepFunctions;
    }

    @Override
    public Optional<List<HistoryEvent>> history(String executionArn) {
        return stepFunctions.execution(executionArn).map(ExecutionHandle::history)
                .map(events -> events.stream().map(ExecutorHistories::event).toList());
    }

    static HistoryEvent event(dev.rollout.local.asl.HistoryEvent event) {
        HistoryEvent.Builder builder = HistoryEvent.builder()
                .timestamp(event.timestamp())
                .type(event.type().apiName())
                .id(event.id())
                .previousEventId(event.previousEventId());
        EventDetails details = event.details(EventDetails.class);
        if (details instanceof EventDetails.ExecutionStarted d) {
            builder.executionStartedEventDetails(ExecutionStartedEventDetails.builder().input(d.input()).build());
        } else if (details instanceof EventDetails.ExecutionSucceeded d) {
            builder.executionSucceededEventDetails(ExecutionSucceededEventDetails.builder().output(d.output()).build());
        } else if (details instanceof EventDetails.ExecutionFailed d) {
            builder.executionFailedEventDetails(ExecutionFailedEventDetails.builder()
                    .error(d.error()).cause(d.cause()).build());
        } else if (details instanceof EventDetails.ExecutionTimedOut d) {
            builder.executionTimedOutEventDetails(ExecutionTimedOutEventDetails.builder()
                    .error(d.error()).cause(d.cause()).build());
        } else if (details instanceof EventDetails.ExecutionAborted d) {
            builder.executionAbortedEventDetails(ExecutionAbortedEventDetails.builder()
                    .error(d.error()).cause(d.cause()).build());
        } else if (details instanceof EventDetails.StateEntered d) {
            builder.stateEnteredEventDetails(StateEnteredEventDetails.builder().name(d.name()).input(d.input()).build());
        } else if (details instanceof EventDetails.StateExited d) {
            builder.stateExitedEventDetails(StateExitedEventDetails.builder().name(d.name()).output(d.output())
                    .assignedVariables(d.assignedVariables()).build());
        } else if (details instanceof EventDetails.TaskScheduled d) {
            builder.taskScheduledEventDetails(TaskScheduledEventDetails.builder().resourceType(d.resourceType())
                    .resource(d.resource()).region(d.region()).parameters(d.parameters())
                    .timeoutInSeconds(d.timeoutInSeconds()).build());
        } else if (details instanceof EventDetails.TaskStarted d) {
            builder.taskStartedEventDetails(TaskStartedEventDetails.builder().resourceType(d.resourceType())
                    .resource(d.resource()).build());
        } else if (details instanceof EventDetails.TaskSubmitted d) {
            builder.taskSubmittedEventDetails(TaskSubmittedEventDetails.builder().resourceType(d.resourceType())
                    .resource(d.resource()).output(d.output()).build());
        } else if (details instanceof EventDetails.TaskSucceeded d) {
            builder.taskSucceededEventDetails(TaskSucceededEventDetails.builder().resourceType(d.resourceType())
                    .resource(d.resource()).output(d.output()).build());
        } else if (details instanceof EventDetails.TaskFailed d) {
            builder.taskFailedEventDetails(TaskFailedEventDetails.builder().resourceType(d.resourceType())
                    .resource(d.resource()).error(d.error()).cause(d.cause()).build());
        } else if (details instanceof EventDetails.TaskTimedOut d) {
            builder.taskTimedOutEventDetails(TaskTimedOutEventDetails.builder().resourceType(d.resourceType())
                    .resource(d.resource()).error(d.error()).cause(d.cause()).build());
        } else if (details instanceof EventDetails.EvaluationFailed d) {
            builder.evaluationFailedEventDetails(EvaluationFailedEventDetails.builder().error(d.error())
                    .cause(d.cause()).location(d.location()).state(d.state()).build());
        }
        return builder.build();
    }
}
