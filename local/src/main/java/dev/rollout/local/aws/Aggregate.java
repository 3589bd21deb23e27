package dev.rollout.local.aws;

import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.cloudwatch.model.StatisticSet;

/** Sample count, sum, minimum and maximum of some values: what CloudWatch keeps, enough for every statistic. */
record Aggregate(double sampleCount, double sum, double minimum, double maximum) {

    static Aggregate of(double value) {
        return new Aggregate(1, value, value, value);
    }

    static Aggregate of(StatisticSet set) {
        return new Aggregate(set.sampleCount(), set.sum(), set.minimum(), set.maximum());
    }

    Aggregate merge(Aggregate other) {
        return new Aggregate(sampleCount + other.sampleCount, sum + other.sum,
                Math.min(minimum, other.minimum), Math.max(maximum, other.maximum));
    }

    double value(Statistic statistic) {
        return switch (statistic) {
            case SAMPLE_COUNT -> sampleCount;
            case SUM -> sum;
            case AVERAGE -> sum / sampleCount;
            case MINIMUM -> minimum;
            case MAXIMUM -> maximum;
            case UNKNOWN_TO_SDK_VERSION -> throw CloudWatchErrors.invalidValue("Statistic", statistic,
                    "It must be one of SampleCount, Average, Sum, Minimum, Maximum.");
        };
    }
}
