package dev.rollout.domain;

import java.util.Map;
import java.util.Optional;

/**
 * Where a Lambda alias sends its traffic: a primary version, and at most one additional version
 * with a weight (Lambda allows no more than one).
 */
public record AliasRouting(String primaryVersion, Optional<String> additionalVersion, Weight additionalWeight,
                           String revisionId) {

    /** Reads the alias as Lambda returns it: {@code FunctionVersion} and {@code AdditionalVersionWeights}. */
    public static AliasRouting of(String functionVersion, Map<String, Double> additionalVersionWeights,
                                  String revisionId) {
        if (additionalVersionWeights == null || additionalVersionWeights.isEmpty()) {
            return new AliasRouting(functionVersion, Optional.empty(), Weight.NONE, revisionId);
        }
        Map.Entry<String, Double> extra = additionalVersionWeights.entrySet().iterator().next();
        return new AliasRouting(functionVersion, Optional.of(extra.getKey()), Weight.ofFraction(extra.getValue()),
                revisionId);
    }

    /** True when some traffic goes to a second version, i.e. a rollout is under way. */
    public boolean isSplit() {
        return additionalVersion.isPresent();
    }

    /** Where the alias stands relative to a rollout from {@code from} to {@code to}. */
    public Position positionIn(String from, String to) {
        if (!isSplit()) {
            if (primaryVersion.equals(from)) {
                return Position.AT_START;
            }
            return primaryVersion.equals(to) ? Position.AT_TARGET : Position.FOREIGN;
        }
        boolean ours = primaryVersion.equals(from) && additionalVersion.get().equals(to);
        return ours ? Position.SHIFTING : Position.FOREIGN;
    }

    /** The share of traffic {@code version} receives through this alias. */
    public Weight weightOf(String version) {
        if (additionalVersion.filter(version::equals).isPresent()) {
            return additionalWeight;
        }
        if (primaryVersion.equals(version)) {
            return Weight.percent(100 - additionalWeight.percent());
        }
        return Weight.NONE;
    }

    public String describe() {
        return additionalVersion
                .map(extra -> "version " + primaryVersion + " " + weightOf(primaryVersion) + ", version " + extra + " "
                        + additionalWeight)
                .orElse("version " + primaryVersion + " 100%");
    }

    /** The alias' position in one particular rollout. */
    public enum Position {
        /** Everything still on the starting version. */
        AT_START,
        /** Part of the traffic on the target version, the rest on the starting one. */
        SHIFTING,
        /** Everything on the target version. */
        AT_TARGET,
        /** Routed in a way this rollout never set up: somebody else changed the alias. */
        FOREIGN
    }
}
