package dev.rollout.local.asl;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * One element of a Task's Retry: the errors it handles and its backoff. Each retrier counts its own retries
 * (the States language spec), and the first retrier whose ErrorEquals matches is the only one consulted.
 *
 * @param fullJitter JitterStrategy FULL: each delay is drawn uniformly between 0 and the backoff computed for the
 *                   attempt (after MaxDelaySeconds), so executions failing together do not retry in lockstep
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
     * IntervalSeconds × BackoffRate^(retries so far), capped by MaxDelaySeconds; with full jitter, that times a
     * fraction drawn from {@code random} (uniform in [0, 1)), which the executor seeds per execution.
     */
    Duration delayBeforeRetry(int retriesSoFar, DoubleSupplier random) {
        double seconds = intervalSeconds * Math.pow(backoffRate, retriesSoFar);
        // Beyond Step Functions' longest wait the delay outlives any execution; the bound keeps time arithmetic finite.
        seconds = Math.min(seconds, maxDelaySeconds.orElse(TypedField.MAX_SECONDS));
        if (fullJitter) {
            seconds *= random.getAsDouble();
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
