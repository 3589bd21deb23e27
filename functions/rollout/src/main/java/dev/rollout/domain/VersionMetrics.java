package dev.rollout.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * One version's Lambda metrics over a window, as CloudWatch reports them for the alias' {@code ExecutedVersion}
 * dimension.
 *
 * @param p99Millis the 99th percentile of Duration; empty when CloudWatch has none (no invocations)
 */
public record VersionMetrics(String version, long invocations, long errors, long throttles, Optional<Double> p99Millis)
        implements Measurements {

    public double errorRatePercent() {
        return invocations == 0 ? 0 : 100.0 * errors / invocations;
    }

    /** Throttled requests never ran: they count against the requests that reached the version. */
    public double throttleRatePercent() {
        long requests = invocations + throttles;
        return requests == 0 ? 0 : 100.0 * throttles / requests;
    }

    /** {@code v2 240 req, 25.0% errors, 0 throttled, p99 75 ms}. */
    @Override
    public String describe() {
        return "v" + version + " " + invocations + " req, " + String.format(Locale.ROOT, "%.1f", errorRatePercent())
                + "% errors, " + throttles + " throttled, p99 "
                + p99Millis.map(p99 -> String.format(Locale.ROOT, "%.0f ms", p99)).orElse("none");
    }
}
