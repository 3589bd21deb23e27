package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static dev.rollout.local.aws.AwsAssertions.assertAwsError;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** PutMetricData, GetMetricStatistics and the checks PutMetricAlarm makes. */
class MetricsTest {

    private static final Instant START = Instant.parse("2025-01-06T10:00:00Z");

    private final ManualClock clock = new ManualClock(START);
    private final InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock);

    @Test
    void statisticsAreAggregatedPerPeriodFromValuesSetsAndCounts() {
        put(d -> d.value(2.0));
        put(d -> d.statisticValues(s -> s.sampleCount(2.0).sum(10.0).minimum(4.0).maximum(6.0)));
        clock.advance(Duration.ofMinutes(1));
        put(d -> d.values(1.0, 3.0).counts(2.0, 1.0));

        List<Datapoint> datapoints = cloudWatch.getMetricStatistics(r -> r.namespace("Shop").metricName("Latency")
                .startTime(START).endTime(START.plus(Duration.ofMinutes(5))).period(60)
                .statistics(Statistic.SUM, Statistic.SAMPLE_COUNT, Statistic.AVERAGE, Statistic.MINIMUM,
                        Statistic.MAXIMUM)).datapoints();

        assertEquals(2, datapoints.size());
        Datapoint first = datapoints.get(0);
        assertEquals(START, first.timestamp());
        assertEquals(12.0, first.sum());
        assertEquals(3.0, first.sampleCount());
        assertEquals(4.0, first.average());
        assertEquals(2.0, first.minimum());
        assertEquals(6.0, first.maximum());
        assertEquals(StandardUnit.MILLISECONDS, first.unit());
        Datapoint second = datapoints.get(1);
        assertEquals(START.plus(Duration.ofMinutes(1)), second.timestamp());
        assertEquals(5.0, second.sum());
        assertEquals(3.0, second.sampleCount());
    }

    @Test
    void aMetricIsItsExactSetOfDimensions() {
        put(d -> d.value(1.0).dimensions(dimension("Host", "a")));
        put(d -> d.value(1.0).dimensions(dimension("Host", "a"), dimension("Zone", "1")));

        List<Datapoint> hostOnly = cloudWatch.getMetricStatistics(r -> r.namespace("Shop").metricName("Latency")
                .dimensions(dimension("Host", "a")).startTime(START).endTime(START.plus(Duration.ofMinutes(1)))
                .period(60).statistics(Statistic.SAMPLE_COUNT)).datapoints();
        List<Datapoint> none = cloudWatch.getMetricStatistics(r -> r.namespace("Shop").metricName("Latency")
                .startTime(START).endTime(START.plus(Duration.ofMinutes(1))).period(60)
                .statistics(Statistic.SAMPLE_COUNT)).datapoints();

        assertEquals(1.0, hostOnly.get(0).sampleCount());
        assertEquals(List.of(), none);
    }

    @Test
    void awsNamespacesAreReservedForAwsServices() {
        assertAwsError(InvalidParameterValueException.class, 400, "InvalidParameterValue",
                () -> cloudWatch.putMetricData(r -> r.namespace("AWS/Lambda")
                        .metricData(MetricDatum.builder().metricName("Errors").value(1.0).build())));
    }

    @Test
    void aDatumHasExactlyOneFormOfValues() {
        assertAwsError(InvalidParameterCombinationException.class, 400, "InvalidParameterCombination",
                () -> put(d -> d.value(1.0).values(1.0)));
    }

    @Test
    void aRequestWithOneBadDatumStoresNoneOfItsData() {
        assertAwsError(InvalidParameterValueException.class, 400, "InvalidParameterValue",
                () -> cloudWatch.putMetricData(r -> r.namespace("Shop").metricData(
                        MetricDatum.builder().metricName("Latency").value(1.0).build(),
                        MetricDatum.builder().metricName("Latency").value(Double.NaN).build())));

        assertEquals(List.of(), cloudWatch.getMetricStatistics(r -> r.namespace("Shop").metricName("Latency")
                .startTime(START).endTime(START.plus(Duration.ofMinutes(1))).period(60)
                .statistics(Statistic.SAMPLE_COUNT)).datapoints());
    }

    @Test
    void statisticsNeedAStartBeforeTheEndAndAtMost1440Datapoints() {
        assertAwsError(InvalidParameterValueException.class, 400, "InvalidParameterValue",
                () -> cloudWatch.getMetricStatistics(r -> r.namespace("Shop").metricName("Latency").startTime(START)
                        .endTime(START).period(60).statistics(Statistic.SUM)));
        assertAwsError(InvalidParameterCombinationException.class, 400, "InvalidParameterCombination",
                () -> cloudWatch.getMetricStatistics(r -> r.namespace("Shop").metricName("Latency").startTime(START)
                        .endTime(START.plus(Duration.ofDays(2))).period(60).statistics(Statistic.SUM)));
    }

    @Test
    void anAlarmNeedsDatapointsToAlarmWithinItsEvaluationPeriods() {
        InvalidParameterValueException error = assertAwsError(InvalidParameterValueException.class, 400,
                "InvalidParameterValue", () -> cloudWatch.putMetricAlarm(r -> alarm(r).datapointsToAlarm(4)));
        assertEquals("The value 4 for parameter DatapointsToAlarm is invalid. It must be between 1 and "
                + "EvaluationPeriods (3).", error.awsErrorDetails().errorMessage());
    }

    @Test
    void anAlarmPeriodIs102030OrAMultipleOf60Seconds() {
        assertAwsError(InvalidParameterValueException.class, 400, "InvalidParameterValue",
                () -> cloudWatch.putMetricAlarm(r -> alarm(r).period(90)));
    }

    @Test
    void anAlarmNeedsAThresholdAndAKnownWayToTreatMissingData() {
        assertAwsError(MissingRequiredParameterException.class, 400, "MissingParameter",
                () -> cloudWatch.putMetricAlarm(r -> alarm(r).threshold(null)));
        assertAwsError(InvalidParameterValueException.class, 400, "InvalidParameterValue",
                () -> cloudWatch.putMetricAlarm(r -> alarm(r).treatMissingData("zero")));
    }

    private static PutMetricAlarmRequest.Builder alarm(PutMetricAlarmRequest.Builder r) {
        return r.alarmName("latency").namespace("Shop").metricName("Latency").statistic(Statistic.AVERAGE)
                .period(60).evaluationPeriods(3).threshold(100.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD);
    }

    private void put(Consumer<MetricDatum.Builder> datum) {
        MetricDatum.Builder d = MetricDatum.builder().metricName("Latency").unit(StandardUnit.MILLISECONDS);
        datum.accept(d);
        cloudWatch.putMetricData(r -> r.namespace("Shop").metricData(d.build()));
    }

    private static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }
}
