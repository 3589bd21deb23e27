package dev.rollout.local.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A discrete-event scheduler that is also a {@link Clock}, so the code it drives reads the same time it
 * schedules on. Time only moves when the clock runs its next event: a one-year wait costs no wall time.
 *
 * <p>Events run one at a time on the thread that drives the clock ({@link #runNext()}, {@link #runUntil},
 * {@link #runUntilIdle()}), in time order and, at equal times, in the order they were scheduled. Actions may
 * schedule further events. Any thread may schedule or cancel events.
 *
 * <p>A {@linkplain #scaled scaled} clock, for live demonstrations, sleeps real time (virtual time divided by
 * the speed-up) before each event; while it sleeps its time moves with the wall clock, and an event scheduled
 * meanwhile from another thread (an approval click, say) wakes it.
 */
public final class VirtualClock extends Clock {

    private static final Comparator<ScheduledEvent> TIME_THEN_SCHEDULING_ORDER =
            Comparator.comparing(ScheduledEvent::at).thenComparingLong(ScheduledEvent::sequence);

    /** Virtual seconds per real second; 0 for a clock that never waits. */
    private final double speedUp;
    private final PriorityQueue<ScheduledEvent> queue = new PriorityQueue<>(TIME_THEN_SCHEDULING_ORDER);
    private long nextSequence;
    private Instant now;
    private Sleep sleep;

    /** A clock whose waits cost no wall time. */
    public VirtualClock(Instant start) {
        this(start, 0);
    }

    private VirtualClock(Instant start, double speedUp) {
        this.now = Objects.requireNonNull(start, "start");
        this.speedUp = speedUp;
    }

    /** A clock that spends real time on waits, {@code speedUp} times faster (60: a minute per second). */
    public static VirtualClock scaled(Instant start, double speedUp) {
        if (!(speedUp > 0) || Double.isInfinite(speedUp)) {
            throw new IllegalArgumentException("speedUp must be a positive finite number, got " + speedUp);
        }
        return new VirtualClock(start, speedUp);
    }

    @Override
    public synchronized Instant instant() {
        return sleep == null ? now : sleep.virtualNow();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return zone.equals(getZone()) ? this : new ZonedView(this, zone);
    }

    /**
     * Schedules {@code action} to run at {@code at}; a time already past means as soon as possible, at the
     * current time (the way a Wait until a past timestamp ends at once).
     */
    public synchronized ScheduledEvent schedule(Instant at, Runnable action) {
        Objects.requireNonNull(action, "action");
        Instant current = instant();
        Instant due = at.isBefore(current) ? current : at;
        ScheduledEvent event = new ScheduledEvent(this, due, nextSequence++, action);
        queue.add(event);
        notifyAll(); // a scaled clock sleeping toward a later event must wake for this one
        return event;
    }

    public ScheduledEvent after(Duration delay, Runnable action) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
        return schedule(instant().plus(delay), action);
    }

    /**
     * Advances the time to the next event and runs it.
     *
     * @return false when no event is scheduled (or the driving thread was interrupted while a scaled clock slept)
     */
    public boolean runNext() {
        ScheduledEvent event;
        synchronized (this) {
            event = awaitDueEvent();
            if (event == null) {
                return false;
            }
            queue.remove();
            if (event.at().isAfter(now)) {
                now = event.at();
            }
        }
        // Outside the lock: the action may schedule events, and other threads may keep scheduling meanwhile.
        event.action().run();
        return true;
    }

    /** Runs events until {@code done} holds; returns false if the events ran out first. */
    public boolean runUntil(BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            if (!runNext()) {
                return false;
            }
        }
        return true;
    }

    /** Runs events, including those they schedule, until none is left. */
    public void runUntilIdle() {
        while (runNext()) {
            // each call runs one event
        }
    }

    /**
     * When the next scheduled event is due, if one is and this clock never waits: only then may an event's action
     * {@linkplain #skipTo skip} the time before it.
     */
    public synchronized Optional<Instant> nextEventAt() {
        ScheduledEvent head = queue.peek();
        return head == null || speedUp != 0 ? Optional.empty() : Optional.of(head.at());
    }

    /**
     * Moves the time on to {@code to} at once, from inside an event's action that has done itself what would have
     * happened meanwhile: nothing else may be due before {@code to}.
     */
    public synchronized void skipTo(Instant to) {
        ScheduledEvent head = queue.peek();
        if (speedUp != 0 || to.isBefore(now) || (head != null && head.at().isBefore(to))) {
            throw new IllegalStateException("cannot skip to " + to + ": now " + now + ", next event "
                    + (head == null ? "none" : head.at()));
        }
        now = to;
    }

    /** True when no event is scheduled. */
    public synchronized boolean isIdle() {
        return queue.isEmpty();
    }

    synchronized boolean cancel(ScheduledEvent event) {
        return queue.remove(event);
    }

    /** Holds the lock; returns the head event once it is due, or null when there is none. */
    private ScheduledEvent awaitDueEvent() {
        while (true) {
            ScheduledEvent head = queue.peek();
            if (head == null || speedUp == 0 || !head.at().isAfter(now)) {
                return head;
            }
            if (!sleepToward(head.at())) {
                return null;
            }
        }
    }

    /** Sleeps the scaled real time toward {@code target}, or until an event is scheduled; false if interrupted. */
    private boolean sleepToward(Instant target) {
        sleep = new Sleep(now, target, System.nanoTime(), speedUp);
        try {
            TimeUnit.NANOSECONDS.timedWait(this, sleep.realNanosLeft());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            now = sleep.virtualNow();
            sleep = null;
        }
    }

    /** A scaled clock's sleep toward its next event, during which virtual time follows the wall clock. */
    private record Sleep(Instant from, Instant target, long startNanos, double speedUp) {

        Instant virtualNow() {
            double virtualNanos = (System.nanoTime() - startNanos) * speedUp;
            Instant moved = from.plusNanos((long) Math.min(virtualNanos, Long.MAX_VALUE));
            return moved.isAfter(target) ? target : moved;
        }

        long realNanosLeft() {
            Duration left = Duration.between(virtualNow(), target);
            double realNanos = (left.getSeconds() * 1e9 + left.getNano()) / speedUp;
            return (long) Math.min(Math.max(realNanos, 1), Long.MAX_VALUE);
        }
    }

    /** This clock seen from another time zone, as {@link Clock#withZone} requires. */
    private static final class ZonedView extends Clock {
        private final VirtualClock clock;
        private final ZoneId zone;

        ZonedView(VirtualClock clock, ZoneId zone) {
            this.clock = clock;
            this.zone = zone;
        }

        @Override
        public Instant instant() {
            return clock.instant();
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return clock.withZone(other);
        }
    }
}
