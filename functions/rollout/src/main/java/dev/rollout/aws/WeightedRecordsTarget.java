package dev.rollout.aws;

import java.util.Optional;
import dev.rollout.domain.Propagation;
import dev.rollout.domain.RecordWeights;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Target;
import dev.rollout.domain.TrafficTarget;
import dev.rollout.domain.Weight;

/**
 * Two weighted record sets of a Route 53 record name as a rollout target: each step reweighs them
 * ({@link RecordWeights#step}), promotion swaps their starting weights, restoring puts the starting weights back.
 * Every write returns the change Route 53 must propagate before the new weights count.
 */
final class WeightedRecordsTarget implements TrafficTarget {
    private final WeightedRecords records;
    private final Target.Route53Weighted target;

    WeightedRecordsTarget(WeightedRecords records, Target.Route53Weighted target) {
        this.records = records;
        this.target = target;
    }

    /** Also tells how long a resolver may still answer with these weights: what a retried write waits for. */
    @Override
    public Routing read() {
        WeightedRecords.Pair pair = records.read(target);
        return pair.routing().propagating(new Propagation(Optional.empty(), pair.ttlSeconds()));
    }

    @Override
    public Routing shift(Weight weight, String lastSeen) {
        return records.reweigh(target, RecordWeights.step(weight), lastSeen);
    }

    @Override
    public Routing promote(String lastSeen) {
        return records.reweigh(target, starting().promoted(), lastSeen);
    }

    @Override
    public Routing restore(String lastSeen) {
        return records.reweigh(target, starting(), lastSeen);
    }

    private RecordWeights starting() {
        if (target.startingWeights() == null) {
            throw new IllegalStateException("a prepared Route 53 rollout records its starting weights; " + target
                    + " has none");
        }
        return target.startingWeights();
    }
}
