package dev.rollout.aws;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * Whether a Route 53 health check failed at any moment of a window, not only now: Route 53 publishes each health
 * check's {@code HealthCheckStatus} (1 healthy, 0 unhealthy, per minute, dimension {@code HealthCheckId}) to CloudWatch
 * in us-east-1, whatever Region the stack runs in. A Region that failed and recovered between two checks still stops
 * the rollout, as an alarm that fired and cleared does.
 */
public final class HealthCheckHistory {
    static final String NAMESPACE = "AWS/Route53";
    static final String METRIC = "HealthCheckStatus";

    private final CloudWatchClient cloudWatch;

    /** @param cloudWatch CloudWatch in us-east-1, where Route 53's metrics are */
    public HealthCheckHistory(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /**
     * The first minute of {@code [from, to)} in which the health check was unhealthy, if any. Whole minutes, as the
     * metric has them: the minute {@code from} falls in counts.
     */
    public Optional<Instant> firstUnhealthy(String healthCheckId, Instant from, Instant to) {
        Instant start = from.truncatedTo(ChronoUnit.MINUTES);
        if (!to.isAfter(start)) {
            return Optional.empty();
        }
        // Up to the minute after `to`, counted in whole milliseconds: a window ending a fraction of a second into a
        // minute still asks for that minute (CloudWatch refuses an end equal to the start).
        Instant end = to.truncatedTo(ChronoUnit.MINUTES);
        if (end.isBefore(to)) {
            end = end.plus(Duration.ofMinutes(1));
        }
        Instant until = end;
        Optional<Instant> first = Optional.empty();
        try {
            String token = null;
            do {
                String page = token;
                GetMetricDataResponse response = cloudWatch.getMetricData(request -> request
                        .startTime(start).endTime(until).nextToken(page)
                        .metricDataQueries(query -> query.id("status").returnData(true).metricStat(stat -> stat
                                .period(60).stat("Minimum").metric(metric -> metric.namespace(NAMESPACE)
                                        .metricName(METRIC).dimensions(dimension -> dimension.name("HealthCheckId")
                                                .value(healthCheckId))))));
                for (MetricDataResult result : response.metricDataResults()) {
                    List<Instant> times = result.timestamps();
                    List<Double> values = result.values();
                    for (int i = 0; i < Math.min(times.size(), values.size()); i++) {
                        Instant at = times.get(i);
                        if (values.get(i) < 1 && (first.isEmpty() || at.isBefore(first.get()))) {
                            first = Optional.of(at);
                        }
                    }
                }
                token = response.nextToken();
            } while (token != null);
        } catch (SdkException error) {
            throw AwsErrors.translate("GetMetricData for Route 53 health check " + healthCheckId, error);
        }
        return first;
    }
}
