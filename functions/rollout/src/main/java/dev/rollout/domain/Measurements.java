package dev.rollout.domain;

/**
 * One side's metrics over a health window, as a {@link MetricVerdict} reports them: a Lambda version's behind an
 * alias, or a stage canary's and its stage's.
 */
public sealed interface Measurements permits VersionMetrics, StageMetrics {
    /** One line with the figures, for verdicts and the timeline. */
    String describe();
}
