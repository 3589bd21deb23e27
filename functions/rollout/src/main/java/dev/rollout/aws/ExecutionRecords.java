package dev.rollout.aws;

import java.util.Optional;
import dev.rollout.domain.Decision;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** Reads what a rollout execution recorded, from its history (GetExecutionHistory). */
public final class ExecutionRecords {
    /** Prepare's exit is among the first few events; larger pages only cost more when it is not there. */
    private static final int PAGE = 100;
    /** The Fail state an execution entered is at most a couple of events before its end. */
    private static final int TAIL = 5;

    private final SfnClient stepFunctions;

    public ExecutionRecords(SfnClient stepFunctions) {
        this.stepFunctions = stepFunctions;
    }

    /**
     * @param input          the execution input, JSON text
     * @param prepareOutput  the output the state {@code Prepare} exited with (JSON text): the prepared rollout with its
     *                       starting version, or the error when Prepare failed into its Catch
     * @param endState       the Fail state the execution entered last, if it ended in one
     * @param endError       the error the execution ended with (a StopExecution's error, States.Timeout, ...), or ""
     * @param endCause       its cause, or ""
     */
    public record Recorded(Optional<String> input, Optional<String> prepareOutput, Optional<String> endState,
                           String endError, String endCause) {
    }

    public Recorded read(String executionArn, String prepareState) {
        Optional<String> input = Optional.empty();
        Optional<String> prepared = Optional.empty();
        String token = null;
        do {
            GetExecutionHistoryResponse page = page(executionArn, token, PAGE, false);
            for (HistoryEvent event : page.events()) {
                if (event.type() == HistoryEventType.EXECUTION_STARTED) {
                    input = Optional.ofNullable(event.executionStartedEventDetails().input());
                } else if (event.type() == HistoryEventType.TASK_STATE_EXITED
                        && prepareState.equals(event.stateExitedEventDetails().name())) {
                    prepared = Optional.ofNullable(event.stateExitedEventDetails().output());
                }
            }
            token = prepared.isPresent() ? null : page.nextToken();
        } while (token != null);
        Optional<String> endState = Optional.empty();
        String error = null;
        String cause = null;
        for (HistoryEvent event : page(executionArn, null, TAIL, true).events()) {
            if (event.type() == HistoryEventType.FAIL_STATE_ENTERED && endState.isEmpty()) {
                endState = Optional.of(event.stateEnteredEventDetails().name());
            } else if (event.executionAbortedEventDetails() != null) {
                error = event.executionAbortedEventDetails().error();
                cause = event.executionAbortedEventDetails().cause();
            } else if (event.executionTimedOutEventDetails() != null) {
                error = event.executionTimedOutEventDetails().error();
                cause = event.executionTimedOutEventDetails().cause();
            } else if (event.executionFailedEventDetails() != null) {
                error = event.executionFailedEventDetails().error();
                cause = event.executionFailedEventDetails().cause();
            }
        }
        return new Recorded(input, prepared, endState, error == null ? "" : error, cause == null ? "" : cause);
    }

    /**
     * Whether a task of the execution received {@code decision} (its TaskSucceeded output or TaskFailed error and
     * cause say so): what tells a decision delivered, whose delivery could not be recorded, from one that arrived
     * after the task had closed.
     */
    public boolean received(String executionArn, Decision decision) {
        String token = null;
        do {
            GetExecutionHistoryResponse page;
            try {
                page = page(executionArn, token, PAGE, true);
            } catch (Rollout.Failure unread) {
                if (unread.getCause() instanceof ExecutionDoesNotExistException) {
                    return false; // nothing left that could have received it
                }
                throw unread;
            }
            for (HistoryEvent event : page.events()) {
                if (event.type() == HistoryEventType.TASK_SUCCEEDED && decision.answeredBy(
                        Optional.ofNullable(event.taskSucceededEventDetails().output()), Optional.empty(),
                        Optional.empty())) {
                    return true;
                }
                if (event.type() == HistoryEventType.TASK_FAILED && decision.answeredBy(Optional.empty(),
                        Optional.ofNullable(event.taskFailedEventDetails().error()),
                        Optional.ofNullable(event.taskFailedEventDetails().cause()))) {
                    return true;
                }
            }
            token = page.nextToken();
        } while (token != null);
        return false;
    }

    private GetExecutionHistoryResponse page(String executionArn, String token, int size, boolean newestFirst) {
        try {
            return stepFunctions.getExecutionHistory(request -> request
                    .executionArn(executionArn)
                    .maxResults(size)
                    .reverseOrder(newestFirst)
                    .includeExecutionData(true)
                    .nextToken(token));
        } catch (SdkException error) {
            throw AwsErrors.translate("GetExecutionHistory " + executionArn, error);
        }
    }
}
