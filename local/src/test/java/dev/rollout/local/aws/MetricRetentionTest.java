package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/** Metrics of a long simulation: bounded like CloudWatch's retention, and exact where alarms and checks read them. */
class MetricRetentionTest {
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final MetricId ERRORS = MetricId.of("AWS/Lambda", "Errors",
            List.of(Dimension.builder().name("FunctionName").value("orders").build()));
    /** 15 days as published, 48 more in 5-minute periods, 392 more in hours: a bound independent of the run's length. */
    private static final int MOST_STORED = 15 * 1_440 + 48 * 288 + 392 * 24;

    /** A year and more of per-minute datapoints whose values change every minute, as rounded traffic does. */
    private static MetricStore aYearOfMinutes(int days) {
        MetricStore store = new MetricStore();
        for (long minute = 0; minute < days * 1_440L; minute++) {
            store.add(ERRORS, START.plus(Duration.ofMinutes(minute)), Aggregate.of(minute % 7), StandardUnit.COUNT);
        }
        return store;
    }

    @Test
    void aYearOfVaryingMinutesIsStoredWithinCloudWatchsRetentionBound() {
        MetricStore store = aYearOfMinutes(365);
        System.out.println("MetricRetentionTest: 525,600 per-minute datapoints stored as " + store.storedRuns()
                + " runs and rolled-up periods (bound " + MOST_STORED + ")");
        assertTrue(store.storedRuns() <= MOST_STORED, () -> store.storedRuns() + " stored");
    }

    @Test
    void steadyDatapointsMinuteAfterMinuteAreOneRun() {
        MetricStore store = new MetricStore();
        for (long minute = 0; minute < 10 * 1_440L; minute++) {
            store.add(ERRORS, START.plus(Duration.ofMinutes(minute)), Aggregate.of(3), StandardUnit.COUNT);
        }
        assertEquals(1, store.storedRuns());
        SortedMap<Instant, Aggregate> lastHour = store.periods(ERRORS, START.plus(Duration.ofDays(10)).minusSeconds(3_600),
                START.plus(Duration.ofDays(10)), Duration.ofMinutes(1), START, null);
        assertEquals(60, lastHour.size());
        assertEquals(3.0, lastHour.get(START.plus(Duration.ofDays(10)).minusSeconds(60)).sum());
    }

    @Test
    void theRecentMinutesAlarmsReadAreExactAfterAYear() {
        MetricStore store = aYearOfMinutes(365);
        Instant end = START.plus(Duration.ofDays(365));
        SortedMap<Instant, Aggregate> recent = store.periods(ERRORS, end.minus(Duration.ofMinutes(5)), end,
                Duration.ofMinutes(1), START, StandardUnit.COUNT);
        assertEquals(5, recent.size());
        long last = 365 * 1_440L - 1;
        assertEquals((double) (last % 7), recent.get(end.minus(Duration.ofMinutes(1))).sum());
    }

    @Test
    void aSumOverTheWholeYearCountsEveryDatapointStillRetained() {
        MetricStore store = aYearOfMinutes(365);
        SortedMap<Instant, Aggregate> whole = store.periods(ERRORS, START, START.plus(Duration.ofDays(365)),
                Duration.ofDays(365), START, null);
        double expected = 0;
        for (long minute = 0; minute < 365 * 1_440L; minute++) {
            expected += minute % 7;
        }
        assertEquals(expected, whole.values().stream().mapToDouble(Aggregate::sum).sum());
        assertEquals(365 * 1_440.0, whole.values().stream().mapToDouble(Aggregate::sampleCount).sum());
    }

    @Test
    void datapointsPastCloudWatchsRetentionAreForgotten() {
        MetricStore store = aYearOfMinutes(470);
        SortedMap<Instant, Aggregate> first = store.periods(ERRORS, START, START.plus(Duration.ofDays(10)),
                Duration.ofDays(10), START, null);
        assertTrue(first.isEmpty(), first::toString);
    }
}
