package Rollout;

/**
 * A Route 53 health check of a record set receiving queries fails: Route 53 already answers with the other record set,
 * and the rollout rolls back to the weights it started from. The message names the record set by its SetIdentifier.
 */
public final class HealthCheckFailed extends Failure {
    public HealthCheckFailed(String message) {
        super(message);
    }
}
