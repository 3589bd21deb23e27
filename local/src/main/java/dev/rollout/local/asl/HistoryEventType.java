package dev.rollout.local.asl;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/** The history event types the local runtime records, named as the Step Functions API names them. */
public enum HistoryEventType {
    EXECUTION_STARTED("ExecutionStarted"),
    EXECUTION_SUCCEEDED("ExecutionSucceeded"),
    EXECUTION_FAILED("ExecutionFailed"),
    EXECUTION_TIMED_OUT("ExecutionTimedOut"),
    EXECUTION_ABORTED("ExecutionAborted"),
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

    /** How each kind of state's entry and exit are named; a Fail state is never exited. */
    private static final Map<Class<? extends State>, HistoryEventType> ENTERED = Map.of(
            TaskState.class, TASK_STATE_ENTERED, PassState.class, PASS_STATE_ENTERED,
            WaitState.class, WAIT_STATE_ENTERED, ChoiceState.class, CHOICE_STATE_ENTERED,
            SucceedState.class, SUCCEED_STATE_ENTERED, FailState.class, FAIL_STATE_ENTERED);
    private static final Map<Class<? extends State>, HistoryEventType> EXITED = Map.of(
            TaskState.class, TASK_STATE_EXITED, PassState.class, PASS_STATE_EXITED,
            WaitState.class, WAIT_STATE_EXITED, ChoiceState.class, CHOICE_STATE_EXITED,
            SucceedState.class, SUCCEED_STATE_EXITED);

    private final String apiName;

    HistoryEventType(String apiName) {
        this.apiName = apiName;
    }

    @JsonValue
    public String apiName() {
        return apiName;
    }

    static HistoryEventType entered(State state) {
        return ENTERED.get(state.getClass());
    }

    /** A Fail state ends the execution without an exit event, as in AWS. */
    static HistoryEventType exited(State state) {
        HistoryEventType exited = EXITED.get(state.getClass());
        if (exited == null) {
            throw new IllegalArgumentException("State \"" + state.name() + "\" is a Fail state, which is never exited");
        }
        return exited;
    }
}
