package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The example tables of the CloudWatch user guide, "How alarm state is evaluated when data is missing": five
 * periods, oldest first, where 0 is a non-breaching datapoint, X a breaching one and - a missing one. "Retain
 * current state" is checked from OK, the state least likely to be computed by mistake for these rows.
 */
class DocumentedMissingDataExamplesTest {

    private static final String RETAIN = "retain";

    static Stream<Arguments> examples() {
        return Stream.of(
                // datapoints, datapoints to alarm, evaluation periods, missing, ignore, breaching, notBreaching
                row("0 - X - X", 3, 3, "OK", "OK", "OK", "OK"),
                row("0 - - - -", 3, 3, "OK", "OK", "OK", "OK"),
                row("- - - - -", 3, 3, "INSUFFICIENT_DATA", RETAIN, "ALARM", "OK"),
                row("0 X X - X", 3, 3, "ALARM", "ALARM", "ALARM", "ALARM"),
                row("- - - - X", 3, 3, "INSUFFICIENT_DATA", RETAIN, "ALARM", "OK"),
                row("X - - - -", 3, 3, "ALARM", RETAIN, "ALARM", "OK"),
                row("0 - X - X", 2, 3, "ALARM", "ALARM", "ALARM", "ALARM"),
                row("0 0 X 0 X", 2, 3, "ALARM", "ALARM", "ALARM", "ALARM"),
                row("0 - X - -", 2, 3, "OK", "OK", "ALARM", "OK"),
                row("- - - - 0", 2, 3, "OK", "OK", "ALARM", "OK"),
                row("- - - - X", 2, 3, "INSUFFICIENT_DATA", RETAIN, "ALARM", "OK"))
                .flatMap(row -> row);
    }

    @ParameterizedTest(name = "{0} with {1} of {2} datapoints and missing data treated as {3} gives {4}")
    @MethodSource("examples")
    void theAlarmStateMatchesTheUserGuide(String datapoints, int datapointsToAlarm, int evaluationPeriods,
            String treatMissingData, String expected) {
        Instant now = Instant.parse("2025-01-06T10:04:30Z");
        ManualClock clock = new ManualClock(now);
        InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock);
        cloudWatch.putMetricAlarm(r -> r.alarmName("example").namespace("Example").metricName("Value")
                .statistic(Statistic.MAXIMUM).period(60).evaluationPeriods(evaluationPeriods)
                .datapointsToAlarm(datapointsToAlarm).threshold(1.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(treatMissingData));
        cloudWatch.setAlarmState(r -> r.alarmName("example").stateValue(StateValue.OK).stateReason("start"));
        String[] points = datapoints.split(" ");
        for (int i = 0; i < points.length; i++) {
            if (!points[i].equals("-")) {
                double value = points[i].equals("X") ? 5.0 : 0.0;
                Instant timestamp = now.minus(Duration.ofMinutes(points.length - 1 - i));
                cloudWatch.putMetricData(r -> r.namespace("Example").metricData(
                        MetricDatum.builder().metricName("Value").value(value).timestamp(timestamp).build()));
            }
        }

        cloudWatch.evaluateAlarms();

        StateValue state = cloudWatch.describeAlarms(r -> r.alarmNames("example")).metricAlarms().get(0).stateValue();
        assertEquals(expected.equals(RETAIN) ? StateValue.OK : StateValue.valueOf(expected), state);
    }

    private static Stream<Arguments> row(String datapoints, int m, int n, String missing, String ignore,
            String breaching, String notBreaching) {
        return Stream.of(
                Arguments.of(datapoints, m, n, "missing", missing),
                Arguments.of(datapoints, m, n, "ignore", ignore),
                Arguments.of(datapoints, m, n, "breaching", breaching),
                Arguments.of(datapoints, m, n, "notBreaching", notBreaching));
    }
}
