package dev.rollout.local.asl;

import java.util.List;

/** The error names the States language reserves, and how a Retrier's or Catcher's ErrorEquals matches them. */
final class ErrorNames {
    static final String ALL = "States.ALL";
    static final String TASK_FAILED = "States.TaskFailed";
    static final String TIMEOUT = "States.Timeout";
    static final String QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";
    static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    /** Not catchable, not even by States.ALL. */
    static final String RUNTIME = "States.Runtime";

    private ErrorNames() {
    }

    /** @param error may be null: SendTaskFailure does not require one */
    static boolean matches(List<String> errorEquals, String error) {
        if (RUNTIME.equals(error)) {
            return false;
        }
        for (String name : errorEquals) {
            boolean wildcard = name.equals(ALL) || (name.equals(TASK_FAILED) && !TIMEOUT.equals(error));
            if (wildcard || name.equals(error)) {
                return true;
            }
        }
        return false;
    }
}
