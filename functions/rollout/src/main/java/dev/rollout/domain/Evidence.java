package dev.rollout.domain;

import java.time.Duration;

/**
 * How much a health window saw of the new version: the invocations it served. A window without any says nothing
 * about the new version, and a verdict says so rather than calling it healthy on no evidence.
 *
 * @param invocations invocations of the new version through the alias during the window
 */
public record Evidence(String version, long invocations) {
    /** GetMetricStatistics returns at most this many datapoints per call. */
    static final int MAX_DATAPOINTS = 1_440;

    /** Whether the window saw the new version serve at least one request. */
    public boolean any() {
        return invocations > 0;
    }

    /** For example {@code 60 invocations of version 2}, or a warning when there were none. */
    public String describe() {
        if (!any()) {
            return "no invocations of version " + version + " in this window, so it is no evidence of its health";
        }
        return invocations + (invocations == 1 ? " invocation" : " invocations") + " of version " + version;
    }

    /**
     * The period to ask CloudWatch for a window of {@code window}: one that covers it in at most 1,440 datapoints,
     * in whole minutes, and in the multiples CloudWatch requires for older data (5 minutes beyond 15 days, an hour
     * beyond 63 days).
     */
    public static int periodSeconds(Duration window) {
        long seconds = Math.max(60, -Math.floorDiv(-window.getSeconds(), MAX_DATAPOINTS));
        long unit = window.compareTo(Duration.ofDays(63)) > 0 ? 3_600
                : window.compareTo(Duration.ofDays(15)) > 0 ? 300 : 60;
        return (int) (-Math.floorDiv(-seconds, unit) * unit);
    }
}
