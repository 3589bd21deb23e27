package dev.rollout.domain;

import java.util.List;

/**
 * A prepared rollout: the input checked against the live alias, with the starting state recorded.
 * The state machine carries it from step to step; every task handler receives it.
 *
 * @param fromVersion the version the alias served when the rollout started; rollback returns here
 * @param preparedAt  ISO-8601 instant; the first health window starts here
 * @param finalBakeSeconds how long the rollout keeps watching after promotion; 0: it ends at promotion
 * @param metrics     how every window judges the new version's own metrics; absent from older documents: defaults
 * @param minInvocations the fewest invocations of the new version every judged window must have seen, or the rollout
 *                    rolls back with Rollout.InsufficientEvidence; 0 for none
 */
public record PreparedRollout(String functionName, String alias, String fromVersion, String toVersion, String strategy,
                      List<Step> steps, List<String> alarms, String comment, String preparedAt,
                      long finalBakeSeconds, MetricRules metrics, long minInvocations) {
    public PreparedRollout {
        steps = List.copyOf(steps);
        alarms = List.copyOf(alarms);
        metrics = metrics == null ? MetricRules.DEFAULTS : metrics;
    }

    /** A rollout that asks no minimum of invocations per health check. */
    public PreparedRollout(String functionName, String alias, String fromVersion, String toVersion, String strategy,
                           List<Step> steps, List<String> alarms, String comment, String preparedAt) {
        this(functionName, alias, fromVersion, toVersion, strategy, steps, alarms, comment, preparedAt, 0);
    }

    /** A rollout that asks a minimum of invocations per health check, without a final bake and with default metrics. */
    public PreparedRollout(String functionName, String alias, String fromVersion, String toVersion, String strategy,
                           List<Step> steps, List<String> alarms, String comment, String preparedAt,
                           long minInvocations) {
        this(functionName, alias, fromVersion, toVersion, strategy, steps, alarms, comment, preparedAt, 0,
                MetricRules.DEFAULTS, minInvocations);
    }

    /** A rollout with its final bake and metric rules, asking no minimum of invocations. */
    public PreparedRollout(String functionName, String alias, String fromVersion, String toVersion, String strategy,
                           List<Step> steps, List<String> alarms, String comment, String preparedAt,
                           long finalBakeSeconds, MetricRules metrics) {
        this(functionName, alias, fromVersion, toVersion, strategy, steps, alarms, comment, preparedAt,
                finalBakeSeconds, metrics, 0);
    }

    /** The new version's share of traffic when step {@code index} begins: the last shift before it, or none. */
    public Weight weightBefore(int index) {
        Weight weight = Weight.NONE;
        for (Step step : steps.subList(0, Math.min(index, steps.size()))) {
            if (step instanceof Step.Shift shift) {
                weight = Weight.percent(shift.weight());
            }
        }
        return weight;
    }

    public String describe() {
        return functionName + ":" + alias + " from version " + fromVersion + " to " + toVersion;
    }
}
