package dev.rollout.local.aws;

import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Publishes what Lambda publishes to {@code AWS/Lambda} when an alias is invoked: Invocations, Errors and Duration,
 * each under {@code {FunctionName}}, {@code {FunctionName, Resource=name:alias}} and
 * {@code {FunctionName, Resource=name:alias, ExecutedVersion=version}}. Errors is published with every invocation
 * (0 or 1 each), so its Average is the error rate; nothing is published for versions that served no requests.
 */
final class LambdaMetrics {

    static final String NAMESPACE = "AWS/Lambda";

    private final InMemoryCloudWatch cloudWatch;

    LambdaMetrics(InMemoryCloudWatch cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    void aliasInvoked(String functionName, String alias, VersionTraffic traffic, double latencyMillis,
            Instant timestamp) {
        long n = traffic.requests();
        if (n == 0) {
            return;
        }
        long errors = traffic.errors();
        Aggregate invocations = new Aggregate(n, n, 1, 1);
        Aggregate errorCounts = new Aggregate(n, errors, errors == n ? 1 : 0, errors > 0 ? 1 : 0);
        Aggregate durations = new Aggregate(n, n * latencyMillis, latencyMillis, latencyMillis);
        Dimension function = dimension("FunctionName", functionName);
        Dimension resource = dimension("Resource", functionName + ":" + alias);
        Dimension executed = dimension("ExecutedVersion", traffic.version());
        for (List<Dimension> dimensions : List.of(List.of(function), List.of(function, resource),
                List.of(function, resource, executed))) {
            publish("Invocations", dimensions, invocations, StandardUnit.COUNT, timestamp);
            publish("Errors", dimensions, errorCounts, StandardUnit.COUNT, timestamp);
            publish("Duration", dimensions, durations, StandardUnit.MILLISECONDS, timestamp);
        }
    }

    private void publish(String metricName, List<Dimension> dimensions, Aggregate aggregate, StandardUnit unit,
            Instant timestamp) {
        cloudWatch.record(MetricId.of(NAMESPACE, metricName, dimensions), timestamp, aggregate, unit);
    }

    private static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }
}
