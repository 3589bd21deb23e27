package dev.rollout.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How the new version's own metrics are judged against the old version's over the same window (its baseline).
 * The defaults leave healthy low-traffic functions alone: a window with fewer than {@code minInvocations} on the new
 * version is inconclusive, never a failure, and a few errors on a few requests stay under the ceilings.
 *
 * @param enabled                    false: metrics are read and reported, never judged
 * @param minInvocations             fewer invocations of the new version in a window: inconclusive
 * @param maxErrorRate               percent of the new version's invocations that may fail
 * @param maxErrorRateIncrease       percentage points the new version's error rate may exceed the old one's by
 * @param maxLatencyRatio            how many times the old version's p99 Duration the new one's may be
 * @param maxThrottleRate            percent of the new version's requests that may be throttled
 * @param threshold                  failed windows a rollout tolerates, as Flagger's threshold: the one after rolls
 *                                   back. Counted over the whole rollout and shown with every verdict
 */
public record MetricRules(boolean enabled, long minInvocations, double maxErrorRate, double maxErrorRateIncrease,
                          double maxLatencyRatio, double maxThrottleRate, long threshold) {
    public static final MetricRules DEFAULTS = new MetricRules(true, 100, 5, 2, 2, 1, 0);
    static final Set<String> FIELDS = Set.of("enabled", "minInvocations", "maxErrorRate", "maxErrorRateIncrease",
            "maxLatencyRatio", "maxThrottleRate", "threshold");

    /** The input's {@code metrics} object over the defaults, or the problems with it. */
    static MetricRules parse(JsonNode node, String field, Problems problems) {
        if (node == null || node.isNull()) {
            return DEFAULTS;
        }
        if (!node.isObject()) {
            problems.add(field, "expected an object such as {\"minInvocations\": 100, \"maxErrorRate\": 5}, got "
                    + JsonFields.describe(node));
            return DEFAULTS;
        }
        JsonFields.refuseUnknown(node, field, FIELDS, problems);
        boolean enabled = DEFAULTS.enabled;
        if (node.has("enabled")) {
            if (node.get("enabled").isBoolean()) {
                enabled = node.get("enabled").asBoolean();
            } else {
                problems.add(field + ".enabled", "expected true or false, got " + JsonFields.describe(node.get("enabled")));
            }
        }
        long minInvocations = node.has("minInvocations")
                ? JsonFields.integer(node, "minInvocations", field, 1, 1_000_000_000, "a whole number from 1",
                        problems).orElse(DEFAULTS.minInvocations)
                : DEFAULTS.minInvocations;
        long threshold = node.has("threshold")
                ? JsonFields.integer(node, "threshold", field, 0, 1000, "a whole number from 0", problems)
                        .orElse(DEFAULTS.threshold)
                : DEFAULTS.threshold;
        return new MetricRules(enabled, minInvocations,
                number(node, field, "maxErrorRate", 0, 100, DEFAULTS.maxErrorRate, problems),
                number(node, field, "maxErrorRateIncrease", 0, 100, DEFAULTS.maxErrorRateIncrease, problems),
                number(node, field, "maxLatencyRatio", 1, 1000, DEFAULTS.maxLatencyRatio, problems),
                number(node, field, "maxThrottleRate", 0, 100, DEFAULTS.maxThrottleRate, problems), threshold);
    }

    private static double number(JsonNode node, String field, String name, double min, double max, double fallback,
                                 Problems problems) {
        if (!node.has(name)) {
            return fallback;
        }
        JsonNode value = node.get(name);
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            problems.add(field + "." + name, "expected a number from " + format(min) + " to " + format(max) + ", got "
                    + JsonFields.describe(value));
            return fallback;
        }
        return value.asDouble();
    }

    /** The verdict on the new version's metrics against the old version's over one window. */
    public MetricVerdict judge(VersionMetrics candidate, VersionMetrics baseline) {
        if (candidate.invocations() < minInvocations) {
            return new MetricVerdict(MetricVerdict.Outcome.INCONCLUSIVE, candidate, baseline,
                    Optional.of(candidate.invocations() + " invocations of v" + candidate.version() + ", fewer than the "
                            + minInvocations + " needed to judge"));
        }
        Optional<String> failure = Optional.empty();
        if (candidate.errorRatePercent() > maxErrorRate) {
            failure = Optional.of("error rate " + format(candidate.errorRatePercent()) + "% is above the "
                    + format(maxErrorRate) + "% ceiling");
        } else if (candidate.errorRatePercent() - baseline.errorRatePercent() > maxErrorRateIncrease) {
            failure = Optional.of("error rate " + format(candidate.errorRatePercent()) + "% exceeds v"
                    + baseline.version() + "'s " + format(baseline.errorRatePercent()) + "% by more than "
                    + format(maxErrorRateIncrease) + " points");
        } else if (candidate.throttleRatePercent() > maxThrottleRate) {
            failure = Optional.of(format(candidate.throttleRatePercent()) + "% of requests were throttled, more than "
                    + format(maxThrottleRate) + "%");
        } else if (candidate.p99Millis().isPresent() && baseline.p99Millis().isPresent()
                && candidate.p99Millis().get() > maxLatencyRatio * baseline.p99Millis().get()) {
            failure = Optional.of("p99 " + format(candidate.p99Millis().get()) + " ms is more than "
                    + format(maxLatencyRatio) + " times v" + baseline.version() + "'s "
                    + format(baseline.p99Millis().get()) + " ms");
        }
        return failure.map(reason -> new MetricVerdict(MetricVerdict.Outcome.FAILED, candidate, baseline, Optional.of(reason)))
                .orElseGet(() -> new MetricVerdict(MetricVerdict.Outcome.PASSED, candidate, baseline, Optional.empty()));
    }

    /**
     * The verdict on a stage canary's metrics against its stage's over one window: the canary's 5XX rate under the
     * ceiling, its 5XX and 4XX rates within {@code maxErrorRateIncrease} points of the stage's, its p99 latency
     * within {@code maxLatencyRatio} times the stage's. A stage that served no request (a promoted stage has no
     * canary left to compare with) leaves the ceiling alone to judge: a usual share of 4XX is no failure.
     */
    public MetricVerdict judge(StageMetrics canary, StageMetrics stage) {
        if (canary.requests() < minInvocations) {
            return new MetricVerdict(MetricVerdict.Outcome.INCONCLUSIVE, canary, stage,
                    Optional.of(canary.requests() + " requests to the " + canary.side() + ", fewer than the "
                            + minInvocations + " needed to judge"));
        }
        Optional<String> failure;
        if (canary.serverErrorRatePercent() > maxErrorRate) {
            failure = Optional.of("the " + canary.side() + "'s 5XXError rate " + format(canary.serverErrorRatePercent())
                    + "% is above the " + format(maxErrorRate) + "% ceiling" + (stage.requests() == 0 ? ""
                            : " (" + stage.side() + ": " + format(stage.serverErrorRatePercent()) + "%)"));
        } else {
            failure = stage.requests() == 0 ? Optional.empty() : comparedWith(canary, stage);
        }
        return failure.map(reason -> new MetricVerdict(MetricVerdict.Outcome.FAILED, canary, stage, Optional.of(reason)))
                .orElseGet(() -> new MetricVerdict(MetricVerdict.Outcome.PASSED, canary, stage, Optional.empty()));
    }

    private Optional<String> comparedWith(StageMetrics canary, StageMetrics stage) {
        if (canary.serverErrorRatePercent() - stage.serverErrorRatePercent() > maxErrorRateIncrease) {
            return Optional.of(exceeds(canary, stage, "5XXError", canary.serverErrorRatePercent(),
                    stage.serverErrorRatePercent()));
        }
        if (canary.clientErrorRatePercent() - stage.clientErrorRatePercent() > maxErrorRateIncrease) {
            return Optional.of(exceeds(canary, stage, "4XXError", canary.clientErrorRatePercent(),
                    stage.clientErrorRatePercent()));
        }
        if (canary.p99Millis().isPresent() && stage.p99Millis().isPresent()
                && canary.p99Millis().get() > maxLatencyRatio * stage.p99Millis().get()) {
            return Optional.of("the " + canary.side() + "'s Latency p99 " + format(canary.p99Millis().get())
                    + " ms is more than " + format(maxLatencyRatio) + " times " + stage.side() + "'s "
                    + format(stage.p99Millis().get()) + " ms");
        }
        return Optional.empty();
    }

    private String exceeds(StageMetrics canary, StageMetrics stage, String metric, double canaryRate, double stageRate) {
        return "the " + canary.side() + "'s " + metric + " rate " + format(canaryRate) + "% exceeds " + stage.side()
                + "'s " + format(stageRate) + "% by more than " + format(maxErrorRateIncrease) + " points";
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
