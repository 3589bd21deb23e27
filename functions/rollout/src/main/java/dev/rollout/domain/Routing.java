package dev.rollout.domain;

import java.util.Map;
import java.util.Optional;

/**
 * Where a target sends its traffic: a primary side, and at most one canary side with a weight. A Lambda alias
 * splits between versions, an API Gateway stage between its deployment and a canary deployment, a Route 53
 * record name between two weighted record sets; all three have this shape.
 *
 * @param unit     what a side is, for people: {@code version}, {@code deployment}, {@code record set}
 * @param revision what guards the next write: a Lambda {@code RevisionId}, or, for targets without one, what this
 *                 rollout last saw (see the adapters in {@code dev.rollout.aws})
 * @param propagation for a routing that takes effect only later (Route 53 records): what to wait for before judging
 *                 it; empty when it takes effect at once
 */
public record Routing(String primary, Optional<String> canary, Weight canaryWeight, String revision, String unit,
                      Optional<Propagation> propagation) {

    /** Reads a Lambda alias as Lambda returns it: {@code FunctionVersion} and {@code AdditionalVersionWeights}. */
    public static Routing ofAlias(String functionVersion, Map<String, Double> additionalVersionWeights,
                                  String revisionId) {
        if (additionalVersionWeights == null || additionalVersionWeights.isEmpty()) {
            return whole(functionVersion, revisionId, "version");
        }
        Map.Entry<String, Double> extra = additionalVersionWeights.entrySet().iterator().next();
        return new Routing(functionVersion, Optional.of(extra.getKey()), Weight.ofFraction(extra.getValue()),
                revisionId, "version", Optional.empty());
    }

    /** Everything on one side. */
    public static Routing whole(String primary, String revision, String unit) {
        return new Routing(primary, Optional.empty(), Weight.NONE, revision, unit, Optional.empty());
    }

    /** {@code canary} receives {@code weight}, {@code primary} the rest. */
    public static Routing split(String primary, String canary, Weight weight, String revision, String unit) {
        return new Routing(primary, Optional.of(canary), weight, revision, unit, Optional.empty());
    }

    /** The same routing, taking effect once {@code propagation} completes. */
    public Routing propagating(Propagation propagation) {
        return new Routing(primary, canary, canaryWeight, revision, unit, Optional.of(propagation));
    }

    /** True when some traffic goes to a second side, i.e. a rollout is under way. */
    public boolean isSplit() {
        return canary.isPresent();
    }

    /** Where the target stands relative to a rollout from {@code from} to {@code to}. */
    public Position positionIn(String from, String to) {
        if (!isSplit()) {
            if (primary.equals(from)) {
                return Position.AT_START;
            }
            return primary.equals(to) ? Position.AT_TARGET : Position.FOREIGN;
        }
        boolean ours = primary.equals(from) && canary.get().equals(to);
        return ours ? Position.SHIFTING : Position.FOREIGN;
    }

    /** The share of traffic {@code side} receives. */
    public Weight weightOf(String side) {
        if (canary.filter(side::equals).isPresent()) {
            return canaryWeight;
        }
        if (primary.equals(side)) {
            return Weight.percent(100 - canaryWeight.percent());
        }
        return Weight.NONE;
    }

    /** For example {@code version 1 90%, version 2 10%}. */
    public String describe() {
        return canary
                .map(extra -> unit + " " + primary + " " + weightOf(primary) + ", " + unit + " " + extra + " "
                        + canaryWeight)
                .orElse(unit + " " + primary + " 100%");
    }

    /** The target's position in one particular rollout. */
    public enum Position {
        /** Everything still on the starting side. */
        AT_START,
        /** Part of the traffic on the new side, the rest on the starting one. */
        SHIFTING,
        /** Everything on the new side. */
        AT_TARGET,
        /** Routed in a way this rollout never set up: somebody else changed the target. */
        FOREIGN
    }
}
