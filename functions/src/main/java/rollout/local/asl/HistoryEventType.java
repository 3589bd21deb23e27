package rollout.local.asl;

import com.fasterxml.jackson.annotation.JsonValue;

/** The history event types the local runtime records, named as the Step Functions API names them. */
public enum HistoryEventType {
    EXECUTION_STARTED("ExecutionStarted"),
    EXECUTION_SUCCEEDED("ExecutionSucceeded"),
    EXECUTION_FAILED("ExecutionFailed"),
    EXECUTION_TIMED_OUT("ExecutionTimedOut"),
    TASK_STATE_ENTERED("TaskStateEntered"),
    TASK_SCHEDULED("TaskScheduled"),
    TASK_STARTED("TaskStarted"),
    TASK_SUBMITTED("TaskSubmitted"),
    TASK_SUCCEEDED("TaskSucceeded"),
    TASK_FAILED("TaskFailed"),
    TASK_TIMED_OUT("TaskTimedOut"),
    TASK_STATE_EXITED("TaskStateExited"),
    PASS_STATE_ENTERED("PassStateEntered"),
    PASS_STATE_EXITED("PassStateExited"),
    WAIT_STATE_ENTERED("WaitStateEntered"),
    WAIT_STATE_EXITED("WaitStateExited"),
    CHOICE_STATE_ENTERED("ChoiceStateEntered"),
    CHOICE_STATE_EXITED("ChoiceStateExited"),
    SUCCEED_STATE_ENTERED("SucceedStateEntered"),
    SUCCEED_STATE_EXITED("SucceedStateExited"),
    FAIL_STATE_ENTERED("FailStateEntered"),
    EVALUATION_FAILED("EvaluationFailed");

    private final String apiName;

    HistoryEventType(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    static HistoryEventType entered(State state) {
        if (state instanceof TaskState) {
            return TASK_STATE_ENTERED;
        }
        if (state instanceof PassState) {
            return PASS_STATE_ENTERED;
        }
        if (state instanceof WaitState) {
            return WAIT_STATE_ENTERED;
        }
        if (state instanceof ChoiceState) {
            return CHOICE_STATE_ENTERED;
        }
        return state instanceof SucceedState ? SUCCEED_STATE_ENTERED : FAIL_STATE_ENTERED;
    }

    /** A Fail state ends the execution without an exit event, as in AWS. */
    static HistoryEventType exited(State state) {
        if (state instanceof TaskState) {
            return TASK_STATE_EXITED;
        }
        if (state instanceof PassState) {
            return PASS_STATE_EXITED;
        }
        if (state instanceof WaitState) {
            return WAIT_STATE_EXITED;
        }
        if (state instanceof ChoiceState) {
            return CHOICE_STATE_EXITED;
        }
        if (state instanceof SucceedState) {
            return SUCCEED_STATE_EXITED;
        }
        throw new IllegalArgumentException("State \"" + state.name() + "\" is a Fail state, which is never exited");
    }
}
