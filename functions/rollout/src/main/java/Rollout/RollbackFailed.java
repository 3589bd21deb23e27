package Rollout;

/**
 * Rolling back itself failed after every retry: the alias may still be split and a person must look at it.
 * The state machine ends with it (state {@code RollbackFailed}), naming the original error and the rollback's.
 */
public final class RollbackFailed extends Failure {
    public RollbackFailed(String message) {
        super(message);
    }
}
