package dev.rollout.local.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/** A metric alarm's definition (the last PutMetricAlarm for its name) and its current state. */
final class StoredAlarm {

    private final String arn;
    private PutMetricAlarmRequest definition;
    private Instant configurationUpdated;
    private StateValue state = StateValue.INSUFFICIENT_DATA;
    private String stateReason = "Unchecked: Initial alarm creation";
    private String stateReasonData;
    private Instant stateUpdated;
    private Instant stateTransitioned;

    StoredAlarm(String arn, PutMetricAlarmRequest definition, Instant now) {
        this.arn = arn;
        this.definition = definition;
        this.configurationUpdated = now;
        this.stateUpdated = now;
        this.stateTransitioned = now;
    }

    PutMetricAlarmRequest definition() {
        return definition;
    }

    StateValue state() {
        return state;
    }

    /** An update overwrites the whole configuration but leaves the state as it is, as PutMetricAlarm documents. */
    void redefine(PutMetricAlarmRequest newDefinition, Instant now) {
        definition = newDefinition;
        configurationUpdated = now;
    }

    /** Moves to {@code verdict}'s state and returns the HistoryData of the change, in CloudWatch's shape. */
    String transition(AlarmVerdict verdict, Instant now) {
        ObjectNode history = Json.MAPPER.createObjectNode();
        history.put("version", "1.0");
        history.set("oldState", stateNode(state, stateReason, stateReasonData));
        history.set("newState", stateNode(verdict.state(), verdict.reason(), verdict.reasonData()));
        if (verdict.state() != state) {
            stateTransitioned = now;
        }
        state = verdict.state();
        stateReason = verdict.reason();
        stateReasonData = verdict.reasonData();
        stateUpdated = now;
        return Json.write(history);
    }

    /** The state as an alarm state-change event reports it. */
    AlarmEvents.State eventState() {
        return new AlarmEvents.State(state, stateReason, stateReasonData, stateUpdated);
    }

    String arn() {
        return arn;
    }

    MetricAlarm toMetricAlarm() {
        PutMetricAlarmRequest d = definition;
        return MetricAlarm.builder()
                .alarmName(d.alarmName())
                .alarmArn(arn)
                .alarmDescription(d.alarmDescription())
                .alarmConfigurationUpdatedTimestamp(configurationUpdated)
                .actionsEnabled(d.actionsEnabled() == null || d.actionsEnabled())
                .okActions(d.okActions())
                .alarmActions(d.alarmActions())
                .insufficientDataActions(d.insufficientDataActions())
                .stateValue(state)
                .stateReason(stateReason)
                .stateReasonData(stateReasonData)
                .stateUpdatedTimestamp(stateUpdated)
                .stateTransitionedTimestamp(stateTransitioned)
                .metricName(d.metricName())
                .namespace(d.namespace())
                .statistic(d.statistic())
                .dimensions(d.dimensions())
                .period(d.period())
                .unit(d.unit())
                .evaluationPeriods(d.evaluationPeriods())
                .datapointsToAlarm(d.datapointsToAlarm() != null ? d.datapointsToAlarm() : d.evaluationPeriods())
                .threshold(d.threshold())
                .comparisonOperator(d.comparisonOperator())
                .treatMissingData(d.treatMissingData() != null ? d.treatMissingData() : "missing")
                .build();
    }

    /** The alarm's settings as ConfigurationUpdate history items show them. */
    ObjectNode definitionNode() {
        PutMetricAlarmRequest d = definition;
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("alarmName", d.alarmName());
        node.put("namespace", d.namespace());
        node.put("metricName", d.metricName());
        var dimensions = node.putArray("dimensions");
        d.dimensions().forEach(dim -> dimensions.addObject().put("name", dim.name()).put("value", dim.value()));
        node.put("statistic", d.statisticAsString());
        node.put("period", d.period());
        node.put("evaluationPeriods", d.evaluationPeriods());
        node.put("datapointsToAlarm", d.datapointsToAlarm() != null ? d.datapointsToAlarm() : d.evaluationPeriods());
        node.put("threshold", d.threshold());
        node.put("comparisonOperator", d.comparisonOperatorAsString());
        node.put("treatMissingData", d.treatMissingData() != null ? d.treatMissingData() : "missing");
        return node;
    }

    private static ObjectNode stateNode(StateValue value, String reason, String reasonData) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("stateValue", value.toString());
        node.put("stateReason", reason);
        if (reasonData != null) {
            try {
                node.set("stateReasonData", Json.MAPPER.readTree(reasonData));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("state reason data is validated as JSON before it is stored", e);
            }
        }
        return node;
    }
}
