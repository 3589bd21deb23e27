package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** Steady minutes sent at once leave what the same minutes sent one by one, alarms evaluated after each, leave. */
class SteadyMinutesTest {

    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    /** Thirty days: past the fifteen CloudWatch keeps minutes for. */
    private static final int MINUTES = 30 * 1_440;
    /** Until the alarms' evaluation ranges (five periods of five minutes) lie within the steady traffic. */
    private static final int ONE_BY_ONE_FIRST = 40;

    /** An alias on version 1 with 10% on version 2, and alarms the steady traffic can never cross. */
    private static final class World {
        final ManualClock clock = new ManualClock(START);
        final InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock);
        final InMemoryLambda lambda = new InMemoryLambda(clock);
        final LambdaTraffic traffic = new LambdaTraffic(clock, lambda, cloudWatch);
        final List<InvocationBatch> batches = new ArrayList<>();

        World(double alarmThreshold) {
            lambda.addFunction("orders");
            lambda.publishNewVersion("orders");
            lambda.publishNewVersion("orders");
            lambda.createAlias(r -> r.functionName("orders").name("live").functionVersion("1")
                    .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.1))));
            traffic.setVersionBehaviour("orders", "1", new VersionBehaviour(0.001, 80));
            traffic.setVersionBehaviour("orders", "2", new VersionBehaviour(0.001, 70));
            cloudWatch.putMetricAlarm(r -> r.alarmName("orders-errors").namespace("AWS/Lambda").metricName("Errors")
                    .dimensions(dimension("FunctionName", "orders")).statistic(Statistic.SUM).period(60)
                    .evaluationPeriods(1).threshold(alarmThreshold)
                    .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD));
            cloudWatch.putMetricAlarm(r -> r.alarmName("orders-v2-errors").namespace("AWS/Lambda")
                    .metricName("Errors").dimensions(dimension("FunctionName", "orders"),
                            dimension("Resource", "orders:live"), dimension("ExecutedVersion", "2"))
                    .statistic(Statistic.AVERAGE).period(300).evaluationPeriods(3).datapointsToAlarm(2)
                    .threshold(0.05).comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD));
        }

        void minute() {
            clock.advance(MINUTE);
            batches.add(traffic.invokeAlias("orders", "live", 1_200));
            cloudWatch.evaluateAlarms();
        }

        double sum(String metric, Instant from, Instant to, int period, Dimension... dimensions) {
            return cloudWatch.getMetricStatistics(r -> r.namespace("AWS/Lambda").metricName(metric)
                    .dimensions(dimensions).startTime(from).endTime(to).period(period).statistics(Statistic.SUM))
                    .datapoints().stream().mapToDouble(d -> d.sum()).sum();
        }

        List<MetricDataResult> read(Instant from, Instant to, int period) {
            return cloudWatch.getMetricData(r -> r.startTime(from).endTime(to).metricDataQueries(
                    query("p99", "Duration", "p99", period), query("errors", "Errors", "Sum", period),
                    query("most", "Errors", "Maximum", period), query("requests", "Invocations", "SampleCount", period)))
                    .metricDataResults();
        }

        String alarms() {
            return cloudWatch.describeAlarms(r -> { }).metricAlarms().stream()
                    .map(a -> a.alarmName() + " " + a.stateValue() + " " + a.stateUpdatedTimestamp()).toList()
                    .toString();
        }
    }

    @Test
    void steadyMinutesSentAtOnceLeaveTheSameMetricsAndAlarmsAsMinutesSentOneByOne() {
        World oneByOne = new World(100);
        for (int minute = 0; minute < MINUTES; minute++) {
            oneByOne.minute();
        }
        World atOnce = new World(100);
        for (int minute = 0; minute < ONE_BY_ONE_FIRST; minute++) {
            atOnce.minute();
        }
        Optional<Instant> last = atOnce.traffic.continueSteadily("orders", "live", 1_200, MINUTE,
                MINUTES - ONE_BY_ONE_FIRST);
        assertEquals(Optional.of(oneByOne.clock.instant()), last);
        atOnce.clock.advance(Duration.between(atOnce.clock.instant(), last.orElseThrow()));

        Instant end = oneByOne.clock.instant().plus(MINUTE);
        for (Instant[] window : List.of(new Instant[] {START, end}, new Instant[] {end.minus(Duration.ofHours(1)), end},
                new Instant[] {START.plus(Duration.ofDays(2)).plusSeconds(90), START.plus(Duration.ofDays(3))})) {
            for (int period : List.of(60, 300, 3_600, 86_400)) {
                if (Duration.between(window[0], window[1]).getSeconds() / period <= 1_440) {
                    assertEquals(oneByOne.read(window[0], window[1], period), atOnce.read(window[0], window[1], period),
                            "window " + window[0] + " to " + window[1] + " in periods of " + period + " s");
                }
            }
        }
        assertEquals(oneByOne.alarms(), atOnce.alarms());
        assertEquals(oneByOne.cloudWatch.describeAlarmHistory(r -> { }).alarmHistoryItems().size(),
                atOnce.cloudWatch.describeAlarmHistory(r -> { }).alarmHistoryItems().size());
    }

    @Test
    void aSteadyRunReadsAsTheBatchesThatMadeItAddUp() {
        World world = new World(100);
        for (int minute = 0; minute < MINUTES; minute++) {
            world.minute();
        }
        Instant end = world.clock.instant().plus(MINUTE);
        Dimension function = dimension("FunctionName", "orders");
        Dimension version2 = dimension("ExecutedVersion", "2");
        Dimension resource = dimension("Resource", "orders:live");
        long requests = world.batches.stream().mapToLong(InvocationBatch::requests).sum();
        long errors = world.batches.stream().mapToLong(InvocationBatch::errors).sum();
        long errorsOfVersion2 = world.batches.stream().mapToLong(b -> b.byVersion().get(1).errors()).sum();
        assertEquals(requests, world.sum("Invocations", START, end, 86_400, function));
        assertEquals(errors, world.sum("Errors", START, end, 86_400, function));
        assertEquals(errorsOfVersion2, world.sum("Errors", START, end, 86_400, function, resource, version2));
        assertTrue(world.cloudWatch.storedMetricRuns() < 100, () -> world.cloudWatch.storedMetricRuns() + " runs");
    }

    @Test
    void minutesAreNotSentAtOnceWhileAnAlarmCouldChangeState() {
        // One or two errors a minute from version 1, none or one from version 2: a threshold of 2 may be crossed.
        World world = new World(2);
        for (int minute = 0; minute < ONE_BY_ONE_FIRST; minute++) {
            world.minute();
        }

        assertEquals(Optional.empty(), world.traffic.continueSteadily("orders", "live", 1_200, MINUTE, 100));
    }

    private static software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery query(String id, String metric,
                                                                                          String stat, int period) {
        return software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery.builder().id(id)
                .metricStat(s -> s.stat(stat).period(period).metric(m -> m.namespace("AWS/Lambda").metricName(metric)
                        .dimensions(dimension("FunctionName", "orders"), dimension("Resource", "orders:live"))))
                .build();
    }

    private static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }
}
