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

    /** One run of the same datapoint every minute for {@code days}: a steady metric that never varies. */
    private static MetricStore oneRunOf(int days) {
        MetricStore store = new MetricStore();
        for (long minute = 0; minute < days * 1_440L; minute++) {
            store.add(ERRORS, START.plus(Duration.ofMinutes(minute)), Aggregate.of(3), StandardUnit.COUNT);
        }
        return store;
    }

    @Test
    void aRunStillGoingOnIsReadInTheRollupsOfItsOlderDatapoints() {
        MetricStore store = oneRunOf(100);
        assertEquals(1, store.storedRuns());
        Instant day20 = START.plus(Duration.ofDays(80)).plusSeconds(2 * 60);
        SortedMap<Instant, Aggregate> fiveMinutes = store.periods(ERRORS, day20, day20.plusSeconds(3_600),
                Duration.ofMinutes(1), day20, null);
        // 20 days old: one datapoint per 5 minutes, stamped at its start, for the rollups starting 09:05 to 10:00 (the
        // one starting 09:00 is before the read's start).
        assertEquals(12, fiveMinutes.size(), fiveMinutes::toString);
        assertEquals(15.0, fiveMinutes.get(START.plus(Duration.ofDays(80)).plusSeconds(5 * 60)).sum());
        Instant day70 = START.plus(Duration.ofDays(30));
        SortedMap<Instant, Aggregate> hours = store.periods(ERRORS, day70, day70.plus(Duration.ofDays(1)),
                Duration.ofMinutes(1), day70, null);
        // 70 days old: one datapoint per hour, 180 per hour.
        assertEquals(24, hours.size());
        assertEquals(180.0, hours.get(day70).sum());
    }

    @Test
    void aRunStillGoingOnForgetsItsDatapointsPastCloudWatchsRetention() {
        MetricStore store = oneRunOf(470);
        SortedMap<Instant, Aggregate> first = store.periods(ERRORS, START, START.plus(Duration.ofDays(14)),
                Duration.ofDays(1), START, null);
        assertTrue(first.isEmpty(), first::toString);
        SortedMap<Instant, Aggregate> retained = store.periods(ERRORS, START.plus(Duration.ofDays(16)),
                START.plus(Duration.ofDays(17)), Duration.ofDays(1), START, null);
        assertEquals(3.0 * 1_440, retained.values().stream().mapToDouble(Aggregate::sum).sum());
    }

    @Test
    void aReadStartingLongAgoStartsAtTheResolutionCloudWatchKeepsThatOldDataIn() {
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        Instant start = Instant.parse("2026-02-20T12:32:34Z");
        assertEquals(Instant.parse("2026-02-20T12:32:00Z"), MetricStore.roundedStart(start, now));
        assertEquals(Instant.parse("2026-01-20T12:30:00Z"),
                MetricStore.roundedStart(Instant.parse("2026-01-20T12:32:34Z"), now));
        assertEquals(Instant.parse("2025-11-20T12:00:00Z"),
                MetricStore.roundedStart(Instant.parse("2025-11-20T12:32:34Z"), now));
    }

    @Test
    void datapointsPastCloudWatchsRetentionAreForgotten() {
        MetricStore store = aYearOfMinutes(470);
        SortedMap<Instant, Aggregate> first = store.periods(ERRORS, START, START.plus(Duration.ofDays(10)),
                Duration.ofDays(10), START, null);
        assertTrue(first.isEmpty(), first::toString);
    }

    /** A stage's and its canary's latency, both published every minute under the same metric. */
    private static final Aggregate STAGE = new Aggregate(540, 540 * 85.0, 85, 85);
    private static final Aggregate CANARY = new Aggregate(60, 60 * 75.0, 75, 75);

    @Test
    void twoPublishersInterleavingSteadyMinutesKeepOneRunEachAndReadAsTheirMinutesOneByOne() {
        Duration minute = Duration.ofMinutes(1);
        Instant last = START.plus(Duration.ofDays(70));
        MetricStore oneByOne = new MetricStore();
        for (Instant at = START; !at.isAfter(last); at = at.plus(minute)) {
            oneByOne.add(ERRORS, at, STAGE, StandardUnit.MILLISECONDS);
            oneByOne.add(ERRORS, at, CANARY, StandardUnit.MILLISECONDS);
        }
        MetricStore atOnce = new MetricStore();
        for (Instant at = START; at.isBefore(START.plus(Duration.ofMinutes(2))); at = at.plus(minute)) {
            atOnce.add(ERRORS, at, STAGE, StandardUnit.MILLISECONDS);
            atOnce.add(ERRORS, at, CANARY, StandardUnit.MILLISECONDS);
        }
        assertEquals(2, atOnce.extendable(ERRORS, last, STAGE, StandardUnit.MILLISECONDS, minute).size()
                + atOnce.extendable(ERRORS, last, CANARY, StandardUnit.MILLISECONDS, minute).size());
        assertTrue(atOnce.extend(ERRORS, last, STAGE, StandardUnit.MILLISECONDS, minute));
        assertTrue(atOnce.extend(ERRORS, last, CANARY, StandardUnit.MILLISECONDS, minute));

        // Seventy days of two datapoints a minute: one run per publisher, whichever way they came.
        assertEquals(2, oneByOne.storedRuns());
        assertEquals(2, atOnce.storedRuns());
        for (Duration period : List.of(minute, Duration.ofHours(1), Duration.ofDays(1))) {
            for (Instant from : List.of(START, last.minus(Duration.ofDays(20)), last.minus(Duration.ofHours(1)))) {
                assertEquals(oneByOne.periods(ERRORS, from, last.plus(minute), period, from, null),
                        atOnce.periods(ERRORS, from, last.plus(minute), period, from, null), () -> period + " " + from);
                // Percentiles: the rollups of old minutes are one aggregate of both values, however stored.
                assertEquals(oneByOne.samples(ERRORS, from, last.plus(minute), period, from, null),
                        atOnce.samples(ERRORS, from, last.plus(minute), period, from, null), () -> period + " " + from);
            }
        }
    }
}
