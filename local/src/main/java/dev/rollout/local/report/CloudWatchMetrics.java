package dev.rollout.local.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.handlers.Json;
import dev.rollout.local.report.RolloutReport.AlarmBand;
import dev.rollout.local.report.RolloutReport.AlarmRule;
import dev.rollout.local.report.RolloutReport.MetricSample;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.Collectors;
import dev.rollout.domain.Evidence;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * Reads what CloudWatch kept about a rollout's window: per version of the alias, Lambda's {@code Invocations} and
 * {@code Errors} sums and {@code Duration} p99 per minute ({@code GetMetricData}), and the times each watched alarm
 * spent in ALARM ({@code DescribeAlarmHistory}, with {@code DescribeAlarms} for the state before the first change).
 */
public final class CloudWatchMetrics {

    /** What a simulation's health lines add up: CloudWatch's finest period for Lambda's metrics. */
    static final Duration PERIOD = Duration.ofMinutes(1);

    private final CloudWatchClient cloudWatch;

    public CloudWatchMetrics(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    public RolloutReport.Metrics read(RolloutReport.Timeline timeline) {
        if (timeline.function().isEmpty()) {
            return RolloutReport.Metrics.none();
        }
        // Minutes, unless the rollout is long: then the periods CloudWatch keeps for older data, and at most 1,440 of
        // them, so a year-long bake draws as small a page as an hour's.
        Duration period = Duration.ofSeconds(Evidence.periodSeconds(Duration.between(timeline.start(), timeline.end())));
        // A period's datapoints can be stamped up to a period after the last event; read one period past it.
        Instant from = timeline.start().minus(period);
        Instant to = timeline.end().plus(period);
        return new RolloutReport.Metrics(period, samples(timeline.function(), timeline.alias(), timeline.versions(),
                from, to, period), bands(timeline, to), rules(timeline));
    }

    /**
     * Requests, errors and p99 latency per minute of each of {@code versions} served through the alias, for the
     * minutes CloudWatch stamps in {@code [from, to)}, oldest first; minutes without requests are left out.
     */
    public List<MetricSample> samples(String function, String alias, List<String> versions, Instant from, Instant to,
                                      Duration period) {
        List<MetricDataQuery> queries = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            List<Dimension> dimensions = List.of(dimension("FunctionName", function),
                    dimension("Resource", function + ":" + alias),
                    dimension("ExecutedVersion", versions.get(i)));
            queries.add(query("requests" + i, "Invocations", "Sum", dimensions, period));
            queries.add(query("errors" + i, "Errors", "Sum", dimensions, period));
            queries.add(query("p99_" + i, "Duration", "p99", dimensions, period));
        }
        Map<String, Map<Instant, Double>> byId = new HashMap<>();
        String token = null;
        do {
            String page = token;
            GetMetricDataResponse response = cloudWatch.getMetricData(request -> request.metricDataQueries(queries)
                    .startTime(from).endTime(to).scanBy(ScanBy.TIMESTAMP_ASCENDING).nextToken(page));
            for (MetricDataResult result : response.metricDataResults()) {
                Map<Instant, Double> values = byId.computeIfAbsent(result.id(), id -> new TreeMap<>());
                for (int j = 0; j < result.timestamps().size(); j++) {
                    values.put(result.timestamps().get(j), result.values().get(j));
                }
            }
            token = response.nextToken();
        } while (token != null);
        List<MetricSample> samples = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            Map<Instant, Double> p99 = byId.getOrDefault("p99_" + i, Map.of());
            Map<Instant, Double> errors = byId.getOrDefault("errors" + i, Map.of());
            for (Map.Entry<Instant, Double> requests : byId.getOrDefault("requests" + i, Map.of()).entrySet()) {
                Double latency = p99.get(requests.getKey());
                samples.add(new MetricSample(requests.getKey(), versions.get(i), requests.getValue(),
                        errors.getOrDefault(requests.getKey(), 0.0),
                        latency == null ? OptionalDouble.empty() : OptionalDouble.of(latency)));
            }
        }
        samples.sort(Comparator.comparing(MetricSample::at));
        return samples;
    }

    private static MetricDataQuery query(String id, String metric, String stat, List<Dimension> dimensions,
                                         Duration period) {
        return MetricDataQuery.builder().id(id).returnData(true)
                .metricStat(s -> s.stat(stat).period((int) period.toSeconds())
                        .metric(m -> m.namespace("AWS/Lambda").metricName(metric).dimensions(dimensions)))
                .build();
    }

    /** Each watched alarm's times in ALARM from the start to {@code to}; one still firing at {@code to} ends there. */
    private List<AlarmBand> bands(RolloutReport.Timeline timeline, Instant to) {
        List<AlarmBand> bands = new ArrayList<>();
        Map<String, MetricAlarm> described = described(timeline);
        for (String alarm : timeline.alarms()) {
            List<AlarmHistoryItem> changes = new ArrayList<>();
            String token = null;
            do {
                String page = token;
                var response = cloudWatch.describeAlarmHistory(request -> request.alarmName(alarm)
                        .historyItemType(HistoryItemType.STATE_UPDATE).startDate(timeline.start())
                        .endDate(to).scanBy(ScanBy.TIMESTAMP_ASCENDING).nextToken(page));
                changes.addAll(response.alarmHistoryItems());
                token = response.nextToken();
            } while (token != null);
            changes.sort(Comparator.comparing(AlarmHistoryItem::timestamp));
            // The state at the start: what the first change left, or, without changes, the state now.
            String state = changes.isEmpty()
                    ? (described.containsKey(alarm) ? described.get(alarm).stateValueAsString() : "")
                    : data(changes.get(0)).path("oldState").path("stateValue").asText("");
            String reason = changes.isEmpty() && described.containsKey(alarm)
                    ? described.get(alarm).stateReason() : "";
            Instant since = timeline.start();
            for (AlarmHistoryItem change : changes) {
                JsonNode newState = data(change).path("newState");
                if (state.equals(StateValue.ALARM.toString()) && change.timestamp().isAfter(since)) {
                    bands.add(new AlarmBand(alarm, since, change.timestamp(), reason));
                }
                state = newState.path("stateValue").asText("");
                reason = newState.path("stateReason").asText("");
                since = change.timestamp();
            }
            if (state.equals(StateValue.ALARM.toString())) {
                bands.add(new AlarmBand(alarm, since, to, reason));
            }
        }
        return bands;
    }

    private List<AlarmRule> rules(RolloutReport.Timeline timeline) {
        Map<String, MetricAlarm> described = described(timeline);
        return timeline.alarms().stream().map(name -> new AlarmRule(name, described.containsKey(name)
                ? describe(described.get(name)) : "not a metric alarm in this account and Region")).toList();
    }

    private Map<String, MetricAlarm> described(RolloutReport.Timeline timeline) {
        if (timeline.alarms().isEmpty()) {
            return Map.of();
        }
        return cloudWatch.describeAlarms(request -> request.alarmNames(timeline.alarms())).metricAlarms().stream()
                .collect(Collectors.toMap(MetricAlarm::alarmName, alarm -> alarm));
    }

    /** For example {@code Errors Sum >= 5 per 60 s, 1 of 1 periods (ExecutedVersion=2)}. */
    static String describe(MetricAlarm alarm) {
        String comparison = switch (alarm.comparisonOperatorAsString()) {
            case "GreaterThanOrEqualToThreshold" -> ">=";
            case "GreaterThanThreshold" -> ">";
            case "LessThanThreshold" -> "<";
            case "LessThanOrEqualToThreshold" -> "<=";
            default -> alarm.comparisonOperatorAsString();
        };
        String statistic = alarm.statistic() != null ? alarm.statisticAsString() : alarm.extendedStatistic();
        String dimensions = alarm.dimensions().stream().map(d -> d.name() + "=" + d.value())
                .collect(Collectors.joining(", "));
        double threshold = alarm.threshold();
        return alarm.metricName() + " " + statistic + " " + comparison + " "
                + (threshold == Math.rint(threshold) ? String.valueOf((long) threshold) : String.valueOf(threshold))
                + " per " + alarm.period() + " s, " + (alarm.datapointsToAlarm() != null ? alarm.datapointsToAlarm()
                : alarm.evaluationPeriods()) + " of " + alarm.evaluationPeriods()
                + " periods (" + dimensions + ")";
    }

    private static JsonNode data(AlarmHistoryItem item) {
        try {
            return item.historyData() == null ? Json.object() : Json.MAPPER.readTree(item.historyData());
        } catch (IOException unreadable) {
            return Json.object();
        }
    }

    private static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }
}
