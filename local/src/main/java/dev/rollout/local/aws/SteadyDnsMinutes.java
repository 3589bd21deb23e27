package dev.rollout.local.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Minutes of Route 53 weighted traffic sent at once: each Region's alias batches and Route 53's health check metrics,
 * when every one of them repeats the minute just sent and no alarm of any Region's CloudWatch could change state.
 */
public final class SteadyDnsMinutes {

    private SteadyDnsMinutes() {
    }

    /** One Region's alias and the requests the minute just sent it. */
    public record RegionalBatch(LambdaTraffic traffic, String functionName, String aliasName, long requests) {
    }

    /**
     * Sends {@code minutes} more minutes, one every {@code interval} from now on, at once: each Region's batch again,
     * and each health check's {@code HealthCheckStatus} again. The caller has checked that the DNS answers and the
     * endpoints' health repeat; this checks that each Region's batches continue its alias's steady span alike and that
     * every metric continues one run, and that no alarm can change state. Returns the time of the last minute, or
     * empty (nothing sent) when they must be sent one at a time.
     */
    public static Optional<Instant> continueSteadily(InMemoryRoute53 route53, List<RegionalBatch> batches,
                                                     Duration interval, long minutes) {
        if (minutes < 1) {
            return Optional.empty();
        }
        Instant last = route53.now().plus(interval.multipliedBy(minutes));
        Map<InMemoryCloudWatch, Map<MetricId, DatapointValues>> continuing = new IdentityHashMap<>();
        Optional<Map<MetricId, DatapointValues>> health = route53.healthMinutesContinuing(last, interval);
        if (health.isEmpty()) {
            return Optional.empty();
        }
        continuing.put(route53.cloudWatch(), new HashMap<>(health.get()));
        List<LambdaTraffic.SteadyContinuation> regions = new ArrayList<>();
        for (RegionalBatch batch : batches) {
            Optional<LambdaTraffic.SteadyContinuation> next = batch.traffic()
                    .steadyContinuation(batch.functionName(), batch.aliasName(), batch.requests(), interval);
            if (next.isEmpty() || !next.get().everyBatchAlike()) {
                return Optional.empty();
            }
            continuing.computeIfAbsent(batch.traffic().cloudWatch(), cloudWatch -> new HashMap<>())
                    .putAll(next.get().continuing());
            regions.add(next.get());
        }
        for (Map.Entry<InMemoryCloudWatch, Map<MetricId, DatapointValues>> region : continuing.entrySet()) {
            if (!region.getKey().alarmsSettled(region.getValue())) {
                return Optional.empty();
            }
        }
        regions.forEach(region -> region.send(minutes));
        route53.repeatHealthMinutes(last, interval);
        return Optional.of(last);
    }
}
