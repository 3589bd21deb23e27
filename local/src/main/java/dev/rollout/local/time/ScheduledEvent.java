package dev.rollout.local.time;

import java.time.Instant;

/** An action waiting on a {@link VirtualClock}; cancel it when its moment no longer matters. */
public final class ScheduledEvent {
    private final VirtualClock clock;
    private final Instant at;
    private final long sequence;
    private final Runnable action;

    ScheduledEvent(VirtualClock clock, Instant at, long sequence, Runnable action) {
        this.clock = clock;
        this.at = at;
        this.sequence = sequence;
        this.action = action;
    }

    public Instant at() {
        return at;
    }

    /**
     * Removes the event from the clock, so it neither runs nor moves the time.
     *
     * @return false if it had already run or been cancelled
     */
    public boolean cancel() {
        return clock.cancel(this);
    }

    long sequence() {
        return sequence;
    }

    Runnable action() {
        return action;
    }
}
