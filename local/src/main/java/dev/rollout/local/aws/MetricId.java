package dev.rollout.local.aws;

import java.util.Collection;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;

/**
 * A metric as CloudWatch identifies it: namespace, name and the exact set of dimensions. A datapoint published with
 * {@code {FunctionName, Resource}} is a different metric from one with {@code {FunctionName}}; there is no roll-up.
 */
record MetricId(String namespace, String metricName, SortedMap<String, String> dimensions) {

    MetricId {
        dimensions = new TreeMap<>(dimensions);
    }

    static MetricId of(String namespace, String metricName, Collection<Dimension> dimensions) {
        SortedMap<String, String> byName = new TreeMap<>();
        for (Dimension d : dimensions) {
            if (byName.put(d.name(), d.value()) != null) {
                throw CloudWatchErrors.invalidValue("The dimension " + d.name() + " was specified more than once.");
            }
        }
        return new MetricId(namespace, metricName, byName);
    }
}
