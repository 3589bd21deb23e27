package dev.rollout.local.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VirtualClockTest {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final VirtualClock clock = new VirtualClock(START);
    private final List<String> ran = new ArrayList<>();

    @Test
    void eventsRunInTimeOrderAndInSchedulingOrderAtEqualTimes() {
        clock.after(Duration.ofMinutes(2), () -> ran.add("late"));
        clock.after(Duration.ofMinutes(1), () -> ran.add("first at 1m"));
        clock.after(Duration.ofMinutes(1), () -> ran.add("second at 1m"));

        clock.runUntilIdle();

        assertEquals(List.of("first at 1m", "second at 1m", "late"), ran);
        assertEquals(START.plus(Duration.ofMinutes(2)), clock.instant());
    }

    @Test
    void theTimeIsTheScheduledTimeOfTheEventBeingRun() {
        clock.after(Duration.ofHours(3), () -> ran.add(clock.instant().toString()));

        assertTrue(clock.runNext());

        assertEquals(List.of("2025-01-01T03:00:00Z"), ran);
    }

    @Test
    void anActionMayScheduleFurtherEventsWhichRunInTurn() {
        clock.after(Duration.ofSeconds(10), () -> {
            ran.add("outer");
            clock.after(Duration.ofSeconds(5), () -> ran.add("inner at " + clock.instant()));
        });

        clock.runUntilIdle();

        assertEquals(List.of("outer", "inner at 2025-01-01T00:00:15Z"), ran);
    }

    @Test
    void aOneYearWaitCostsNoWallTime() {
        long startedNanos = System.nanoTime();
        clock.after(Duration.ofDays(365), () -> ran.add("a year later"));

        clock.runUntilIdle();

        assertEquals(START.plus(Duration.ofDays(365)), clock.instant());
        assertTrue(System.nanoTime() - startedNanos < TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void anEventScheduledInThePastRunsAtTheCurrentTimeWithoutMovingTimeBack() {
        clock.after(Duration.ofMinutes(5), () -> clock.schedule(START, () -> ran.add("at " + clock.instant())));

        clock.runUntilIdle();

        assertEquals(List.of("at 2025-01-01T00:05:00Z"), ran);
    }

    @Test
    void aCancelledEventNeitherRunsNorMovesTheTime() {
        ScheduledEvent timeout = clock.after(Duration.ofHours(1), () -> ran.add("timeout"));
        clock.after(Duration.ofMinutes(1), () -> ran.add("work"));

        assertTrue(timeout.cancel());
        clock.runUntilIdle();

        assertEquals(List.of("work"), ran);
        assertEquals(START.plus(Duration.ofMinutes(1)), clock.instant());
        assertFalse(timeout.cancel(), "a second cancel reports the event was no longer pending");
    }

    @Test
    void runUntilStopsAsSoonAsTheConditionHoldsAndReportsWhenEventsRanOutFirst() {
        clock.after(Duration.ofSeconds(1), () -> ran.add("one"));
        clock.after(Duration.ofSeconds(2), () -> ran.add("two"));

        assertTrue(clock.runUntil(() -> ran.contains("one")));
        assertEquals(List.of("one"), ran);
        assertFalse(clock.isIdle());

        assertFalse(clock.runUntil(() -> ran.contains("three")));
        assertTrue(clock.isIdle());
    }

    @Test
    void runNextReportsFalseWhenNothingIsScheduled() {
        assertFalse(clock.runNext());
        assertEquals(START, clock.instant());
    }

    @Test
    void theClockCanBeSeenFromAnotherZoneAndKeepsItsTime() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        var parisClock = clock.withZone(paris);
        clock.after(Duration.ofMinutes(1), () -> { });

        clock.runUntilIdle();

        assertEquals(paris, parisClock.getZone());
        assertEquals(clock.instant(), parisClock.instant());
    }

    @Test
    void aScaledClockSleepsTheScaledRealTimeSoAnHourAt36000TimesTakes100Ms() {
        VirtualClock scaled = VirtualClock.scaled(START, 36_000);
        scaled.after(Duration.ofHours(1), () -> ran.add("an hour later"));
        long startedNanos = System.nanoTime();

        scaled.runUntilIdle();

        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        assertTrue(elapsedMillis >= 95, "slept " + elapsedMillis + " ms");
        assertEquals(START.plus(Duration.ofHours(1)), scaled.instant());
    }

    @Test
    void aScaledClockWakesForAnEventScheduledFromAnotherThreadWhileItSleeps() {
        VirtualClock scaled = VirtualClock.scaled(START, 60);
        scaled.after(Duration.ofHours(1), () -> ran.add("an hour later"));
        // The approval comes once the clock is asleep: its time has started to follow the wall clock, which it
        // does only while sleeping toward the hour (60 real seconds away). No real-time delay to race against.
        CompletableFuture<Void> approval = CompletableFuture.runAsync(() -> {
            while (!scaled.instant().isAfter(START)) {
                Thread.onSpinWait();
            }
            scaled.after(Duration.ZERO, () -> ran.add("approved"));
        });

        assertTrue(scaled.runUntil(() -> ran.contains("approved")));

        approval.join();
        assertEquals(List.of("approved"), ran, "woke for the approval instead of sleeping the hour");
        Instant approvedAt = scaled.instant();
        assertTrue(approvedAt.isAfter(START) && approvedAt.isBefore(START.plus(Duration.ofHours(1))),
                "virtual time followed the wall clock while sleeping: " + approvedAt);
    }
}
