package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TrafficSimulationTest {

    private static final Instant START = Instant.parse("2025-01-06T10:00:00Z");

    private final ManualClock clock = new ManualClock(START);
    private final InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock);
    private final InMemoryLambda lambda = new InMemoryLambda(clock);
    private final LambdaTraffic traffic = new LambdaTraffic(clock, lambda, cloudWatch);

    @BeforeEach
    void an_alias_on_version_one_with_version_two_published() {
        lambda.addFunction("orders");
        lambda.publishNewVersion("orders");
        lambda.publishNewVersion("orders");
        lambda.createAlias(r -> r.functionName("orders").name("live").functionVersion("1"));
    }

    @Test
    void an_alias_without_routing_sends_every_request_to_its_version() {
        InvocationBatch batch = traffic.invokeAlias("orders", "live", 100);

        assertEquals(List.of(new VersionTraffic("1", 100, 0)), batch.byVersion());
    }

    @Test
    void requests_are_split_by_the_routing_weight() {
        shift(0.1);

        InvocationBatch batch = traffic.invokeAlias("orders", "live", 1_000);

        assertEquals(List.of(new VersionTraffic("1", 900, 0), new VersionTraffic("2", 100, 0)), batch.byVersion());
        assertEquals(1_000, batch.requests());
    }

    @Test
    void small_batches_add_up_to_the_exact_share_over_time() {
        shift(0.05);
        long toVersionTwo = 0;
        for (int minute = 0; minute < 20; minute++) {
            toVersionTwo += traffic.invokeAlias("orders", "live", 10).byVersion().get(1).requests();
        }

        assertEquals(10, toVersionTwo);
    }

    @Test
    void the_same_scenario_gives_the_same_numbers_every_time() {
        assertEquals(runScenario(), runScenario());
    }

    @Test
    void errors_follow_each_version_error_rate_which_can_change_mid_scenario() {
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
    void invocations_are_published_under_the_three_dimension_sets_lambda_uses() {
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
    void the_average_of_errors_is_the_error_rate_and_duration_is_the_latency() {
        traffic.setVersionBehaviour("orders", "1", new VersionBehaviour(0.1, 80));

        traffic.invokeAlias("orders", "live", 50);

        Datapoint errors = statistics("Errors", Statistic.AVERAGE, dimension("FunctionName", "orders"));
        Datapoint duration = statistics("Duration", Statistic.AVERAGE, dimension("FunctionName", "orders"));
        assertEquals(0.1, errors.average(), 1e-9);
        assertEquals(80.0, duration.average(), 1e-9);
        assertEquals(StandardUnit.MILLISECONDS, duration.unit());
    }

    @Test
    void a_negative_number_of_requests_is_refused() {
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
