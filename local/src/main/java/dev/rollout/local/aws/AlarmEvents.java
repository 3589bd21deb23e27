package dev.rollout.local.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * The "CloudWatch Alarm State Change" events CloudWatch sends EventBridge for a metric alarm, in the shape AWS
 * delivers them (events/alarm-state-change.json is one): the alarm, its new and previous state with reason, reason
 * data and timestamp, and its configuration. Ids derive from the alarm and time, so a simulation's events are the
 * same on every run.
 */
public final class AlarmEvents {

    private AlarmEvents() {
    }

    static ObjectNode stateChange(AwsAccount account, String alarmArn, PutMetricAlarmRequest alarm,
                                  State previous, State current, Instant at) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.nameUUIDFromBytes((alarmArn + " " + current.value() + " " + at)
                .getBytes(StandardCharsets.UTF_8)).toString());
        event.put("detail-type", "CloudWatch Alarm State Change");
        event.put("source", "aws.cloudwatch");
        event.put("account", account.accountId());
        event.put("time", at.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", account.region());
        event.putArray("resources").add(alarmArn);
        ObjectNode detail = event.putObject("detail");
        detail.put("alarmName", alarm.alarmName());
        detail.set("state", previousOrCurrent(current));
        detail.set("previousState", previousOrCurrent(previous));
        ObjectNode configuration = detail.putObject("configuration");
        if (alarm.alarmDescription() != null) {
            configuration.put("description", alarm.alarmDescription());
        }
        ObjectNode metric = configuration.putArray("metrics").addObject();
        metric.put("id", UUID.nameUUIDFromBytes(alarmArn.getBytes(StandardCharsets.UTF_8)).toString());
        ObjectNode stat = metric.putObject("metricStat");
        ObjectNode named = stat.putObject("metric");
        named.put("namespace", alarm.namespace());
        named.put("name", alarm.metricName());
        ObjectNode dimensions = named.putObject("dimensions");
        alarm.dimensions().forEach(dimension -> dimensions.put(dimension.name(), dimension.value()));
        stat.put("period", alarm.period());
        stat.put("stat", alarm.statisticAsString() != null ? alarm.statisticAsString() : alarm.extendedStatistic());
        metric.put("returnData", true);
        return event;
    }

    private static ObjectNode previousOrCurrent(State state) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("value", state.value().toString());
        node.put("reason", state.reason());
        if (state.reasonData() != null) {
            node.put("reasonData", state.reasonData());
        }
        node.put("timestamp", Json.timestamp(state.since()));
        return node;
    }

    /** An alarm state as the event reports it. */
    record State(StateValue value, String reason, String reasonData, Instant since) {
    }
}
