package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.rollout.local.aws.AwsAssertions.assertAwsError;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.DashboardNotFoundErrorException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.InvalidFormatException;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** The rollout's use: an alarm on the new version's Errors, fed by simulated traffic, evaluated every minute. */
class AlarmEvaluationTest {

    private static final Instant ROLLOUT_START = Instant.parse("2025-01-06T10:00:00Z");
    private static final String ALARM = "orders-live-errors";

    private final ManualClock clock = new ManualClock(ROLLOUT_START);
    private final InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock);
    private final InMemoryLambda lambda = new InMemoryLambda(clock);
    private final LambdaTraffic traffic = new LambdaTraffic(clock, lambda, cloudWatch);

    @BeforeEach
    void versionTwoGetsATenthOfTheTrafficUnderAnErrorsAlarm() {
        lambda.addFunction("orders");
        lambda.publishNewVersion("orders");
        lambda.publishNewVersion("orders");
        lambda.createAlias(r -> r.functionName("orders").name("live").functionVersion("1")
                .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.1))));
        // At least 3 errors a minute in 2 of the last 3 minutes.
        cloudWatch.putMetricAlarm(r -> r.alarmName(ALARM).namespace("AWS/Lambda").metricName("Errors")
                .dimensions(dimension("FunctionName", "orders"), dimension("Resource", "orders:live"),
                        dimension("ExecutedVersion", "2"))
                .statistic(Statistic.SUM).period(60).evaluationPeriods(3).datapointsToAlarm(2).threshold(3.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData("notBreaching"));
    }

    @Test
    void aNewAlarmHasInsufficientDataUntilItIsEvaluated() {
        assertEquals(StateValue.INSUFFICIENT_DATA, alarm().stateValue());
        assertEquals("Unchecked: Initial alarm creation", alarm().stateReason());
    }

    @Test
    void itStaysOkWhileErrorsStayBelowTheThreshold() {
        traffic.setVersionBehaviour("orders", "2", new VersionBehaviour(0.02, 100));

        List<StateValue> states = minutes(5, 100);

        assertEquals(List.of(StateValue.OK, StateValue.OK, StateValue.OK, StateValue.OK, StateValue.OK), states);
    }

    @Test
    void itFiresWhenErrorsReachTheThresholdInTwoOfThreeMinutes() {
        minutes(2, 100);
        traffic.setVersionBehaviour("orders", "2", new VersionBehaviour(0.5, 100));

        List<StateValue> states = minutes(2, 100);

        assertEquals(List.of(StateValue.OK, StateValue.ALARM), states);
        assertEquals("Threshold Crossed: 2 out of the last 3 datapoints [5.0 (06/01/25 10:03:00), "
                + "5.0 (06/01/25 10:02:00)] were greater than or equal to the threshold (3.0) "
                + "(minimum 2 datapoints for OK -> ALARM transition).", alarm().stateReason());
    }

    @Test
    void itReturnsToOkOnceFewerThanTwoOfThreeMinutesBreachAndTheHistoryKeepsEveryTransition() {
        traffic.setVersionBehaviour("orders", "2", new VersionBehaviour(0.5, 100));
        minutes(2, 100);
        traffic.setVersionBehaviour("orders", "2", VersionBehaviour.HEALTHY);

        List<StateValue> states = minutes(3, 100);

        assertEquals(List.of(StateValue.ALARM, StateValue.OK, StateValue.OK), states);
        List<AlarmHistoryItem> transitions = stateUpdatesSince(ROLLOUT_START);
        // Newest first. The first minute has one breaching datapoint of the two needed: OK, not yet ALARM.
        assertEquals(List.of("Alarm updated from ALARM to OK", "Alarm updated from OK to ALARM",
                "Alarm updated from INSUFFICIENT_DATA to OK"),
                transitions.stream().map(AlarmHistoryItem::historySummary).toList());
        assertEquals(List.of(ROLLOUT_START.plus(Duration.ofMinutes(3)), ROLLOUT_START.plus(Duration.ofMinutes(1)),
                ROLLOUT_START), transitions.stream().map(AlarmHistoryItem::timestamp).toList());
    }

    @Test
    void anAlarmThatFiredAndClearedStillShowsTheAlarmInHistorySinceTheRolloutStarted() {
        traffic.setVersionBehaviour("orders", "2", new VersionBehaviour(0.5, 100));
        minutes(2, 100);
        traffic.setVersionBehaviour("orders", "2", VersionBehaviour.HEALTHY);
        minutes(4, 100);

        assertEquals(StateValue.OK, alarm().stateValue());
        assertTrue(stateUpdatesSince(ROLLOUT_START).stream()
                .anyMatch(item -> item.historySummary().endsWith("to ALARM")));
    }

    @Test
    void historyDataHasTheShapeCloudwatchGivesIt() throws Exception {
        traffic.setVersionBehaviour("orders", "2", new VersionBehaviour(0.5, 100));
        minutes(2, 100);

        JsonNode data = new ObjectMapper().readTree(stateUpdatesSince(ROLLOUT_START).get(0).historyData());

        assertEquals("1.0", data.get("version").asText());
        assertEquals("OK", data.at("/oldState/stateValue").asText());
        assertTrue(data.at("/oldState/stateReason").asText().startsWith(
                "Threshold Crossed: 2 out of the last 3 datapoints [missing, missing] were not greater"),
                data.at("/oldState/stateReason").asText());
        assertEquals("ALARM", data.at("/newState/stateValue").asText());
        assertEquals(alarm().stateReason(), data.at("/newState/stateReason").asText());
        JsonNode reasonData = data.at("/newState/stateReasonData");
        assertEquals("Sum", reasonData.get("statistic").asText());
        assertEquals(60, reasonData.get("period").asInt());
        assertEquals(3.0, reasonData.get("threshold").asDouble());
        assertEquals("[5.0,5.0]", reasonData.get("recentDatapoints").toString());
        assertEquals("2025-01-06T10:01:00.000+0000", reasonData.at("/evaluatedDatapoints/0/timestamp").asText());
    }

    @Test
    void anEvaluationNamesTheAlarmsWhoseStateChanged() {
        traffic.invokeAlias("orders", "live", 100);

        assertEquals(List.of(ALARM), cloudWatch.evaluateAlarms());
        assertEquals(List.of(), cloudWatch.evaluateAlarms());
    }

    @Test
    void setAlarmStateLastsUntilTheNextEvaluationAndBothChangesAreRecorded() {
        minutes(1, 100);

        cloudWatch.setAlarmState(r -> r.alarmName(ALARM).stateValue(StateValue.ALARM).stateReason("drill"));
        StateValue set = alarm().stateValue();
        cloudWatch.evaluateAlarms();

        assertEquals(StateValue.ALARM, set);
        assertEquals(StateValue.OK, alarm().stateValue());
        assertEquals(List.of("Alarm updated from ALARM to OK", "Alarm updated from OK to ALARM",
                "Alarm updated from INSUFFICIENT_DATA to OK"),
                stateUpdatesSince(ROLLOUT_START).stream().map(AlarmHistoryItem::historySummary).toList());
    }

    @Test
    void setAlarmStateOnAnUnknownAlarmIsCloudwatchsResourceNotFound() {
        assertAwsError(DashboardNotFoundErrorException.class, 404, "ResourceNotFound",
                () -> cloudWatch.setAlarmState(r -> r.alarmName("nope").stateValue(StateValue.ALARM)
                        .stateReason("drill")));
    }

    @Test
    void setAlarmStateRefusesReasonDataThatIsNotJson() {
        assertAwsError(InvalidFormatException.class, 400, "InvalidFormat",
                () -> cloudWatch.setAlarmState(r -> r.alarmName(ALARM).stateValue(StateValue.ALARM)
                        .stateReason("drill").stateReasonData("{not json")));
    }

    @Test
    void updatingAnAlarmKeepsItsStateAndRecordsTheConfigurationChange() {
        traffic.setVersionBehaviour("orders", "2", new VersionBehaviour(0.5, 100));
        minutes(2, 100);

        cloudWatch.putMetricAlarm(r -> r.alarmName(ALARM).namespace("AWS/Lambda").metricName("Errors")
                .dimensions(dimension("FunctionName", "orders")).statistic(Statistic.SUM).period(60)
                .evaluationPeriods(1).threshold(100.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD));

        assertEquals(StateValue.ALARM, alarm().stateValue());
        assertEquals(100.0, alarm().threshold());
        assertEquals(List.of("Alarm \"" + ALARM + "\" updated", "Alarm \"" + ALARM + "\" created"),
                cloudWatch.describeAlarmHistory(r -> r.alarmName(ALARM)
                        .historyItemType(HistoryItemType.CONFIGURATION_UPDATE)).alarmHistoryItems().stream()
                        .map(AlarmHistoryItem::historySummary).toList());
    }

    /** Generates a minute of traffic, evaluates, records the state, then lets the minute pass. */
    private List<StateValue> minutes(int count, int requestsPerMinute) {
        StateValue[] states = new StateValue[count];
        for (int i = 0; i < count; i++) {
            traffic.invokeAlias("orders", "live", requestsPerMinute);
            cloudWatch.evaluateAlarms();
            states[i] = alarm().stateValue();
            clock.advance(Duration.ofMinutes(1));
        }
        return List.of(states);
    }

    private MetricAlarm alarm() {
        return cloudWatch.describeAlarms(r -> r.alarmNames(ALARM)).metricAlarms().get(0);
    }

    private List<AlarmHistoryItem> stateUpdatesSince(Instant start) {
        return cloudWatch.describeAlarmHistory(r -> r.alarmName(ALARM).historyItemType(HistoryItemType.STATE_UPDATE)
                .startDate(start)).alarmHistoryItems();
    }

    private static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }
}
