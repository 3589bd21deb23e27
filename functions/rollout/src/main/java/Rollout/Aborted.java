package Rollout;

/**
 * A person aborted the rollout (a control link's page, or {@code bin/control abort}); it rolls back at once. The
 * control page answers the waiting task with {@code SendTaskFailure} under this name; Promote and the final
 * CheckHealth throw it for an abort recorded after the last wait began, so Step Functions sees the same error.
 */
public final class Aborted extends Failure {
    public Aborted(String message) {
        super(message);
    }
}
