package dev.rollout.local.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import dev.rollout.handlers.Json;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * CloudWatch Logs' extraction of the embedded metric format: a function's log line with an {@code _aws} directive
 * becomes datapoints of the metrics it names. In AWS no API call is made, so nothing here can fail the function or be
 * struck by a fault: the datapoints go straight into the in-memory CloudWatch.
 */
public final class EmbeddedMetricLogs {
    private final InMemoryCloudWatch cloudWatch;

    public EmbeddedMetricLogs(InMemoryCloudWatch cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /**
     * Extracts the metrics of one log line; a line in any other format is only a log line.
     *
     * @return how many datapoints it held
     */
    public int extract(String line) {
        if (!line.startsWith("{")) {
            return 0;
        }
        JsonNode logged;
        try {
            logged = Json.MAPPER.readTree(line);
        } catch (JsonProcessingException notJson) {
            return 0;
        }
        JsonNode directive = logged.path("_aws");
        if (!directive.path("CloudWatchMetrics").isArray()) {
            return 0;
        }
        Instant timestamp = Instant.ofEpochMilli(directive.path("Timestamp").asLong());
        int datapoints = 0;
        for (JsonNode metrics : directive.path("CloudWatchMetrics")) {
            for (JsonNode dimensionSet : metrics.path("Dimensions")) {
                List<Dimension> dimensions = new ArrayList<>();
                for (JsonNode name : dimensionSet) {
                    dimensions.add(Dimension.builder().name(name.asText()).value(logged.path(name.asText()).asText())
                            .build());
                }
                for (JsonNode metric : metrics.path("Metrics")) {
                    String name = metric.path("Name").asText();
                    StandardUnit unit = metric.hasNonNull("Unit") ? StandardUnit.fromValue(metric.path("Unit").asText())
                            : StandardUnit.NONE;
                    JsonNode value = logged.path(name);
                    // A metric's value is a number, or an array of them (several samples in one line).
                    for (JsonNode sample : value.isArray() ? value : List.of(value)) {
                        if (sample.isNumber()) {
                            cloudWatch.record(MetricId.of(metrics.path("Namespace").asText(), name, dimensions),
                                    timestamp, Aggregate.of(sample.asDouble()), unit);
                            datapoints++;
                        }
                    }
                }
            }
        }
        return datapoints;
    }
}
