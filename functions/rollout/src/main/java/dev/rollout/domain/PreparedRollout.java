package dev.rollout.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A prepared rollout: the input checked against the live target, with the starting state recorded.
 * The state machine carries it from step to step; every task handler receives it.
 *
 * @param target      what the rollout moves traffic on
 * @param fromVersion the side the target served when the rollout started (a version, deployment or record set);
 *                    rollback returns here
 * @param toVersion   the side the rollout moves traffic to
 * @param preparedAt  ISO-8601 instant; the first health window starts here
 * @param finalBakeSeconds how long the rollout keeps watching after promotion; 0: it ends at promotion
 * @param metrics     how every window judges the new version's own metrics; absent from older documents: defaults
 * @param minInvocations the fewest invocations of the new version every judged window must have seen, or the rollout
 *                    rolls back with Rollout.InsufficientEvidence; 0 for none
 * @param hooks       the pre-traffic and post-traffic hooks; the state machine invokes them
 */
public record PreparedRollout(Target target, String fromVersion, String toVersion, String strategy,
                              List<Step> steps, List<String> alarms, String comment, String preparedAt,
                              long finalBakeSeconds, MetricRules metrics, long minInvocations, Hooks hooks) {
    public PreparedRollout {
        steps = List.copyOf(steps);
        alarms = List.copyOf(alarms);
        metrics = metrics == null ? MetricRules.DEFAULTS : metrics;
        hooks = hooks == null ? Hooks.NONE : hooks;
    }

    /** A rollout with hooks, without a final bake or metric rules of its own. */
    public PreparedRollout(Target target, String fromVersion, String toVersion, String strategy, List<Step> steps,
                           List<String> alarms, String comment, String preparedAt, long minInvocations, Hooks hooks) {
        this(target, fromVersion, toVersion, strategy, steps, alarms, comment, preparedAt, 0, MetricRules.DEFAULTS,
                minInvocations, hooks);
    }

    /** A rollout without hooks. */
    public PreparedRollout(Target target, String fromVersion, String toVersion, String strategy, List<Step> steps,
                           List<String> alarms, String comment, String preparedAt, long minInvocations) {
        this(target, fromVersion, toVersion, strategy, steps, alarms, comment, preparedAt, minInvocations, Hooks.NONE);
    }

    /** A rollout that asks no minimum of invocations per health check. */
    public PreparedRollout(Target target, String fromVersion, String toVersion, String strategy, List<Step> steps,
                           List<String> alarms, String comment, String preparedAt) {
        this(target, fromVersion, toVersion, strategy, steps, alarms, comment, preparedAt, 0);
    }

    /** A rollout with its final bake and metric rules, asking no minimum of invocations. */
    public PreparedRollout(Target target, String fromVersion, String toVersion, String strategy, List<Step> steps,
                           List<String> alarms, String comment, String preparedAt, long finalBakeSeconds,
                           MetricRules metrics) {
        this(target, fromVersion, toVersion, strategy, steps, alarms, comment, preparedAt, finalBakeSeconds, metrics, 0,
                Hooks.NONE);
    }

    /**
     * Also reads what handlers before targets wrote ({@code functionName} and {@code alias}, no {@code target}), so
     * that a rollout under way while the stack is updated goes on with the new handlers.
     */
    @JsonCreator
    static PreparedRollout fromJson(@JsonProperty("target") Target target,
                                    @JsonProperty("functionName") String functionName,
                                    @JsonProperty("alias") String alias,
                                    @JsonProperty("fromVersion") String fromVersion,
                                    @JsonProperty("toVersion") String toVersion,
                                    @JsonProperty("strategy") String strategy,
                                    @JsonProperty("steps") List<Step> steps,
                                    @JsonProperty("alarms") List<String> alarms,
                                    @JsonProperty("comment") String comment,
                                    @JsonProperty("preparedAt") String preparedAt,
                                    @JsonProperty("finalBakeSeconds") long finalBakeSeconds,
                                    @JsonProperty("metrics") MetricRules metrics,
                                    @JsonProperty("minInvocations") long minInvocations,
                                    @JsonProperty("hooks") Hooks hooks) {
        Target read = target != null || functionName == null ? target : new Target.LambdaAlias(functionName, alias);
        if (read == null) {
            throw new IllegalArgumentException("a prepared rollout names its target");
        }
        return new PreparedRollout(read, fromVersion, toVersion, strategy, steps == null ? List.of() : steps,
                alarms == null ? List.of() : alarms, comment, preparedAt, finalBakeSeconds, metrics, minInvocations,
                hooks);
    }

    /** The new side's share of traffic when step {@code index} begins: the last shift before it, or none. */
    public Weight weightBefore(int index) {
        Weight weight = Weight.NONE;
        for (Step step : steps.subList(0, Math.min(index, steps.size()))) {
            if (step instanceof Step.Shift shift) {
                weight = Weight.percent(shift.weight());
            }
        }
        return weight;
    }

    /**
     * Where this rollout left the target just before its shift to {@code weight}: at the start before the plan's first
     * shift, shifting before any later one (a plan's weights rise step by step, so a weight names its step).
     */
    public Routing.Position positionBeforeShiftTo(Weight weight) {
        Weight first = steps.stream().filter(Step.Shift.class::isInstance).map(Step.Shift.class::cast).findFirst()
                .map(shift -> Weight.percent(shift.weight())).orElse(weight);
        return first.equals(weight) ? Routing.Position.AT_START : Routing.Position.SHIFTING;
    }

    public String describe() {
        return target.title() + " from " + target.unit() + " " + fromVersion + " to " + toVersion;
    }
}
