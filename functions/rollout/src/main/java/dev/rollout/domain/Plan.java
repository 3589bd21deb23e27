package dev.rollout.domain;

import java.time.Duration;
import java.util.List;

/**
 * The ordered steps a strategy turns into. After the last step the rollout promotes, then keeps watching for the
 * final bake before it ends.
 *
 * @param strategy         the strategy's name as people know it, e.g. {@code Linear10PercentEvery1Minute}
 * @param finalBakeSeconds how long the rollout watches after promotion; an alarm then rolls back. 0: not at all
 */
public record Plan(String strategy, List<Step> steps, long finalBakeSeconds) {
    public Plan {
        steps = List.copyOf(steps);
        if (finalBakeSeconds < 0) {
            throw new IllegalArgumentException("final bake seconds must not be negative, got " + finalBakeSeconds);
        }
    }

    /** A plan without a final bake. */
    public Plan(String strategy, List<Step> steps) {
        this(strategy, steps, 0);
    }

    /** The longest the plan can take if every approval runs until its timeout, the final bake included. */
    public Duration longestDuration() {
        long seconds = finalBakeSeconds;
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
        return new Plan(strategy, gated, finalBakeSeconds);
    }

    /** The plan with an approval gate first, for rollouts that move nothing until a person approves. */
    public Plan withApprovalBeforeStart(Step.Approval gate) {
        List<Step> gated = new java.util.ArrayList<>();
        gated.add(gate);
        gated.addAll(steps);
        return new Plan(strategy, gated, finalBakeSeconds);
    }

    /** The plan with the final bake the rollout input asks for instead of the strategy's default. */
    public Plan withFinalBake(Duration finalBake) {
        return new Plan(strategy, steps, finalBake.getSeconds());
    }
}
