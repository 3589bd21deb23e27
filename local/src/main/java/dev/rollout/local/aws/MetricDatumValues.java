package dev.rollout.local.aws;

import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/** Reads the values of a PutMetricData datum, given as one Value, a StatisticSet, or Values with Counts. */
final class MetricDatumValues {

    private MetricDatumValues() {
    }

    static Aggregate aggregate(MetricDatum datum, String member) {
        int forms = (datum.value() != null ? 1 : 0) + (datum.statisticValues() != null ? 1 : 0)
                + (datum.hasValues() ? 1 : 0);
        if (forms != 1) {
            throw CloudWatchErrors.combination("Exactly one of " + member + ".Value, " + member
                    + ".StatisticValues and " + member + ".Values must be specified.");
        }
        if (datum.value() != null) {
            return Aggregate.of(finite(datum.value(), member + ".Value"));
        }
        if (datum.statisticValues() != null) {
            Aggregate set = Aggregate.of(datum.statisticValues());
            if (!(set.sampleCount() > 0)) {
                throw CloudWatchErrors.invalidValue(member + ".StatisticValues.SampleCount", set.sampleCount(),
                        "It must be greater than 0.");
            }
            return set;
        }
        if (datum.hasCounts() && datum.counts().size() != datum.values().size()) {
            throw CloudWatchErrors.combination(member + ".Values and " + member
                    + ".Counts must have the same number of members.");
        }
        Aggregate total = null;
        for (int i = 0; i < datum.values().size(); i++) {
            double value = finite(datum.values().get(i), member + ".Values.member." + (i + 1));
            double count = datum.hasCounts() ? datum.counts().get(i) : 1.0;
            Aggregate repeated = new Aggregate(count, value * count, value, value);
            total = total == null ? repeated : total.merge(repeated);
        }
        if (total == null) {
            throw CloudWatchErrors.missing(member + ".Values");
        }
        return total;
    }

    private static double finite(Double value, String parameter) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            throw CloudWatchErrors.invalidValue(parameter, value, "It must be a finite number.");
        }
        return value;
    }
}
