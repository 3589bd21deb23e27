package dev.rollout.domain;

import java.util.Optional;

/**
 * The judgement on the new side's own metrics over one window, with the numbers it used: a Lambda version's against
 * the old version's, or a stage canary's against its stage's.
 *
 * @param reason why it failed, was inconclusive or does not apply; empty when it passed
 */
public record MetricVerdict(Outcome outcome, Measurements candidate, Measurements baseline, Optional<String> reason) {

    /**
     * NOT_APPLICABLE: the target's metrics cannot be read (a stage canary prepared without its API's name) or do not
     * exist (Route 53 weighted record sets, judged by their health checks).
     */
    public enum Outcome { PASSED, FAILED, INCONCLUSIVE, NOT_APPLICABLE }

    /** The verdict on a window whose target has no metrics of its own to read; other checks judge it. */
    public static MetricVerdict notApplicable(String toVersion, String fromVersion, String reason) {
        return new MetricVerdict(Outcome.NOT_APPLICABLE, new VersionMetrics(toVersion, 0, 0, 0, Optional.empty()),
                new VersionMetrics(fromVersion, 0, 0, 0, Optional.empty()), Optional.of(reason));
    }

    /** {@code metrics passed: v2 600 req, 0.0% errors, ... vs v1 5400 req, ...}. */
    public String summary() {
        if (outcome == Outcome.NOT_APPLICABLE) {
            return "metrics not judged (" + reason.orElse("") + ")";
        }
        return "metrics " + outcome.name().toLowerCase(java.util.Locale.ROOT) + reason.map(r -> " (" + r + ")").orElse("")
                + ": " + candidate.describe() + " vs " + baseline.describe();
    }
}
