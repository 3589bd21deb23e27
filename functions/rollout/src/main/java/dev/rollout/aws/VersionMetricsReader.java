package dev.rollout.aws;

import static dev.rollout.aws.MetricWindow.count;
import static dev.rollout.aws.MetricWindow.dimension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.rollout.domain.VersionMetrics;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;

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
        MetricWindow window = new MetricWindow(from, to);
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int v = 0; v < versions.size(); v++) {
            List<Dimension> dimensions = List.of(dimension("FunctionName", function),
                    dimension("Resource", function + ":" + alias), dimension("ExecutedVersion", versions.get(v)));
            for (String metric : SUMMED) {
                queries.add(window.query(id(metric, v), NAMESPACE, metric, dimensions, "Sum"));
            }
            queries.add(window.query(id("Duration", v), NAMESPACE, "Duration", dimensions, "p99"));
        }
        Map<String, Optional<Double>> values = window.read(cloudWatch, queries,
                function + ":" + alias + " versions " + versions);
        List<VersionMetrics> metrics = new ArrayList<>();
        for (int v = 0; v < versions.size(); v++) {
            metrics.add(new VersionMetrics(versions.get(v), count(values, id("Invocations", v)),
                    count(values, id("Errors", v)), count(values, id("Throttles", v)),
                    values.getOrDefault(id("Duration", v), Optional.empty())));
        }
        return metrics;
    }

    private static String id(String metric, int version) {
        return metric.toLowerCase(java.util.Locale.ROOT) + "_" + version;
    }
}
