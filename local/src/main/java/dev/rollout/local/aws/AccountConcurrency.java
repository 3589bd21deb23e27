package dev.rollout.local.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The account's Lambda concurrency as the rollout's task functions meet it: each invocation holds one execution
 * environment for {@link #TASK_DURATION} of the clock; one that would go beyond the limit is throttled, as Lambda
 * throttles it. The simulated traffic of the functions being rolled out is not throttled, so it holds no share here:
 * the fleet report compares what it needs with the limit instead.
 */
public final class AccountConcurrency {
    /**
     * How long a task function holds its environment: the rollout's handlers make one to three AWS calls each, which
     * take tens of milliseconds in a Region; rounded up. The in-memory calls themselves take no clock time.
     */
    public static final Duration TASK_DURATION = Duration.ofMillis(200);

    private final Clock clock;
    private int limit = ServiceQuotas.ACCOUNT_CONCURRENCY;
    private boolean enforcing;
    private final Deque<Instant> running = new ArrayDeque<>();
    private long invocations;
    private long throttles;
    private int peak;

    public AccountConcurrency(Clock clock) {
        this.clock = clock;
    }

    /** The account's concurrent executions quota; Lambda's default is 1,000. */
    public synchronized void limit(int executions) {
        if (executions < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + executions);
        }
        this.limit = executions;
    }

    public synchronized int limit() {
        return limit;
    }

    /** From now on, invocations beyond the limit are throttled. */
    public synchronized void enforce() {
        enforcing = true;
    }

    /** Starts a task function invocation; false if Lambda throttles it. */
    public synchronized boolean admit() {
        Instant now = clock.instant();
        while (!running.isEmpty() && !running.peekFirst().isAfter(now)) {
            running.removeFirst();
        }
        invocations++;
        if (enforcing && running.size() + 1 > limit) {
            throttles++;
            return false;
        }
        running.addLast(now.plus(TASK_DURATION));
        peak = Math.max(peak, running.size());
        return true;
    }

    /** Task function invocations so far, throttled ones included. */
    public synchronized long invocations() {
        return invocations;
    }

    public synchronized long throttles() {
        return throttles;
    }

    /** The most task functions running at once. */
    public synchronized int peak() {
        return peak;
    }
}
