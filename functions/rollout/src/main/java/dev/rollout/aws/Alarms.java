package dev.rollout.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import dev.rollout.domain.AlarmStatus;
import dev.rollout.domain.AlarmTransition;
import dev.rollout.domain.SharedJson;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.CompositeAlarm;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

/** Reads CloudWatch alarms (metric and composite) and their state history. */
public final class Alarms {

    private final CloudWatchClient cloudWatch;

    public Alarms(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /** The current state of each named alarm that exists; missing names are simply absent. */
    public List<AlarmStatus> statuses(List<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        List<AlarmStatus> statuses = new ArrayList<>();
        try {
            // Pages rather than metricAlarms()/compositeAlarms(): each of those would list every page again.
            for (DescribeAlarmsResponse page : cloudWatch.describeAlarmsPaginator(request -> request
                    .alarmNames(names)
                    .alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM))) {
                for (MetricAlarm alarm : page.metricAlarms()) {
                    statuses.add(new AlarmStatus(alarm.alarmName(), alarm.stateValueAsString(),
                            since(alarm.stateTransitionedTimestamp(), alarm.stateUpdatedTimestamp()),
                            alarm.stateReason()));
                }
                for (CompositeAlarm alarm : page.compositeAlarms()) {
                    statuses.add(new AlarmStatus(alarm.alarmName(), alarm.stateValueAsString(),
                            since(alarm.stateTransitionedTimestamp(), alarm.stateUpdatedTimestamp()),
                            alarm.stateReason()));
                }
            }
        } catch (SdkException error) {
            throw AwsErrors.translate("DescribeAlarms " + names, error);
        }
        return statuses;
    }

    /** Every state change of {@code alarm} between {@code from} and {@code to}, oldest first. */
    public List<AlarmTransition> transitions(String alarm, Instant from, Instant to) {
        List<AlarmTransition> transitions = new ArrayList<>();
        try {
            for (AlarmHistoryItem item : cloudWatch.describeAlarmHistoryPaginator(request -> request
                    .alarmName(alarm)
                    // Without AlarmTypes, CloudWatch returns only metric alarms' history, never a composite's.
                    .alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM)
                    .historyItemType(HistoryItemType.STATE_UPDATE)
                    .startDate(from)
                    .endDate(to)).alarmHistoryItems()) {
                transitions.add(transition(alarm, item));
            }
        } catch (SdkException error) {
            throw AwsErrors.translate("DescribeAlarmHistory " + alarm, error);
        }
        transitions.sort((a, b) -> a.at().compareTo(b.at()));
        return transitions;
    }

    /** HistoryData is a JSON document with oldState and newState, each with stateValue and stateReason. */
    private static AlarmTransition transition(String alarm, AlarmHistoryItem item) {
        JsonNode data = historyData(item.historyData());
        // The summary reads "Alarm updated from OK to ALARM": a fallback when the data is unreadable.
        String summary = item.historySummary() == null ? "" : item.historySummary();
        String summarisedTarget = summary.contains(" to ") ? summary.substring(summary.lastIndexOf(" to ") + 4) : "";
        return new AlarmTransition(alarm, item.timestamp(),
                data.path("oldState").path("stateValue").asText(""),
                data.path("newState").path("stateValue").asText(summarisedTarget),
                data.path("newState").path("stateReason").asText(summary));
    }

    private static JsonNode historyData(String text) {
        if (text == null) {
            return MissingNode.getInstance();
        }
        try {
            return SharedJson.MAPPER.readTree(text);
        } catch (IOException unreadable) {
            return MissingNode.getInstance();
        }
    }

    private static Instant since(Instant transitioned, Instant updated) {
        return transitioned != null ? transitioned : updated;
    }
}
