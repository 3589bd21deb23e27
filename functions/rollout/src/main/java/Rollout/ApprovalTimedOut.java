package Rollout;

/**
 * Nobody approved or rejected before the approval step's timeout, and its {@code onTimeout} is {@code rollback}.
 * The state machine raises it itself (state {@code ApprovalTimedOut}, on the task's {@code States.Timeout}).
 */
public final class ApprovalTimedOut extends Failure {
    public ApprovalTimedOut(String message) {
        super(message);
    }
}
