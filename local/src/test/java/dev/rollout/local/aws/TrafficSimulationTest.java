package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

class TrafficSimulationTest {

    private static final Instant START = Instant.parse("2025-01-06T10:00:00Z");

    private final ManualClock clock = new ManualClock(START);
    private final InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock);
    private final InMemoryLambda lambda = new InMemoryLambda(clock);
    private final LambdaTraffic traffic = new LambdaTraffic(clock, lambda, cloudWatch);

    @BeforeEach
    void anAliasOnVersionOneWithVersionTwoPublished() {
        lambda.addFunction("orders");
        lambda.publishNewVersion("orders");
        lambda.publishNewVersion("orders");
        lambda.createAlias(r -> r.functionName("orders").name("live").functionVersion("1"));
    }

    @Test
    void anAliasWithoutRoutingSendsEveryRequestToItsVersion() {
        InvocationBatch batch = traffic.invokeAlias("orders", "live", 100);

        assertEquals(List.of(new VersionTraffic("1", 100, 0)), batch.byVersion());
    }

    @Test
    void requestsAreSplitByTheRoutingWeight() {
        shift(0.1);

        InvocationBatch batch = traffic.invokeAlias("orders", "live", 1_000);

        assertEquals(List.of(new VersionTraffic("1", 900, 0), new VersionTraffic("2", 100, 0)), batch.byVersion());
        assertEquals(1_000, batch.requests());
    }

    @Test
    void smallBatchesAddUpToTheExactShareOverTime() {
        shift(0.05);
        long toVersionTwo = 0;
        for (int minute = 0; minute < 20; minute++) {
            toVersionTwo += traffic.invokeAlias("orders", "live", 10).byVersion().get(1).requests();
        }

        assertEquals(10, toVersionTwo);
    }

    @Test
    void theSameScenarioGivesTheSameNumbersEveryTime() {
        assertEquals(runScenario(), runScenario());
    }

    @Test
    void errorsFollowEachVersionErrorRateWhichCanChangeMidScenario() {
        shift(0.5);
        traffic.setVersionBehaviour("orders", "2", new VersionBehaviour(0.2, 100));

        InvocationBatch before = traffic.invokeAlias("orders", "live", 100);
        traffic.setVersionBehaviour("orders", "2", VersionBehaviour.HEALTHY);
        InvocationBatch after = traffic.invokeAlias("orders", "live", 100);

        assertEquals(List.of(new VersionTraffic("1", 50, 0), new VersionTraffic("2", 50, 10)), before.byVersion());
        assertEquals(0, after.errors());
        assertEquals(List.of(new VersionTraffic("1", 100, 0), new VersionTraffic("2", 100, 10)),
                traffic.trafficTotals("orders"));
    }

    @Test
    void invocationsArePublishedUnderTheThreeDimensionSetsLambdaUses() {
        shift(0.25);
        traffic.setVersionBehaviour("orders", "2", new VersionBehaviour(0.5, 250));

        traffic.invokeAlias("orders", "live", 100);

        Dimension function = dimension("FunctionName", "orders");
        Dimension resource = dimension("Resource", "orders:live");
        assertEquals(100.0, sum("Invocations", function));
        assertEquals(100.0, sum("Invocations", function, resource));
        assertEquals(75.0, sum("Invocations", function, resource, dimension("ExecutedVersion", "1")));
        assertEquals(25.0, sum("Invocations", function, resource, dimension("ExecutedVersion", "2")));
        assertEquals(13.0, sum("Errors", function, resource));
        assertEquals(13.0, sum("Errors", function, resource, dimension("ExecutedVersion", "2")));
        assertEquals(0.0, sum("Errors", function, resource, dimension("ExecutedVersion", "1")));
    }

    @Test
    void theAverageOfErrorsIsTheErrorRateAndDurationIsTheLatency() {
        traffic.setVersionBehaviour("orders", "1", new VersionBehaviour(0.1, 80));

        traffic.invokeAlias("orders", "live", 50);

        Datapoint errors = statistics("Errors", Statistic.AVERAGE, dimension("FunctionName", "orders"));
        Datapoint duration = statistics("Duration", Statistic.AVERAGE, dimension("FunctionName", "orders"));
        assertEquals(0.1, errors.average(), 1e-9);
        assertEquals(80.0, duration.average(), 1e-9);
        assertEquals(StandardUnit.MILLISECONDS, duration.unit());
    }

    @Test
    void aNegativeNumberOfRequestsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> traffic.invokeAlias("orders", "live", -1));
    }

    private List<List<VersionTraffic>> runScenario() {
        ManualClock runClock = new ManualClock(START);
        InMemoryLambda run = new InMemoryLambda(runClock);
        LambdaTraffic runTraffic = new LambdaTraffic(runClock, run, new InMemoryCloudWatch(runClock));
        run.addFunction("orders");
        run.publishNewVersion("orders");
        run.publishNewVersion("orders");
        run.createAlias(r -> r.functionName("orders").name("live").functionVersion("1")
                .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.07))));
        runTraffic.setVersionBehaviour("orders", "2", new VersionBehaviour(0.13, 100));
        for (int minute = 0; minute < 30; minute++) {
            runTraffic.invokeAlias("orders", "live", 37);
            runClock.advance(Duration.ofMinutes(1));
        }
        return List.of(runTraffic.trafficTotals("orders"));
    }

    private void shift(double weight) {
        lambda.updateAlias(r -> r.functionName("orders").name("live")
                .routingConfig(c -> c.additionalVersionWeights(Map.of("2", weight))));
    }

    private double sum(String metricName, Dimension... dimensions) {
        return statistics(metricName, Statistic.SUM, dimensions).sum();
    }

    private Datapoint statistics(String metricName, Statistic statistic, Dimension... dimensions) {
        List<Datapoint> datapoints = cloudWatch.getMetricStatistics(r -> r.namespace("AWS/Lambda")
                .metricName(metricName).dimensions(dimensions).statistics(statistic)
                .startTime(START).endTime(START.plus(Duration.ofMinutes(1))).period(60)).datapoints();
        assertEquals(1, datapoints.size(), () -> metricName + " datapoints: " + datapoints);
        return datapoints.get(0);
    }

    private static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }
}
