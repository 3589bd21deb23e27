package dev.rollout.domain;

import java.util.Optional;

/**
 * The judgement on the new version's own metrics over one window, with the numbers it used.
 *
 * @param reason why it failed or was inconclusive; empty when it passed
 */
public record MetricVerdict(Outcome outcome, VersionMetrics candidate, VersionMetrics baseline, Optional<String> reason) {

    public enum Outcome { PASSED, FAILED, INCONCLUSIVE }

    /** {@code metrics passed: v2 600 req, 0.0% errors, ... vs v1 5400 req, ...}. */
    public String summary() {
        return "metrics " + outcome.name().toLowerCase(java.util.Locale.ROOT) + reason.map(r -> " (" + r + ")").orElse("")
                + ": " + candidate.describe() + " vs " + baseline.describe();
    }
}
