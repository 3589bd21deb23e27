package dev.rollout.local.asl;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One element of a Task's Retry: the errors it handles and its backoff. Each retrier counts its own retries
 * (the States language spec), and the first retrier whose ErrorEquals matches is the only one consulted.
 */
record Retrier(List<String> errorEquals, long intervalSeconds, int maxAttempts, double backoffRate,
               Optional<Long> maxDelaySeconds, boolean fullJitter) {

    static final long DEFAULT_INTERVAL_SECONDS = 1;
    static final int DEFAULT_MAX_ATTEMPTS = 3;
    static final double DEFAULT_BACKOFF_RATE = 2.0;

    boolean handles(String error) {
        return ErrorNames.matches(errorEquals, error);
    }

    /**
     * IntervalSeconds × BackoffRate^(retries so far), capped by MaxDelaySeconds; with {@code JitterStrategy FULL},
     * that times {@code random}, a number in [0, 1), as Step Functions draws the delay between zero and the computed
     * one (so that many executions throttled together do not all come back together).
     */
    Duration delayBeforeRetry(int retriesSoFar, double random) {
        double seconds = intervalSeconds * Math.pow(backoffRate, retriesSoFar);
        // Beyond Step Functions' longest wait the delay outlives any execution; the bound keeps time arithmetic finite.
        seconds = Math.min(seconds, maxDelaySeconds.orElse(TypedField.MAX_SECONDS));
        if (fullJitter) {
            seconds *= random;
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
