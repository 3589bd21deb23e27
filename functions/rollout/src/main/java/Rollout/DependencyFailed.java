package Rollout;

/** An AWS call failed in a way retrying will not fix (for example access denied). */
public final class DependencyFailed extends Failure {
    public DependencyFailed(String message, Throwable cause) {
        super(message, cause);
    }
}
