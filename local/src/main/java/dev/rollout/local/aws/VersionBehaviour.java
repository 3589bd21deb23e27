package dev.rollout.local.aws;

/** How a version behaves when the simulation invokes it: the share of invocations that fail and their duration. */
public record VersionBehaviour(double errorRate, double latencyMillis) {

    public static final VersionBehaviour HEALTHY = new VersionBehaviour(0.0, 100.0);

    public VersionBehaviour {
        if (!(errorRate >= 0.0 && errorRate <= 1.0)) {
            throw new IllegalArgumentException("errorRate must be between 0.0 and 1.0, got " + errorRate);
        }
        if (!(latencyMillis >= 0.0)) {
            throw new IllegalArgumentException("latencyMillis must be zero or more, got " + latencyMillis);
        }
    }
}
