package dev.rollout.aws;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;

/**
 * A health window as one CloudWatch period, from its start rounded down to the minute, so each query of a
 * GetMetricData call returns at most one value.
 */
final class MetricWindow {
    private final Instant start;
    private final Instant end;
    private final int period;

    MetricWindow(Instant from, Instant to) {
        this.start = from.truncatedTo(ChronoUnit.MINUTES);
        long minutes = Math.max(1, (Duration.between(start, to).toSeconds() + 59) / 60);
        this.period = (int) Math.min(minutes * 60, Integer.MAX_VALUE / 60 * 60);
        this.end = start.plusSeconds(period);
    }

    MetricDataQuery query(String id, String namespace, String metric, List<Dimension> dimensions, String stat) {
        return MetricDataQuery.builder().id(id).returnData(true)
                .metricStat(MetricStat.builder()
                        .metric(m -> m.namespace(namespace).metricName(metric).dimensions(dimensions))
                        .period(period).stat(stat).build())
                .build();
    }

    /** Each query's value by its id, empty when CloudWatch has none; every page read. */
    Map<String, Optional<Double>> read(CloudWatchClient cloudWatch, List<MetricDataQuery> queries, String what) {
        Map<String, Optional<Double>> values = new TreeMap<>();
        try {
            String token = null;
            do {
                String page = token;
                GetMetricDataResponse response = cloudWatch.getMetricData(request -> request
                        .metricDataQueries(queries).startTime(start).endTime(end).nextToken(page));
                for (MetricDataResult result : response.metricDataResults()) {
                    values.merge(result.id(), result.values().stream().findFirst(),
                            (a, b) -> a.isPresent() ? a : b);
                }
                token = response.nextToken();
            } while (token != null);
        } catch (SdkException error) {
            throw AwsErrors.translate("GetMetricData for " + what, error);
        }
        return values;
    }

    static long count(Map<String, Optional<Double>> values, String id) {
        return Math.round(values.getOrDefault(id, Optional.empty()).orElse(0.0));
    }

    static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }
}
