package dev.rollout.local.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rollout.local.report.RolloutReport.MetricSample;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** A version's traffic over several minutes, as a health line prints it. */
class VersionTotalsTest {

    private static final Instant AT = Instant.parse("2026-01-05T09:01:00Z");

    @Test
    void requestsAndErrorsAddUpAndTheErrorPercentIsOfAllRequests() {
        List<VersionTotals> totals = VersionTotals.of(List.of(sample("2", 60, 0, 80), sample("2", 240, 60, 100)));

        assertEquals(List.of("v2 300 req 20.0% err p99 100 ms"), totals.stream().map(VersionTotals::describe).toList());
    }

    @Test
    void theP99OfSeveralMinutesWeighsEachMinuteByItsRequests() {
        // 990 requests at 80 ms and 10 at 500 ms: the 990th of 1000 is still 80 ms.
        assertEquals(OptionalDouble.of(80), VersionTotals.of(List.of(sample("1", 990, 0, 80),
                sample("1", 10, 0, 500))).get(0).p99Millis());
        // 980 and 20: the 990th request is one of the slow ones.
        assertEquals(OptionalDouble.of(500), VersionTotals.of(List.of(sample("1", 980, 0, 80),
                sample("1", 20, 0, 500))).get(0).p99Millis());
    }

    @Test
    void minutesWithoutAPercentileLeaveTheLatencyOutRatherThanGuess() {
        MetricSample unmeasured = new MetricSample(AT, "1", 600, 0, OptionalDouble.empty());

        assertEquals("v1 600 req 0.0% err", VersionTotals.of(List.of(unmeasured)).get(0).describe());
    }

    @Test
    void versionsKeepTheOrderTheyFirstAppearInAndNoTrafficSaysSo() {
        assertEquals("v1 540 req 0.0% err p99 80 ms, v2 60 req 0.0% err p99 75 ms", VersionTotals.describe(
                VersionTotals.of(List.of(sample("1", 540, 0, 80), sample("2", 60, 0, 75)))));
        assertEquals("no traffic", VersionTotals.describe(List.of()));
    }

    private static MetricSample sample(String version, double requests, double errors, double p99) {
        return new MetricSample(AT, version, requests, errors, OptionalDouble.of(p99));
    }
}
