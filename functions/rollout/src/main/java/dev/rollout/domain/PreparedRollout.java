package dev.rollout.domain;

import java.util.List;

/**
 * A prepared rollout: the input checked against the live alias, with the starting state recorded.
 * The state machine carries it from step to step; every task handler receives it.
 *
 * @param fromVersion the version the alias served when the rollout started; rollback returns here
 * @param preparedAt  ISO-8601 instant; the first health window starts here
 * @param minInvocations the fewest invocations of the new version each health check must have seen; 0 for none
 * @param hooks       the pre-traffic and post-traffic hooks; the state machine invokes them
 */
public record PreparedRollout(String functionName, String alias, String fromVersion, String toVersion, String strategy,
                      List<Step> steps, List<String> alarms, String comment, String preparedAt, long minInvocations,
                      Hooks hooks) {
    public PreparedRollout {
        steps = List.copyOf(steps);
        alarms = List.copyOf(alarms);
        hooks = hooks == null ? Hooks.NONE : hooks;
    }

    /** A rollout without hooks. */
    public PreparedRollout(String functionName, String alias, String fromVersion, String toVersion, String strategy,
                           List<Step> steps, List<String> alarms, String comment, String preparedAt,
                           long minInvocations) {
        this(functionName, alias, fromVersion, toVersion, strategy, steps, alarms, comment, preparedAt, minInvocations,
                Hooks.NONE);
    }

    /** A rollout without hooks that asks no minimum of invocations per health check. */
    public PreparedRollout(String functionName, String alias, String fromVersion, String toVersion, String strategy,
                           List<Step> steps, List<String> alarms, String comment, String preparedAt) {
        this(functionName, alias, fromVersion, toVersion, strategy, steps, alarms, comment, preparedAt, 0);
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
