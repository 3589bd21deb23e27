package dev.rollout.domain;

import java.time.Duration;
import java.util.List;

/**
 * The ordered steps a strategy turns into. After the last step the rollout promotes.
 *
 * @param strategy the strategy's name as people know it, e.g. {@code Linear10PercentEvery1Minute}
 */
public record Plan(String strategy, List<Step> steps) {
    public Plan {
        steps = List.copyOf(steps);
    }

    /** The longest the plan can take if every approval runs until its timeout. */
    public Duration longestDuration() {
        long seconds = 0;
        for (Step step : steps) {
            if (step instanceof Step.Bake bake) {
                seconds += bake.seconds();
            } else if (step instanceof Step.Approval approval) {
                seconds += approval.timeoutSeconds();
            }
        }
        return Duration.ofSeconds(seconds);
    }

    /** The weights the plan routes to the new version, in order, before the final promotion. */
    public List<Weight> weights() {
        return steps.stream()
                .filter(Step.Shift.class::isInstance)
                .map(step -> Weight.percent(((Step.Shift) step).weight()))
                .toList();
    }

    /** The plan with an approval gate appended, for inputs that ask for approval before promotion. */
    public Plan withApprovalBeforePromotion(Step.Approval gate) {
        List<Step> gated = new java.util.ArrayList<>(steps);
        gated.add(gate);
        return new Plan(strategy, gated);
    }
}
