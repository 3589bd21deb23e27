package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.local.AlarmReactions;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** The in-memory CloudWatch sends each alarm state change as the EventBridge event AWS sends, and only changes. */
class AlarmStateChangeEventsTest {
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final String ALARM = "orders-v2-errors";

    private final ManualClock clock = new ManualClock(START);
    private final InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock);
    private final InMemoryLambda lambda = new InMemoryLambda(clock);
    private final LambdaTraffic traffic = new LambdaTraffic(clock, lambda, cloudWatch);
    private final List<JsonNode> events = new ArrayList<>();

    AlarmStateChangeEventsTest() {
        lambda.addFunction("orders");
        lambda.publishNewVersion("orders");
        lambda.publishNewVersion("orders");
        lambda.createAlias(r -> r.functionName("orders").name("live").functionVersion("1")
                .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.5))));
        cloudWatch.putMetricAlarm(r -> r.alarmName(ALARM).alarmDescription("version 2 answers with errors")
                .namespace("AWS/Lambda").metricName("Errors")
                .dimensions(dimension("FunctionName", "orders"), dimension("Resource", "orders:live"),
                        dimension("ExecutedVersion", "2"))
                .statistic(Statistic.SUM).period(60).evaluationPeriods(1).threshold(5.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData("notBreaching"));
        cloudWatch.onAlarmStateChange(events::add);
    }

    private static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }

    private void aMinuteOfTraffic() {
        clock.advance(java.time.Duration.ofMinutes(1));
        traffic.invokeAlias("orders", "live", 600);
        cloudWatch.evaluateAlarms();
    }

    @Test
    void eachChangeOfStateIsSentOnceAndAnUnchangedStateNotAtAll() {
        aMinuteOfTraffic();
        aMinuteOfTraffic();
        traffic.setVersionBehaviour("orders", "2", new VersionBehaviour(0.25, 80));
        aMinuteOfTraffic();
        aMinuteOfTraffic();
        assertEquals(List.of("INSUFFICIENT_DATA -> OK", "OK -> ALARM"), events.stream()
                .map(event -> event.at("/detail/previousState/value").asText() + " -> "
                        + event.at("/detail/state/value").asText())
                .toList());
    }

    @Test
    void anAlarmEnteringAlarmIsSentInTheShapeAwsSendsAndTheTemplatesRuleMatchesIt() throws IOException {
        aMinuteOfTraffic();
        traffic.setVersionBehaviour("orders", "2", new VersionBehaviour(0.25, 80));
        aMinuteOfTraffic();
        JsonNode event = events.get(events.size() - 1);
        JsonNode sample = Json.MAPPER.readTree(ProjectRoot.path().resolve("events/alarms/alarm-state-change.json")
                .toFile());
        assertEquals(fieldsOf(sample), fieldsOf(event), "the same members as AWS's event, at every level");
        assertEquals("2026-01-05T09:02:00Z", event.path("time").asText());
        assertEquals("2026-01-05T09:02:00.000+0000", event.at("/detail/state/timestamp").asText());
        assertEquals("2026-01-05T09:01:00.000+0000", event.at("/detail/previousState/timestamp").asText());
        assertTrue(event.at("/detail/state/reason").asText().startsWith("Threshold Crossed: 1 out of the last 1"
                + " datapoint [75.0 (05/01/26 09:02:00)]"), event.at("/detail/state/reason").asText());
        assertEquals("orders:live", event.at("/detail/configuration/metrics/0/metricStat/metric/dimensions/Resource")
                .asText());
        assertTrue(EventPattern.of(AlarmReactions.rulePattern(ProjectRoot.path().resolve("template.yaml")))
                .matches(event));
    }

    @Test
    void aStateSetByHandIsSentToo() {
        cloudWatch.setAlarmState(r -> r.alarmName(ALARM).stateValue(StateValue.ALARM).stateReason("testing the page"));
        assertEquals(1, events.size());
        assertEquals("testing the page", events.get(0).at("/detail/state/reason").asText());
    }

    /** Every member path of a JSON document, e.g. {@code detail.state.value}; array items as {@code []}. */
    private static java.util.SortedSet<String> fieldsOf(JsonNode node) {
        java.util.SortedSet<String> paths = new java.util.TreeSet<>();
        collect(node, "", paths);
        return paths;
    }

    private static void collect(JsonNode node, String path, java.util.SortedSet<String> paths) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                paths.add(child);
                // Dimensions are the alarm's own: their names differ from alarm to alarm.
                if (!field.getKey().equals("dimensions")) {
                    collect(field.getValue(), child, paths);
                }
            });
        } else if (node.isArray()) {
            node.forEach(item -> collect(item, path + "[]", paths));
        }
    }
}
