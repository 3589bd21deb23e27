package dev.rollout.local.aws;

import java.util.Map;
import java.util.Optional;

/**
 * An alias: a primary version plus at most one additional version with the share of traffic it receives.
 * Immutable; every change makes a new alias with a new revision id, as Lambda does.
 */
record FunctionAlias(String name, String functionVersion, String description, Map<String, Double> additionalWeights,
        String revisionId) {

    FunctionAlias {
        additionalWeights = Map.copyOf(additionalWeights);
    }

    Optional<String> additionalVersion() {
        return additionalWeights.keySet().stream().findFirst();
    }

    double additionalWeight() {
        return additionalWeights.values().stream().findFirst().orElse(0.0);
    }

    boolean invokes(String version) {
        return functionVersion.equals(version) || additionalWeights.containsKey(version);
    }
}
