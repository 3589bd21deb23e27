package dev.rollout.aws;

import static dev.rollout.aws.MetricWindow.count;
import static dev.rollout.aws.MetricWindow.dimension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.rollout.domain.StageMetrics;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;

/**
 * Reads what API Gateway publishes for a stage canary and its stage ({@code AWS/ApiGateway}, dimensions
 * {@code ApiName} and {@code Stage}): Count, 5XXError and 4XXError summed and Latency's p99 over one window, in one
 * GetMetricData call. The canary's figures are read under {@code Stage = <stage>/Canary}, the stage's under
 * {@code Stage = <stage>}. AWS's dimension table does not name the canary's dimension (docs/targets.md): read under
 * another, the canary shows no requests, and its window is no evidence, never a healthy one.
 */
public final class StageMetricsReader {
    private static final String NAMESPACE = "AWS/ApiGateway";
    private static final String CANARY_SUFFIX = "/Canary";

    private final CloudWatchClient cloudWatch;

    public StageMetricsReader(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /** The canary's metrics, then the stage's, over {@code [from, to)}. */
    public List<StageMetrics> read(String apiName, String stage, String canaryDeployment, Instant from, Instant to) {
        MetricWindow window = new MetricWindow(from, to);
        List<String> stages = List.of(stage + CANARY_SUFFIX, stage);
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            List<Dimension> dimensions = List.of(dimension("ApiName", apiName), dimension("Stage", stages.get(s)));
            queries.add(window.query("count_" + s, NAMESPACE, "Count", dimensions, "Sum"));
            queries.add(window.query("server_" + s, NAMESPACE, "5XXError", dimensions, "Sum"));
            queries.add(window.query("client_" + s, NAMESPACE, "4XXError", dimensions, "Sum"));
            queries.add(window.query("latency_" + s, NAMESPACE, "Latency", dimensions, "p99"));
        }
        Map<String, Optional<Double>> values = window.read(cloudWatch, queries,
                "API " + apiName + " stages " + stages);
        List<String> sides = List.of("canary (deployment " + canaryDeployment + ")", "stage " + stage);
        List<StageMetrics> metrics = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            metrics.add(new StageMetrics(sides.get(s), stages.get(s), count(values, "count_" + s),
                    count(values, "server_" + s), count(values, "client_" + s),
                    values.getOrDefault("latency_" + s, Optional.empty())));
        }
        return metrics;
    }
}
