package dev.rollout.local.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * The values of a run of datapoints in the {@link MetricStore}: {@link #perTimestamp()} datapoints at each of the
 * run's evenly spaced timestamps, addressed by the timestamp's index. A run of identical datapoints is
 * {@link Constant}; steady traffic ({@link SteadyTraffic}) gives values that vary from timestamp to timestamp by a
 * closed form, so a run of any length is stored in constant space and read a period at a time, not a datapoint at a time.
 */
interface DatapointValues {

    /** How many datapoints are published at each timestamp (one per version that served a batch, say). */
    int perTimestamp();

    /** The {@code j}-th datapoint at the timestamp with this index. */
    Aggregate at(long index, int j);

    /** Every datapoint of the timestamps with indexes in {@code [from, to)}, merged; {@code from < to}. */
    default Aggregate merged(long from, long to) {
        Aggregate merged = null;
        for (long index = from; index < to; index++) {
            for (int j = 0; j < perTimestamp(); j++) {
                merged = merged == null ? at(index, j) : merged.merge(at(index, j));
            }
        }
        return merged;
    }

    /**
     * The datapoints of {@code [from, to)} as percentiles are computed from them: when each is a single value
     * (minimum equal to maximum), one aggregate per distinct value, with the sample counts added up; otherwise no
     * percentile can be computed from them, and their merge (whose minimum and maximum differ too) says so.
     */
    default List<Aggregate> samples(long from, long to) {
        Map<Double, Aggregate> byValue = new LinkedHashMap<>();
        for (long index = from; index < to; index++) {
            for (int j = 0; j < perTimestamp(); j++) {
                Aggregate datapoint = at(index, j);
                if (datapoint.minimum() != datapoint.maximum()) {
                    return List.of(merged(from, to));
                }
                byValue.merge(datapoint.minimum(), datapoint, Aggregate::merge);
            }
        }
        return new ArrayList<>(byValue.values());
    }

    /**
     * How low and how high the merge of any {@code batches} consecutive timestamps' datapoints can be, each field of
     * the aggregate bounded apart; empty when these values give no bounds.
     */
    default Optional<Bounds> bounds(long batches) {
        return Optional.empty();
    }

    /** The lowest and highest each field of a merged aggregate can be. */
    record Bounds(Aggregate low, Aggregate high) {

        /** The lowest and highest value of {@code statistic}. */
        double[] of(Statistic statistic) {
            return switch (statistic) {
                case AVERAGE -> new double[] {low.sum() / high.sampleCount(), high.sum() / low.sampleCount()};
                default -> new double[] {low.value(statistic), high.value(statistic)};
            };
        }

        /** The bounds of two merged groups of datapoints. */
        Bounds merge(Bounds other) {
            return new Bounds(new Aggregate(low.sampleCount() + other.low.sampleCount(), low.sum() + other.low.sum(),
                    Math.min(low.minimum(), other.low.minimum()), Math.max(low.maximum(), other.low.maximum())),
                    new Aggregate(high.sampleCount() + other.high.sampleCount(), high.sum() + other.high.sum(),
                            Math.min(high.minimum(), other.high.minimum()),
                            Math.max(high.maximum(), other.high.maximum())));
        }
    }

    /** The same datapoint at every timestamp. */
    record Constant(Aggregate aggregate) implements DatapointValues {
        @Override
        public int perTimestamp() {
            return 1;
        }

        @Override
        public Aggregate at(long index, int j) {
            return aggregate;
        }

        @Override
        public Aggregate merged(long from, long to) {
            long n = to - from;
            return n == 1 ? aggregate : new Aggregate(aggregate.sampleCount() * n, aggregate.sum() * n,
                    aggregate.minimum(), aggregate.maximum());
        }

        @Override
        public List<Aggregate> samples(long from, long to) {
            return List.of(merged(from, to));
        }

        @Override
        public Optional<Bounds> bounds(long batches) {
            Aggregate merged = merged(0, batches);
            return Optional.of(new Bounds(merged, merged));
        }
    }
}
