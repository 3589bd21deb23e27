package Rollout;

/** The new version's own metrics (errors, throttles, p99 latency) failed against the old version's over a window. */
public final class VersionUnhealthy extends Failure {
    public VersionUnhealthy(String message) {
        super(message);
    }
}
