package dev.rollout.local.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One account's API request rates on the virtual clock: counts every call of every in-memory service, per API and per
 * second, and, once {@linkplain #enforce enforced}, throttles calls beyond the {@link ServiceQuotas} token buckets with
 * the service's own throttling error, as AWS does. Building a world (creating alarms, functions) happens before
 * enforcement starts, as it would have happened long before a rollout in a real account.
 */
public final class RequestRates {
    private final Clock clock;
    private final ServiceQuotas quotas;
    private final Map<ServiceQuotas.Quota, Bucket> buckets = new HashMap<>();
    private final Map<String, Meter> meters = new TreeMap<>();
    private boolean enforcing;

    public RequestRates(Clock clock, ServiceQuotas quotas) {
        this.clock = clock;
        this.quotas = quotas;
    }

    /** From now on, calls beyond a quota are throttled (buckets start full), or no longer are. */
    public synchronized void enforce(boolean enforce) {
        enforcing = enforce;
        buckets.clear();
    }

    /** Forgets what was counted so far: usage from here on. */
    public synchronized void resetUsage() {
        meters.clear();
    }

    /**
     * Counts a call; throws {@code throttled} if its quota's bucket is empty while quotas are enforced.
     *
     * @param service the service's endpoint prefix, as in {@link ServiceQuotas.Quota#service()}
     */
    synchronized void admit(String service, String operation, Supplier<? extends RuntimeException> throttled) {
        Instant now = clock.instant();
        Optional<ServiceQuotas.Quota> quota = quotas.of(service, operation);
        Meter meter = meters.computeIfAbsent(service + " " + operation, key -> new Meter(service, operation, quota));
        meter.attempt(now);
        if (enforcing) {
            List<Bucket> drawn = new ArrayList<>();
            for (ServiceQuotas.Quota each : quotas.all(service, operation)) {
                drawn.add(buckets.computeIfAbsent(each, q -> new Bucket(q, now)));
            }
            // A call takes a token from every bucket it draws from, or from none when one of them is empty.
            if (!drawn.stream().allMatch(bucket -> bucket.has(now))) {
                meter.throttles++;
                throw throttled.get();
            }
            drawn.forEach(Bucket::take);
        }
        meter.served(now);
    }

    /** Every API called so far, by service and operation. */
    public synchronized List<ApiUsage> usage() {
        List<ApiUsage> usage = new ArrayList<>();
        for (Meter meter : meters.values()) {
            usage.add(new ApiUsage(meter.service, meter.operation, meter.calls, meter.throttles,
                    meter.peakAttempted, meter.peakServed, meter.quota));
        }
        return usage;
    }

    /**
     * How one API was used.
     *
     * @param calls         every call, throttled ones included
     * @param peakAttempted the most calls within one second of the clock
     * @param peakServed    the most calls served (not throttled) within one second of the clock
     */
    public record ApiUsage(String service, String operation, long calls, long throttles, long peakAttempted,
                           long peakServed, Optional<ServiceQuotas.Quota> quota) {
    }

    private static final class Meter {
        private final String service;
        private final String operation;
        private final Optional<ServiceQuotas.Quota> quota;
        private long calls;
        private long throttles;
        private long second = Long.MIN_VALUE;
        private long attemptedThisSecond;
        private long servedThisSecond;
        private long peakAttempted;
        private long peakServed;

        Meter(String service, String operation, Optional<ServiceQuotas.Quota> quota) {
            this.service = service;
            this.operation = operation;
            this.quota = quota;
        }

        void attempt(Instant now) {
            calls++;
            if (now.getEpochSecond() != second) {
                second = now.getEpochSecond();
                attemptedThisSecond = 0;
                servedThisSecond = 0;
            }
            peakAttempted = Math.max(peakAttempted, ++attemptedThisSecond);
        }

        void served(Instant now) {
            peakServed = Math.max(peakServed, ++servedThisSecond);
        }
    }

    /** A token bucket, refilled continuously on the clock. */
    private static final class Bucket {
        private final ServiceQuotas.Quota quota;
        private double tokens;
        private Instant refilled;

        Bucket(ServiceQuotas.Quota quota, Instant now) {
            this.quota = quota;
            this.tokens = quota.bucketSize();
            this.refilled = now;
        }

        /** Refills the bucket up to {@code now}; true if a token is left to take. */
        boolean has(Instant now) {
            Duration elapsed = Duration.between(refilled, now);
            if (!elapsed.isNegative()) {
                double seconds = elapsed.getSeconds() + elapsed.getNano() / 1e9;
                tokens = Math.min(quota.bucketSize(), tokens + seconds * quota.refillPerSecond());
                refilled = now;
            }
            return tokens >= 1;
        }

        void take() {
            tokens -= 1;
        }
    }
}
