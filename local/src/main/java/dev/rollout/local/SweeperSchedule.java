package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.rollout.handlers.Sweep;
import dev.rollout.local.aws.EmbeddedMetricLogs;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/**
 * The template's schedule for the sweeper, on the virtual clock: every period (read from the {@code Schedule} event
 * of the function whose handler is {@link Sweep}), the sweeper runs as EventBridge Scheduler would invoke it. Its log's
 * embedded-metric lines become datapoints as CloudWatch Logs makes them, and the template's alarms on those metrics
 * (namespace {@value #NAMESPACE}: {@code StuckRolloutsAlarm}) exist in the embedded CloudWatch, named by their logical
 * IDs, evaluated after each round.
 */
public final class SweeperSchedule {
    private static final String TARGET_HANDLER = Sweep.class.getName() + "::handleRequest";
    /** The namespace of the metrics the functions write themselves. */
    static final String NAMESPACE = "LambdaRollout";
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");

    /** One round: when, and what the sweeper answered or the error it failed with. */
    public record Round(java.time.Instant at, Optional<JsonNode> answer, Optional<String> error) {
    }

    private final LocalAws aws;
    private final Sweep sweeper;
    private final Duration period;
    private final Consumer<Round> observer;
    private final EmbeddedMetricLogs metricLogs;
    private final List<String> alarms;
    private final List<Round> rounds = new ArrayList<>();
    private final Set<String> alarmsRaised = new TreeSet<>();

    private SweeperSchedule(LocalAws aws, Sweep sweeper, Duration period, List<String> alarms,
                            Consumer<Round> observer) {
        this.aws = aws;
        this.sweeper = sweeper;
        this.period = period;
        this.alarms = alarms;
        this.observer = observer;
        this.metricLogs = new EmbeddedMetricLogs(aws.cloudWatch());
    }

    /**
     * The template's schedule on {@code runtime}'s clock, started by {@link #start}.
     *
     * @param observer         told of each round as it happens (simulate prints the ones that did something)
     */
    public static SweeperSchedule attach(Path projectRoot, LocalRuntime runtime, Consumer<Round> observer)
            throws IOException {
        Path template = projectRoot.resolve("template.yaml");
        List<String> alarms = new ArrayList<>();
        for (PutMetricAlarmRequest alarm : ownMetricAlarms(template)) {
            runtime.aws().cloudWatch().putMetricAlarm(alarm);
            alarms.add(alarm.alarmName());
        }
        return new SweeperSchedule(runtime.aws(), runtime.sweeper(), period(template), alarms, observer);
    }

    /**
     * The template's alarms on the metrics the functions write themselves (namespace {@value #NAMESPACE}), each named
     * by its logical ID: CloudFormation names them in AWS.
     */
    static List<PutMetricAlarmRequest> ownMetricAlarms(Path template) throws IOException {
        List<PutMetricAlarmRequest> alarms = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> resources = CloudFormationYaml.read(template).path("Resources")
                .fields(); resources.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = resources.next();
            JsonNode alarm = resource.getValue().path("Properties");
            if (!"AWS::CloudWatch::Alarm".equals(resource.getValue().path("Type").asText())
                    || !NAMESPACE.equals(alarm.path("Namespace").asText())) {
                continue;
            }
            List<Dimension> dimensions = new ArrayList<>();
            for (JsonNode dimension : alarm.path("Dimensions")) {
                dimensions.add(Dimension.builder().name(dimension.path("Name").asText())
                        .value(dimension.path("Value").asText()).build());
            }
            alarms.add(PutMetricAlarmRequest.builder()
                    .alarmName(resource.getKey())
                    .namespace(NAMESPACE)
                    .metricName(alarm.path("MetricName").asText())
                    .dimensions(dimensions)
                    .statistic(alarm.path("Statistic").asText())
                    .period(alarm.path("Period").asInt())
                    .evaluationPeriods(alarm.path("EvaluationPeriods").asInt())
                    .threshold(alarm.path("Threshold").asDouble())
                    .comparisonOperator(alarm.path("ComparisonOperator").asText())
                    .treatMissingData(alarm.path("TreatMissingData").asText())
                    .build());
        }
        return alarms;
    }

    /** The sweeper's period, from its function's one {@code Schedule} event, e.g. {@code rate(5 minutes)}. */
    public static Duration period(Path template) throws IOException {
        List<String> schedules = new ArrayList<>();
        for (JsonNode resource : CloudFormationYaml.read(template).path("Resources")) {
            if (TARGET_HANDLER.equals(resource.at("/Properties/Handler").asText())) {
                for (JsonNode event : resource.at("/Properties/Events")) {
                    if ("Schedule".equals(event.path("Type").asText())) {
                        schedules.add(event.at("/Properties/Schedule").asText());
                    }
                }
            }
        }
        if (schedules.size() != 1) {
            throw new IllegalStateException(template + " should hold one Schedule event on the function whose"
                    + " Handler is " + TARGET_HANDLER + ", found " + schedules.size());
        }
        Matcher rate = RATE.matcher(schedules.get(0));
        if (!rate.matches()) {
            throw new IllegalStateException("the sweeper's schedule must be rate(N minutes|hours|days), got "
                    + schedules.get(0));
        }
        long amount = Long.parseLong(rate.group(1));
        return switch (rate.group(2)) {
            case "minute", "minutes" -> Duration.ofMinutes(amount);
            case "hour", "hours" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** The first round one period from now, then one every period. */
    public void start() {
        next();
    }

    public Duration period() {
        return period;
    }

    /** Every round so far, oldest first. */
    public synchronized List<Round> rounds() {
        return List.copyOf(rounds);
    }

    /** The template's alarms on the sweeper's metrics that have been in ALARM after some round, by logical ID. */
    public synchronized Set<String> alarmsRaised() {
        return Set.copyOf(alarmsRaised);
    }

    private void next() {
        aws.clock().after(period, this::sweep);
    }

    private void sweep() {
        Round round;
        try {
            JsonNode answer = sweeper.sweep(new LocalContext("Sweep", LocalContext.logger(metricLogs::extract)));
            round = new Round(aws.clock().instant(), Optional.of(answer), Optional.empty());
        } catch (RuntimeException failed) {
            round = new Round(aws.clock().instant(), Optional.empty(),
                    Optional.of(failed.getClass().getName() + ": " + failed.getMessage()));
        }
        // CloudWatch evaluates the alarms on the datapoints the round's log held.
        aws.cloudWatch().evaluateAlarms(alarms);
        synchronized (this) {
            rounds.add(round);
            for (String alarm : alarms) {
                if (aws.cloudWatch().alarmState(alarm).filter(StateValue.ALARM::equals).isPresent()) {
                    alarmsRaised.add(alarm);
                }
            }
        }
        observer.accept(round);
        next();
    }
}
