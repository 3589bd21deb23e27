package dev.rollout.local.aws;

import static dev.rollout.local.aws.AwsAssertions.assertAwsError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

/** GetMetricData with MetricStat queries: sums per period, percentiles under CloudWatch's rule, and its checks. */
class MetricDataQueriesTest {

    private static final Instant START = Instant.parse("2025-01-06T10:00:00Z");

    private final ManualClock clock = new ManualClock(START);
    private final InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock);

    @Test
    void eachQueryIsAnsweredPerPeriodNewestFirstUnlessAskedOldestFirst() {
        put(d -> d.value(2.0));
        put(d -> d.value(3.0));
        clock.advance(Duration.ofMinutes(2));
        put(d -> d.value(7.0));

        MetricDataResult newestFirst = answer(r -> r, query("total", "Sum")).get(0);
        assertEquals(List.of(START.plus(Duration.ofMinutes(2)), START), newestFirst.timestamps());
        assertEquals(List.of(7.0, 5.0), newestFirst.values());
        assertEquals(StatusCode.COMPLETE, newestFirst.statusCode());
        assertEquals("total", newestFirst.id());

        MetricDataResult oldestFirst = answer(r -> r.scanBy(ScanBy.TIMESTAMP_ASCENDING), query("total", "Sum")).get(0);
        assertEquals(List.of(5.0, 7.0), oldestFirst.values());
    }

    @Test
    void aPercentileIsTheNearestRankOverSingleValuesCountedAsOftenAsSampled() {
        put(d -> d.value(100.0));
        put(d -> d.statisticValues(s -> s.sampleCount(98.0).sum(980.0).minimum(10.0).maximum(10.0)));
        put(d -> d.value(500.0));

        List<MetricDataResult> results = answer(r -> r, query("median", "p50"), query("tail", "p99"),
                query("top", "p100"));

        assertEquals(List.of(10.0), results.get(0).values());
        assertEquals(List.of(100.0), results.get(1).values(), "the 99th of 100 samples");
        assertEquals(List.of(500.0), results.get(2).values());
    }

    @Test
    void aPeriodHoldingAStatisticSetOfDifferentValuesHasNoPercentileAsInCloudWatch() {
        put(d -> d.statisticValues(s -> s.sampleCount(2.0).sum(10.0).minimum(4.0).maximum(6.0)));

        MetricDataResult result = answer(r -> r, query("tail", "p99")).get(0);

        assertTrue(result.values().isEmpty(), result::toString);
    }

    @Test
    void queriesThatDoNotReturnDataAreLeftOut() {
        put(d -> d.value(1.0));
        MetricDataQuery hidden = query("hidden", "Sum").toBuilder().returnData(false).build();

        List<MetricDataResult> results = answer(r -> r, hidden, query("shown", "Sum"));

        assertEquals(List.of("shown"), results.stream().map(MetricDataResult::id).toList());
    }

    @Test
    void anIdMustStartWithALowercaseLetterAndBeUnique() {
        assertAwsError(InvalidParameterValueException.class, 400, "InvalidParameterValue",
                () -> answer(r -> r, query("Total", "Sum")));
        assertAwsError(InvalidParameterValueException.class, 400, "InvalidParameterValue",
                () -> answer(r -> r, query("total", "Sum"), query("total", "Average")));
    }

    @Test
    void aQueryNeedsAMetricStatAndMetricMathIsRefusedAsUnsupported() {
        assertAwsError(InvalidParameterCombinationException.class, 400, "InvalidParameterCombination",
                () -> answer(r -> r, MetricDataQuery.builder().id("nothing").build()));
        UnsupportedOperationException math = assertThrows(UnsupportedOperationException.class,
                () -> answer(r -> r, MetricDataQuery.builder().id("rate").expression("errors / requests").build()));
        assertTrue(math.getMessage().contains("Metric math"), math.getMessage());
    }

    @Test
    void theStartMustComeBeforeTheEnd() {
        assertAwsError(InvalidParameterValueException.class, 400, "InvalidParameterValue",
                () -> cloudWatch.getMetricData(r -> r.startTime(START).endTime(START)
                        .metricDataQueries(query("total", "Sum"))));
    }

    private List<MetricDataResult> answer(java.util.function.UnaryOperator<GetMetricDataRequest.Builder> options,
                                          MetricDataQuery... queries) {
        return cloudWatch.getMetricData(options.apply(GetMetricDataRequest.builder()
                .startTime(START).endTime(START.plus(Duration.ofMinutes(10))).metricDataQueries(queries)).build())
                .metricDataResults();
    }

    private static MetricDataQuery query(String id, String stat) {
        return MetricDataQuery.builder().id(id).metricStat(s -> s.stat(stat).period(60)
                .metric(m -> m.namespace("Shop").metricName("Latency"))).build();
    }

    private void put(Consumer<MetricDatum.Builder> datum) {
        cloudWatch.putMetricData(r -> r.namespace("Shop").metricData(MetricDatum.builder().metricName("Latency")
                .unit(StandardUnit.MILLISECONDS).applyMutation(datum).build()));
    }
}
