package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccountConcurrencyTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-06T10:00:00Z"));
    private final AccountConcurrency concurrency = new AccountConcurrency(clock);

    @Test
    void invocationsBeyondTheLimitAtOnceAreThrottled() {
        concurrency.limit(3);
        concurrency.enforce();
        assertTrue(concurrency.admit());
        assertTrue(concurrency.admit());
        assertTrue(concurrency.admit());
        assertFalse(concurrency.admit());
        assertEquals(4, concurrency.invocations());
        assertEquals(1, concurrency.throttles());
        assertEquals(3, concurrency.peak());
    }

    @Test
    void anEnvironmentIsFreeAgainOnceItsInvocationEnds() {
        concurrency.limit(1);
        concurrency.enforce();
        assertTrue(concurrency.admit());
        clock.advance(AccountConcurrency.TASK_DURATION);
        assertTrue(concurrency.admit());
    }

    @Test
    void nothingIsThrottledBeforeTheLimitIsEnforced() {
        concurrency.limit(1);
        assertTrue(concurrency.admit());
        assertTrue(concurrency.admit());
        assertEquals(0, concurrency.throttles());
    }
}
