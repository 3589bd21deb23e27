package Rollout;

/**
 * A person rejected the rollout on the approval page; it rolls back. The approval page answers the waiting task
 * with {@code SendTaskFailure} under this name rather than throwing it, so Step Functions sees the same error.
 */
public final class Rejected extends Failure {
    public Rejected(String message) {
        super(message);
    }
}
