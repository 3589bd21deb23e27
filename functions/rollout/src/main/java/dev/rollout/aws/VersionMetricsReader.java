package dev.rollout.aws;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import dev.rollout.domain.VersionMetrics;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;

/**
 * Reads what Lambda publishes per version behind an alias ({@code AWS/Lambda}, dimensions FunctionName, Resource
 * {@code name:alias} and ExecutedVersion): Invocations, Errors and Throttles summed, Duration's p99, over one window,
 * for several versions in one GetMetricData call. The window is one period, from its start rounded down to the
 * minute, so each query returns at most one value.
 */
public final class VersionMetricsReader {
    private static final String NAMESPACE = "AWS/Lambda";
    private static final List<String> SUMMED = List.of("Invocations", "Errors", "Throttles");

    private final CloudWatchClient cloudWatch;

    public VersionMetricsReader(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /** Each version's metrics over {@code [from, to)}, in the order given. */
    public List<VersionMetrics> read(String function, String alias, List<String> versions, Instant from, Instant to) {
        Instant start = from.truncatedTo(ChronoUnit.MINUTES);
        long minutes = Math.max(1, (Duration.between(start, to).toSeconds() + 59) / 60);
        int period = (int) Math.min(minutes * 60, Integer.MAX_VALUE / 60 * 60);
        Instant end = start.plusSeconds(period);
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int v = 0; v < versions.size(); v++) {
            List<Dimension> dimensions = List.of(dimension("FunctionName", function),
                    dimension("Resource", function + ":" + alias), dimension("ExecutedVersion", versions.get(v)));
            for (String metric : SUMMED) {
                queries.add(query(id(metric, v), metric, dimensions, period, "Sum"));
            }
            queries.add(query(id("Duration", v), "Duration", dimensions, period, "p99"));
        }
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
            throw AwsErrors.translate("GetMetricData for " + function + ":" + alias + " versions " + versions, error);
        }
        List<VersionMetrics> metrics = new ArrayList<>();
        for (int v = 0; v < versions.size(); v++) {
            metrics.add(new VersionMetrics(versions.get(v), count(values, id("Invocations", v)),
                    count(values, id("Errors", v)), count(values, id("Throttles", v)),
                    values.getOrDefault(id("Duration", v), Optional.empty())));
        }
        return metrics;
    }

    private static long count(Map<String, Optional<Double>> values, String id) {
        return Math.round(values.getOrDefault(id, Optional.empty()).orElse(0.0));
    }

    private static String id(String metric, int version) {
        return metric.toLowerCase(java.util.Locale.ROOT) + "_" + version;
    }

    private static MetricDataQuery query(String id, String metric, List<Dimension> dimensions, int period, String stat) {
        return MetricDataQuery.builder().id(id).returnData(true)
                .metricStat(stat(metric, dimensions, period, stat)).build();
    }

    private static software.amazon.awssdk.services.cloudwatch.model.MetricStat stat(String metric,
            List<Dimension> dimensions, int period, String stat) {
        return software.amazon.awssdk.services.cloudwatch.model.MetricStat.builder()
                .metric(m -> m.namespace(NAMESPACE).metricName(metric).dimensions(dimensions))
                .period(period).stat(stat).build();
    }

    private static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }
}
