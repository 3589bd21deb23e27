package dev.rollout.local.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmHistoryRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmHistoryResponse;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmResponse;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.SetAlarmStateRequest;
import software.amazon.awssdk.services.cloudwatch.model.SetAlarmStateResponse;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * CloudWatch metrics and metric alarms in memory. Metrics come from {@code PutMetricData} and from the in-memory
 * services ({@link InMemoryLambda} publishes {@code AWS/Lambda}); alarms change state only when
 * {@link #evaluateAlarms()} is called, which a simulation does once per simulated minute. Each change of an alarm's
 * state is also sent, as the "CloudWatch Alarm State Change" event CloudWatch sends EventBridge, to the listeners
 * registered with {@link #onAlarmStateChange}.
 */
public final class InMemoryCloudWatch implements CloudWatchClient {

    private static final int MAX_RECORDS_LIMIT = 100;
    private static final int DEFAULT_MAX_RECORDS = 50;
    private static final int MAX_DATAPOINTS = 1_440;
    private static final int MAX_METRIC_DATA = 1_000;
    private static final String ALARM_TOKEN = "alarms";

    private final Clock clock;
    private final AwsAccount account;
    private final MetricStore metrics = new MetricStore();
    private final Map<String, StoredAlarm> alarms = new TreeMap<>();
    private final AlarmHistory history = new AlarmHistory();
    private final List<Consumer<JsonNode>> stateChangeListeners = new CopyOnWriteArrayList<>();
    private final FaultInjector faults = new FaultInjector(Set.of("PutMetricData", "GetMetricStatistics", "GetMetricData",
            "PutMetricAlarm", "DescribeAlarms", "DescribeAlarmHistory", "SetAlarmState"));

    public InMemoryCloudWatch(Clock clock) {
        this(clock, AwsAccount.DEFAULT);
    }

    public InMemoryCloudWatch(Clock clock, AwsAccount account) {
        this.clock = clock;
        this.account = account;
    }

    /**
     * Receives each alarm state-change event, as EventBridge would. Listeners are called while this CloudWatch is
     * locked, at the change: they should hand the event on (schedule its delivery), not call back in.
     */
    public void onAlarmStateChange(Consumer<JsonNode> listener) {
        stateChangeListeners.add(listener);
    }

    /** Plans failures of this service's operations, named as in the CloudWatch API (e.g. {@code DescribeAlarms}). */
    public FaultInjector faults() {
        return faults;
    }

    /**
     * Evaluates every metric alarm at the clock's current time and records each change of state in the alarm
     * history; returns the names of the alarms that changed.
     */
    public synchronized List<String> evaluateAlarms() {
        return evaluate(alarms.values());
    }

    /**
     * As {@link #evaluateAlarms()}, for the named alarms only (names without an alarm are passed over): one function's
     * alarms among thousands, evaluated on that function's own minute.
     */
    public synchronized List<String> evaluateAlarms(Collection<String> names) {
        List<StoredAlarm> named = new ArrayList<>();
        for (String name : names) {
            StoredAlarm alarm = alarms.get(name);
            if (alarm != null) {
                named.add(alarm);
            }
        }
        return evaluate(named);
    }

    private List<String> evaluate(Collection<StoredAlarm> toEvaluate) {
        Instant now = clock.instant();
        List<String> changed = new ArrayList<>();
        for (StoredAlarm alarm : toEvaluate) {
            Optional<AlarmEvaluator.Outcome> outcome = new AlarmEvaluator(alarm.definition()).evaluate(metrics, now);
            if (outcome.isPresent() && outcome.get().state() != alarm.state()) {
                recordTransition(alarm, outcome.get().verdict().get(), now);
                changed.add(alarm.definition().alarmName());
            }
        }
        return changed;
    }

    /** The state of the alarm named {@code name}, as the console shows it (no API call); empty when there is none. */
    public synchronized Optional<StateValue> alarmState(String name) {
        return Optional.ofNullable(alarms.get(name)).map(StoredAlarm::state);
    }

    /**
     * Whether no metric alarm can change state while the metrics {@code continuing} names go on with those values and
     * nothing else is published: evaluating the alarms every minute meanwhile would change nothing.
     */
    synchronized boolean alarmsSettled(Map<MetricId, DatapointValues> continuing) {
        Instant now = clock.instant();
        for (StoredAlarm alarm : alarms.values()) {
            if (!new AlarmEvaluator(alarm.definition()).staysAt(alarm.state(), metrics, now, continuing)) {
                return false;
            }
        }
        return true;
    }

    /**
     * How many runs of identical, evenly spaced datapoints the metrics are stored as: what their memory grows with.
     * Steady traffic adds none, however long it lasts.
     */
    public synchronized int storedMetricRuns() {
        return metrics.storedRuns();
    }

    /** How AWS services publish into their own {@code AWS/...} namespaces, which PutMetricData refuses. */
    synchronized void record(MetricId metric, Instant timestamp, Aggregate aggregate, StandardUnit unit) {
        metrics.add(metric, timestamp, aggregate, unit);
    }

    /** As {@link #record(MetricId, Instant, Aggregate, StandardUnit)}, the datapoints a run's values have at {@code index}. */
    synchronized void record(MetricId metric, Instant timestamp, DatapointValues values, long index, Duration step,
                             StandardUnit unit) {
        metrics.add(metric, timestamp, values, index, step, unit);
    }

    /** Continues the metric's run of {@code values} through {@code index}, whose timestamp is {@code last}. */
    synchronized void extend(MetricId metric, Instant last, DatapointValues values, long index) {
        metrics.extend(metric, last, values, index);
    }

    /**
     * The values of the metric's runs of datapoints identical to {@code aggregate}, {@code step} apart, going on to
     * {@code last}: as many {@link #extend(MetricId, Instant, Aggregate, StandardUnit, Duration)} calls as it lists
     * continue one.
     */
    synchronized List<DatapointValues> extendable(MetricId metric, Instant last, Aggregate aggregate,
                                                  StandardUnit unit, Duration step) {
        return metrics.extendable(metric, last, aggregate, unit, step);
    }

    /** Continues a run {@link #extendable} lists through {@code last}; false when there is none. */
    synchronized boolean extend(MetricId metric, Instant last, Aggregate aggregate, StandardUnit unit,
                                Duration step) {
        return metrics.extend(metric, last, aggregate, unit, step);
    }

    @Override
    public synchronized PutMetricDataResponse putMetricData(PutMetricDataRequest request) {
        faults.enter("PutMetricData");
        if (request.namespace() == null) {
            throw CloudWatchErrors.missing("Namespace");
        }
        if (request.namespace().startsWith("AWS/")) {
            throw CloudWatchErrors.invalidValue("Namespace", request.namespace(),
                    "Namespaces starting with AWS/ are reserved for AWS services.");
        }
        if (request.hasEntityMetricData()) {
            throw new UnsupportedOperationException("EntityMetricData is not supported by the in-memory CloudWatch");
        }
        if (!request.hasMetricData() || request.metricData().isEmpty()) {
            throw CloudWatchErrors.missing("MetricData");
        }
        if (request.metricData().size() > MAX_METRIC_DATA) {
            throw CloudWatchErrors.invalidValue("MetricData", request.metricData().size() + " items",
                    "At most " + MAX_METRIC_DATA + " are allowed per request.");
        }
        Instant now = clock.instant();
        List<Runnable> writes = new ArrayList<>();
        for (int i = 0; i < request.metricData().size(); i++) {
            MetricDatum datum = request.metricData().get(i);
            String member = "MetricData.member." + (i + 1);
            MetricId id = MetricId.of(request.namespace(), requireMetricName(datum, member), datum.dimensions());
            Aggregate aggregate = MetricDatumValues.aggregate(datum, member);
            Instant timestamp = datum.timestamp() != null ? datum.timestamp() : now;
            StandardUnit unit = datum.unit() != null ? datum.unit() : StandardUnit.NONE;
            writes.add(() -> metrics.add(id, timestamp, aggregate, unit));
        }
        // CloudWatch accepts a request whole or not at all.
        writes.forEach(Runnable::run);
        return PutMetricDataResponse.builder().build();
    }

    @Override
    public synchronized GetMetricStatisticsResponse getMetricStatistics(GetMetricStatisticsRequest request) {
        faults.enter("GetMetricStatistics");
        checkStatisticsRequest(request);
        MetricId id = MetricId.of(request.namespace(), request.metricName(), request.dimensions());
        Duration period = Duration.ofSeconds(request.period());
        // CloudWatch rounds the start time down to the resolution it keeps data of that age in, and counts periods
        // from there.
        Instant origin = MetricStore.roundedStart(request.startTime(), clock.instant());
        SortedMap<Instant, Aggregate> periods =
                metrics.periods(id, origin, request.endTime(), period, origin, request.unit());
        StandardUnit unit = request.unit() != null ? request.unit() : metrics.unit(id);
        List<Datapoint> datapoints = new ArrayList<>();
        periods.forEach((start, aggregate) -> {
            Datapoint.Builder point = Datapoint.builder().timestamp(start).unit(unit);
            for (Statistic statistic : request.statistics()) {
                double value = aggregate.value(statistic);
                switch (statistic) {
                    case SAMPLE_COUNT -> point.sampleCount(value);
                    case AVERAGE -> point.average(value);
                    case SUM -> point.sum(value);
                    case MINIMUM -> point.minimum(value);
                    case MAXIMUM -> point.maximum(value);
                    default -> throw new IllegalStateException("checked above: " + statistic);
                }
            }
            datapoints.add(point.build());
        });
        return GetMetricStatisticsResponse.builder().label(request.metricName()).datapoints(datapoints).build();
    }

    /** Metric queries with MetricStat, percentiles included; see {@link MetricDataQueries} for what is refused. */
    @Override
    public synchronized GetMetricDataResponse getMetricData(GetMetricDataRequest request) {
        faults.enter("GetMetricData");
        return new MetricDataQueries(metrics, clock.instant()).answer(request);
    }

    @Override
    public synchronized PutMetricAlarmResponse putMetricAlarm(PutMetricAlarmRequest request) {
        faults.enter("PutMetricAlarm");
        MetricAlarmRules.check(request);
        Instant now = clock.instant();
        String name = request.alarmName();
        StoredAlarm existing = alarms.get(name);
        var data = Json.MAPPER.createObjectNode();
        data.put("version", "1.0");
        if (existing == null) {
            StoredAlarm alarm = new StoredAlarm(account.arn("cloudwatch", "alarm:" + name), request, now);
            alarms.put(name, alarm);
            data.put("type", "Create");
            data.set("createdAlarm", alarm.definitionNode());
            history.record(name, HistoryItemType.CONFIGURATION_UPDATE, "Alarm \"" + name + "\" created",
                    Json.write(data), now);
        } else {
            data.put("type", "Update");
            data.set("originalAlarm", existing.definitionNode());
            existing.redefine(request, now);
            data.set("updatedAlarm", existing.definitionNode());
            history.record(name, HistoryItemType.CONFIGURATION_UPDATE, "Alarm \"" + name + "\" updated",
                    Json.write(data), now);
        }
        return PutMetricAlarmResponse.builder().build();
    }

    @Override
    public synchronized DescribeAlarmsResponse describeAlarms(DescribeAlarmsRequest request) {
        faults.enter("DescribeAlarms");
        if (request.actionPrefix() != null || request.childrenOfAlarmName() != null
                || request.parentsOfAlarmName() != null) {
            throw new UnsupportedOperationException("DescribeAlarms by ActionPrefix, ChildrenOfAlarmName or "
                    + "ParentsOfAlarmName is not supported by the in-memory CloudWatch");
        }
        if (request.hasAlarmNames() && request.alarmNamePrefix() != null) {
            throw CloudWatchErrors.combination("AlarmNamePrefix cannot be specified together with AlarmNames.");
        }
        if (request.alarmNames().size() > MAX_RECORDS_LIMIT) {
            throw CloudWatchErrors.invalidValue("AlarmNames", request.alarmNames().size() + " names",
                    "At most " + MAX_RECORDS_LIMIT + " are allowed.");
        }
        int maxRecords = request.maxRecords() != null ? request.maxRecords() : DEFAULT_MAX_RECORDS;
        if (maxRecords < 1 || maxRecords > MAX_RECORDS_LIMIT) {
            throw CloudWatchErrors.invalidValue("MaxRecords", maxRecords,
                    "It must be between 1 and " + MAX_RECORDS_LIMIT + ".");
        }
        String after = request.nextToken() == null ? null
                : PageToken.decode(ALARM_TOKEN, request.nextToken()).orElseThrow(CloudWatchErrors::invalidNextToken);
        // Without AlarmTypes only metric alarms are described; composite alarms are not supported, so never exist.
        boolean metricAlarmsWanted = !request.hasAlarmTypes() || request.alarmTypes().contains(AlarmType.METRIC_ALARM);
        Stream<StoredAlarm> candidates = metricAlarmsWanted ? alarms.values().stream() : Stream.empty();
        List<MetricAlarm> matching = candidates
                .filter(a -> !request.hasAlarmNames() || request.alarmNames().contains(a.definition().alarmName()))
                .filter(a -> request.alarmNamePrefix() == null
                        || a.definition().alarmName().startsWith(request.alarmNamePrefix()))
                .filter(a -> request.stateValue() == null || request.stateValue() == a.state())
                .filter(a -> after == null || a.definition().alarmName().compareTo(after) > 0)
                .map(StoredAlarm::toMetricAlarm)
                .toList();
        List<MetricAlarm> page = matching.subList(0, Math.min(maxRecords, matching.size()));
        return DescribeAlarmsResponse.builder()
                .metricAlarms(page)
                .compositeAlarms(List.of())
                .nextToken(page.size() < matching.size()
                        ? PageToken.encode(ALARM_TOKEN, page.get(page.size() - 1).alarmName())
                        : null)
                .build();
    }

    @Override
    public synchronized DescribeAlarmHistoryResponse describeAlarmHistory(DescribeAlarmHistoryRequest request) {
        faults.enter("DescribeAlarmHistory");
        return history.describe(request);
    }

    /** Sets the state until the next evaluation says otherwise, recording the change like any other. */
    @Override
    public synchronized SetAlarmStateResponse setAlarmState(SetAlarmStateRequest request) {
        faults.enter("SetAlarmState");
        if (request.alarmName() == null) {
            throw CloudWatchErrors.missing("AlarmName");
        }
        if (request.stateValue() == null) {
            throw CloudWatchErrors.missing("StateValue");
        }
        if (request.stateValue() == StateValue.UNKNOWN_TO_SDK_VERSION) {
            throw CloudWatchErrors.invalidValue("StateValue", request.stateValueAsString(),
                    "It must be one of OK, ALARM, INSUFFICIENT_DATA.");
        }
        if (request.stateReason() == null) {
            throw CloudWatchErrors.missing("StateReason");
        }
        if (request.stateReasonData() != null) {
            try {
                Json.MAPPER.readTree(request.stateReasonData());
            } catch (JsonProcessingException e) {
                throw CloudWatchErrors.invalidFormat("StateReasonData must be valid JSON: " + e.getOriginalMessage());
            }
        }
        StoredAlarm alarm = alarms.get(request.alarmName());
        if (alarm == null) {
            throw CloudWatchErrors.resourceNotFound("Alarm " + request.alarmName() + " does not exist.");
        }
        recordTransition(alarm,
                new AlarmVerdict(request.stateValue(), request.stateReason(), request.stateReasonData()),
                clock.instant());
        return SetAlarmStateResponse.builder().build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        // Nothing to release: the state lives as long as the object.
    }

    private void recordTransition(StoredAlarm alarm, AlarmVerdict verdict, Instant now) {
        StateValue from = alarm.state();
        AlarmEvents.State previous = alarm.eventState();
        String data = alarm.transition(verdict, now);
        history.record(alarm.definition().alarmName(), HistoryItemType.STATE_UPDATE,
                "Alarm updated from " + from + " to " + verdict.state(), data, now);
        if (from != verdict.state()) {
            JsonNode event = AlarmEvents.stateChange(account, alarm.arn(), alarm.definition(), previous,
                    alarm.eventState(), now);
            stateChangeListeners.forEach(listener -> listener.accept(event));
        }
    }

    private static String requireMetricName(MetricDatum datum, String member) {
        if (datum.metricName() == null) {
            throw CloudWatchErrors.missing(member + ".MetricName");
        }
        return datum.metricName();
    }

    private static void checkStatisticsRequest(GetMetricStatisticsRequest r) {
        if (r.namespace() == null) {
            throw CloudWatchErrors.missing("Namespace");
        }
        if (r.metricName() == null) {
            throw CloudWatchErrors.missing("MetricName");
        }
        if (r.startTime() == null) {
            throw CloudWatchErrors.missing("StartTime");
        }
        if (r.endTime() == null) {
            throw CloudWatchErrors.missing("EndTime");
        }
        if (r.period() == null) {
            throw CloudWatchErrors.missing("Period");
        }
        if (r.hasExtendedStatistics()) {
            throw new UnsupportedOperationException(
                    "ExtendedStatistics (percentiles) are not supported by the in-memory CloudWatch");
        }
        if (!r.hasStatistics() || r.statistics().isEmpty()) {
            throw CloudWatchErrors.combination("Must specify either Statistics or ExtendedStatistics.");
        }
        if (r.statistics().contains(Statistic.UNKNOWN_TO_SDK_VERSION)) {
            throw CloudWatchErrors.invalidValue("Statistics", r.statisticsAsStrings(),
                    "Each must be one of SampleCount, Average, Sum, Minimum, Maximum.");
        }
        int period = r.period();
        if (!(period == 1 || period == 5 || period == 10 || period == 30 || (period > 0 && period % 60 == 0))) {
            throw CloudWatchErrors.invalidValue("Period", period, "It must be 1, 5, 10, 30 or a multiple of 60.");
        }
        if (!r.startTime().isBefore(r.endTime())) {
            throw CloudWatchErrors.invalidValue("The parameter StartTime must be less than the parameter EndTime.");
        }
        long requested = Duration.between(r.startTime(), r.endTime()).getSeconds() / period;
        if (requested > MAX_DATAPOINTS) {
            throw CloudWatchErrors.combination("You have requested up to " + requested + " datapoints, which "
                    + "exceeds the limit of " + MAX_DATAPOINTS + ". You may reduce the datapoints requested by "
                    + "increasing Period, or decreasing the time range.");
        }
    }
}
