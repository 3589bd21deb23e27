package dev.rollout.domain;

import java.time.Duration;

/**
 * How much a health window saw of the new side: the invocations the new version served, or the requests a stage's
 * canary served. A window without any says nothing about the new side, and a verdict says so rather than calling it
 * healthy on no evidence.
 *
 * @param invocations invocations of the new version through the alias (requests to the canary) during the window
 * @param counted     what one of them is, singular: {@code invocation}, {@code request}
 * @param of          what they went to, with its preposition: {@code of version 2}, {@code to the canary (deployment
 *                    d2)}
 */
public record Evidence(String version, long invocations, String counted, String of) {
    /** GetMetricStatistics returns at most this many datapoints per call. */
    static final int MAX_DATAPOINTS = 1_440;

    /** Invocations of a Lambda version. */
    public Evidence(String version, long invocations) {
        this(version, invocations, "invocation", "of version " + version);
    }

    /** Requests a stage's canary served, as its {@code Count} metric says. */
    public static Evidence canaryRequests(String deployment, long requests) {
        return new Evidence(deployment, requests, "request", "to the canary (deployment " + deployment + ")");
    }

    /** Requests a promoted stage served, on its own deployment now, as its {@code Count} metric says. */
    public static Evidence stageRequests(String deployment, String stage, long requests) {
        return new Evidence(deployment, requests, "request", "to stage " + stage + " (deployment " + deployment + ")");
    }

    /** Whether the window saw the new version serve at least one request. */
    public boolean any() {
        return invocations > 0;
    }

    /** For example {@code 60 invocations of version 2}, or a warning when there were none. */
    public String describe() {
        if (!any()) {
            return "no " + counted + "s " + of + " in this window, so it is no evidence of its health";
        }
        return invocations + " " + counted + (invocations == 1 ? "" : "s") + " " + of;
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
