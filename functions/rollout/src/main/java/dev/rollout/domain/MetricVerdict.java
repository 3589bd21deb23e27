package dev.rollout.domain;

import java.util.Optional;

/**
 * The judgement on the new version's own metrics over one window, with the numbers it used.
 *
 * @param reason why it failed, was inconclusive or does not apply; empty when it passed
 */
public record MetricVerdict(Outcome outcome, VersionMetrics candidate, VersionMetrics baseline, Optional<String> reason) {

    /** NOT_APPLICABLE: the target serves no Lambda version of its own (a stage canary), so there is nothing to read. */
    public enum Outcome { PASSED, FAILED, INCONCLUSIVE, NOT_APPLICABLE }

    /** The verdict on a window whose target has no per-version Lambda metrics; its alarms alone judge it. */
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
