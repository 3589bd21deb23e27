package dev.rollout.local.aws;

import java.util.Set;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * What PutMetricAlarm checks before it stores a static-threshold alarm on a single metric. Metric math, percentiles
 * and anomaly detection are refused as unsupported rather than stored and evaluated wrongly.
 */
final class MetricAlarmRules {

    static final Set<String> TREAT_MISSING_DATA = Set.of("breaching", "notBreaching", "ignore", "missing");
    private static final Set<ComparisonOperator> STATIC_OPERATORS = Set.of(
            ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, ComparisonOperator.GREATER_THAN_THRESHOLD,
            ComparisonOperator.LESS_THAN_THRESHOLD, ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD);
    private static final int MAX_NAME_LENGTH = 255;
    private static final int MAX_DIMENSIONS = 30;
    private static final int ONE_HOUR = 3_600;
    private static final int ONE_DAY = 86_400;
    private static final int SEVEN_DAYS = 604_800;

    private MetricAlarmRules() {
    }

    static void check(PutMetricAlarmRequest r) {
        if (r.alarmName() == null) {
            throw CloudWatchErrors.missing("AlarmName");
        }
        if (r.alarmName().isEmpty() || r.alarmName().length() > MAX_NAME_LENGTH) {
            throw CloudWatchErrors.invalidValue("AlarmName", r.alarmName(),
                    "It must be 1 to " + MAX_NAME_LENGTH + " characters long.");
        }
        if (r.hasMetrics() || r.thresholdMetricId() != null) {
            throw new UnsupportedOperationException(
                    "metric math alarms (Metrics, ThresholdMetricId) are not supported by the in-memory CloudWatch");
        }
        if (r.extendedStatistic() != null) {
            throw new UnsupportedOperationException(
                    "ExtendedStatistic (percentiles) is not supported by the in-memory CloudWatch");
        }
        if (r.namespace() == null) {
            throw CloudWatchErrors.missing("Namespace");
        }
        if (r.metricName() == null) {
            throw CloudWatchErrors.missing("MetricName");
        }
        if (r.dimensions().size() > MAX_DIMENSIONS) {
            throw CloudWatchErrors.invalidValue("Dimensions", r.dimensions().size() + " dimensions",
                    "At most " + MAX_DIMENSIONS + " are allowed.");
        }
        MetricId.of(r.namespace(), r.metricName(), r.dimensions());
        if (r.statistic() == null) {
            throw CloudWatchErrors.combination("Exactly one of the Statistic and ExtendedStatistic parameters "
                    + "must be specified.");
        }
        if (r.statistic() == Statistic.UNKNOWN_TO_SDK_VERSION) {
            throw CloudWatchErrors.invalidValue("Statistic", r.statisticAsString(),
                    "It must be one of SampleCount, Average, Sum, Minimum, Maximum.");
        }
        checkPeriods(r);
        if (r.comparisonOperator() == null) {
            throw CloudWatchErrors.missing("ComparisonOperator");
        }
        if (r.comparisonOperator() == ComparisonOperator.UNKNOWN_TO_SDK_VERSION) {
            throw CloudWatchErrors.invalidValue("ComparisonOperator", r.comparisonOperatorAsString(),
                    "It must be one of " + STATIC_OPERATORS + ".");
        }
        if (!STATIC_OPERATORS.contains(r.comparisonOperator())) {
            throw new UnsupportedOperationException("anomaly detection alarms are not supported by the in-memory "
                    + "CloudWatch: " + r.comparisonOperator());
        }
        if (r.threshold() == null) {
            throw CloudWatchErrors.missing("Threshold");
        }
        if (r.treatMissingData() != null && !TREAT_MISSING_DATA.contains(r.treatMissingData())) {
            throw CloudWatchErrors.invalidValue("TreatMissingData", r.treatMissingData(),
                    "It must be one of " + TREAT_MISSING_DATA + ".");
        }
    }

    private static void checkPeriods(PutMetricAlarmRequest r) {
        Integer period = r.period();
        if (period == null) {
            throw CloudWatchErrors.missing("Period");
        }
        if (!(period == 10 || period == 20 || period == 30 || (period > 0 && period % 60 == 0))) {
            throw CloudWatchErrors.invalidValue("Period", period, "It must be 10, 20, 30 or a multiple of 60.");
        }
        Integer evaluationPeriods = r.evaluationPeriods();
        if (evaluationPeriods == null) {
            throw CloudWatchErrors.missing("EvaluationPeriods");
        }
        if (evaluationPeriods < 1) {
            throw CloudWatchErrors.invalidValue("EvaluationPeriods", evaluationPeriods, "It must be at least 1.");
        }
        long evaluated = (long) period * evaluationPeriods;
        long limit = period < ONE_HOUR ? ONE_DAY : SEVEN_DAYS;
        if (evaluated > limit) {
            throw CloudWatchErrors.invalidValue("EvaluationPeriods", evaluationPeriods, "Period (" + period
                    + ") multiplied by EvaluationPeriods must not exceed " + limit + " seconds.");
        }
        Integer datapointsToAlarm = r.datapointsToAlarm();
        if (datapointsToAlarm != null && (datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods)) {
            throw CloudWatchErrors.invalidValue("DatapointsToAlarm", datapointsToAlarm,
                    "It must be between 1 and EvaluationPeriods (" + evaluationPeriods + ").");
        }
    }
}
