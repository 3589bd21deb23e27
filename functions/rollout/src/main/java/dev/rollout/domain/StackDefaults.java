package dev.rollout.domain;

import java.util.function.UnaryOperator;

/**
 * The stack's fallback settings, for rollout inputs and functions that set none: the template's
 * {@code DefaultStrategy}, {@code DefaultAlarms} and {@code DefaultApproval} parameters, which reach Prepare as
 * environment variables. An empty value means no default.
 *
 * @param strategy a strategy name, as the {@code rollout:strategy} tag takes it
 * @param alarms   alarm names separated by commas (CloudFormation joins a {@code CommaDelimitedList} so)
 * @param approval {@code true} or {@code false}, as the {@code rollout:approval} tag takes it
 */
public record StackDefaults(String strategy, String alarms, String approval) {
    public static final StackDefaults NONE = new StackDefaults("", "", "");

    static final String STRATEGY_PARAMETER = "DefaultStrategy";
    static final String ALARMS_PARAMETER = "DefaultAlarms";
    static final String APPROVAL_PARAMETER = "DefaultApproval";

    public StackDefaults {
        strategy = strategy == null ? "" : strategy.trim();
        alarms = alarms == null ? "" : alarms.trim();
        approval = approval == null ? "" : approval.trim();
    }

    /** Reads {@code DEFAULT_STRATEGY}, {@code DEFAULT_ALARMS} and {@code DEFAULT_APPROVAL}; unset means no default. */
    public static StackDefaults fromEnvironment(UnaryOperator<String> environment) {
        return new StackDefaults(environment.apply("DEFAULT_STRATEGY"), environment.apply("DEFAULT_ALARMS"),
                environment.apply("DEFAULT_APPROVAL"));
    }
}
