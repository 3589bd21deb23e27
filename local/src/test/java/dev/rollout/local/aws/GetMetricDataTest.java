package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/** GetMetricData over what the simulated traffic publishes: per-version sums and p99 behind an alias. */
class GetMetricDataTest {
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    private final ManualClock clock = new ManualClock(START);
    private final InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock);
    private final InMemoryLambda lambda = new InMemoryLambda(clock);
    private final LambdaTraffic traffic = new LambdaTraffic(clock, lambda, cloudWatch);

    GetMetricDataTest() {
        lambda.addFunction("orders");
        lambda.publishNewVersion("orders");
        lambda.publishNewVersion("orders");
        lambda.createAlias(r -> r.functionName("orders").name("live").functionVersion("1")
                .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.25))));
        traffic.setVersionBehaviour("orders", "1", new VersionBehaviour(0.0, 80));
        traffic.setVersionBehaviour("orders", "2", new VersionBehaviour(0.1, 120));
        for (int minute = 0; minute < 3; minute++) {
            clock.advance(Duration.ofMinutes(1));
            traffic.invokeAlias("orders", "live", 400);
        }
    }

    private static MetricDataQuery query(String id, String metric, String version, int period, String stat) {
        return MetricDataQuery.builder().id(id).metricStat(s -> s.period(period).stat(stat).metric(m -> m
                .namespace("AWS/Lambda").metricName(metric).dimensions(
                        Dimension.builder().name("FunctionName").value("orders").build(),
                        Dimension.builder().name("Resource").value("orders:live").build(),
                        Dimension.builder().name("ExecutedVersion").value(version).build()))).build();
    }

    private GetMetricDataResponse get(Instant from, Instant to, MetricDataQuery... queries) {
        return cloudWatch.getMetricData(r -> r.startTime(from).endTime(to).metricDataQueries(queries));
    }

    private static MetricDataResult result(GetMetricDataResponse response, String id) {
        return response.metricDataResults().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void oneWindowLongPeriodSumsEachVersionsInvocationsAndErrors() {
        GetMetricDataResponse response = get(START, START.plusSeconds(600),
                query("inv2", "Invocations", "2", 600, "Sum"), query("err2", "Errors", "2", 600, "Sum"),
                query("inv1", "Invocations", "1", 600, "Sum"), query("thr2", "Throttles", "2", 600, "Sum"));
        assertEquals(List.of(300.0), result(response, "inv2").values());
        assertEquals(List.of(30.0), result(response, "err2").values());
        assertEquals(List.of(900.0), result(response, "inv1").values());
        assertEquals(List.of(), result(response, "thr2").values(), "nothing published: no datapoint, no zero");
        assertEquals(StatusCode.COMPLETE, result(response, "inv2").statusCode());
        assertEquals(List.of(START), result(response, "inv2").timestamps());
    }

    @Test
    void p99IsTheValueBelowWhichNinetyNinePercentOfInvocationsFell() {
        traffic.setVersionBehaviour("orders", "2", new VersionBehaviour(0.1, 900));
        clock.advance(Duration.ofMinutes(1));
        traffic.invokeAlias("orders", "live", 4);
        // 300 invocations at 120 ms, then 1 at 900 ms: the 99th of every 100 is still 120 ms.
        GetMetricDataResponse response = get(START, START.plusSeconds(600), query("p", "Duration", "2", 600, "p99"),
                query("max", "Duration", "2", 600, "Maximum"), query("p100", "Duration", "2", 600, "p100"));
        assertEquals(List.of(120.0), result(response, "p").values());
        assertEquals(List.of(900.0), result(response, "max").values());
        assertEquals(List.of(900.0), result(response, "p100").values());
    }

    @Test
    void aPercentileOfStatisticSetsWithASpreadHasNoValueAsInCloudWatch() {
        cloudWatch.putMetricData(r -> r.namespace("Orders").metricData(d -> d.metricName("Latency")
                .timestamp(START.plusSeconds(30))
                .statisticValues(StatisticSet.builder().sampleCount(10.0).sum(1000.0).minimum(50.0).maximum(150.0)
                        .build())));
        GetMetricDataResponse response = cloudWatch.getMetricData(r -> r.startTime(START).endTime(START.plusSeconds(60))
                .metricDataQueries(MetricDataQuery.builder().id("p").metricStat(s -> s.period(60).stat("p99")
                        .metric(m -> m.namespace("Orders").metricName("Latency"))).build()));
        assertEquals(List.of(), response.metricDataResults().get(0).values());
    }

    @Test
    void minutePeriodsComeNewestFirstUnlessAskedOtherwise() {
        MetricDataQuery perMinute = query("inv", "Invocations", "2", 60, "Sum");
        assertEquals(List.of(START.plusSeconds(180), START.plusSeconds(120), START.plusSeconds(60)),
                result(get(START, START.plusSeconds(600), perMinute), "inv").timestamps());
        GetMetricDataResponse ascending = cloudWatch.getMetricData(r -> r.startTime(START).endTime(START.plusSeconds(600))
                .scanBy(ScanBy.TIMESTAMP_ASCENDING).metricDataQueries(perMinute));
        assertEquals(START.plusSeconds(60), ascending.metricDataResults().get(0).timestamps().get(0));
    }

    @Test
    void badQueriesAreRefusedAsCloudWatchRefusesThem() {
        assertThrows(InvalidParameterValueException.class, () -> get(START, START.plusSeconds(600),
                query("Upper", "Invocations", "2", 60, "Sum")));
        assertThrows(InvalidParameterValueException.class, () -> get(START, START.plusSeconds(600),
                query("a", "Invocations", "2", 60, "Sum"), query("a", "Errors", "2", 60, "Sum")));
        assertThrows(InvalidParameterValueException.class, () -> get(START, START.plusSeconds(600),
                query("a", "Invocations", "2", 90, "Sum")));
        assertThrows(InvalidParameterValueException.class, () -> get(START, START.plusSeconds(600),
                query("a", "Invocations", "2", 60, "Median")));
        assertThrows(InvalidParameterValueException.class, () -> get(START.plusSeconds(600), START,
                query("a", "Invocations", "2", 60, "Sum")));
        UnsupportedOperationException math = assertThrows(UnsupportedOperationException.class,
                () -> cloudWatch.getMetricData(r -> r.startTime(START).endTime(START.plusSeconds(60))
                        .metricDataQueries(MetricDataQuery.builder().id("e").expression("SUM(METRICS())").build())));
        assertTrue(math.getMessage().contains("MetricStat"), math.getMessage());
    }
}
