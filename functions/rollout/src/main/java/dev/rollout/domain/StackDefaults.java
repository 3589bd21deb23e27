package dev.rollout.domain;

import java.util.function.UnaryOperator;

/**
 * The stack's fallback settings, for rollout inputs and functions that set none: the template's
 * {@code DefaultStrategy}, {@code DefaultAlarms}, {@code DefaultApproval}, {@code DefaultPreTrafficHook} and
 * {@code DefaultPostTrafficHook} parameters, which reach Prepare as environment variables. An empty value means no
 * default.
 *
 * @param strategy        a strategy name, as the {@code rollout:strategy} tag takes it
 * @param alarms          alarm names separated by commas (CloudFormation joins a {@code CommaDelimitedList} so)
 * @param approval        {@code true} or {@code false}, as the {@code rollout:approval} tag takes it
 * @param preTrafficHook  a hook function name, as the {@code rollout:pre-traffic-hook} tag takes it
 * @param postTrafficHook a hook function name, as the {@code rollout:post-traffic-hook} tag takes it
 * @param environmentStrategies {@code environment=strategy} pairs separated by commas: the strategy of each
 *                              environment of a chain ({@link EnvironmentChain}) that its tags leave unset
 * @param environmentApprovals  environments separated by commas whose rollouts wait for approval before any traffic
 *                              moves, unless the function's tags say otherwise
 */
public record StackDefaults(String strategy, String alarms, String approval, String preTrafficHook,
                            String postTrafficHook, String environmentStrategies, String environmentApprovals) {
    public static final StackDefaults NONE = new StackDefaults("", "", "", "", "");

    static final String STRATEGY_PARAMETER = "DefaultStrategy";
    static final String ALARMS_PARAMETER = "DefaultAlarms";
    static final String APPROVAL_PARAMETER = "DefaultApproval";
    static final String PRE_TRAFFIC_HOOK_PARAMETER = "DefaultPreTrafficHook";
    static final String POST_TRAFFIC_HOOK_PARAMETER = "DefaultPostTrafficHook";
    static final String ENVIRONMENT_STRATEGIES_PARAMETER = "EnvironmentStrategies";
    static final String ENVIRONMENT_APPROVALS_PARAMETER = "EnvironmentApprovals";

    public StackDefaults {
        strategy = strategy == null ? "" : strategy.trim();
        alarms = alarms == null ? "" : alarms.trim();
        approval = approval == null ? "" : approval.trim();
        preTrafficHook = preTrafficHook == null ? "" : preTrafficHook.trim();
        postTrafficHook = postTrafficHook == null ? "" : postTrafficHook.trim();
        environmentStrategies = environmentStrategies == null ? "" : environmentStrategies.trim();
        environmentApprovals = environmentApprovals == null ? "" : environmentApprovals.trim();
    }

    /** Without settings per environment. */
    public StackDefaults(String strategy, String alarms, String approval, String preTrafficHook,
                         String postTrafficHook) {
        this(strategy, alarms, approval, preTrafficHook, postTrafficHook, "", "");
    }

    /** Without default hooks. */
    public StackDefaults(String strategy, String alarms, String approval) {
        this(strategy, alarms, approval, "", "");
    }

    /**
     * Reads {@code DEFAULT_STRATEGY}, {@code DEFAULT_ALARMS}, {@code DEFAULT_APPROVAL}, {@code DEFAULT_PRE_TRAFFIC_HOOK}
     * {@code DEFAULT_POST_TRAFFIC_HOOK}, {@code ENVIRONMENT_STRATEGIES} and {@code ENVIRONMENT_APPROVALS}; unset means
     * no default.
     */
    public static StackDefaults fromEnvironment(UnaryOperator<String> environment) {
        return new StackDefaults(environment.apply("DEFAULT_STRATEGY"), environment.apply("DEFAULT_ALARMS"),
                environment.apply("DEFAULT_APPROVAL"), environment.apply("DEFAULT_PRE_TRAFFIC_HOOK"),
                environment.apply("DEFAULT_POST_TRAFFIC_HOOK"), environment.apply("ENVIRONMENT_STRATEGIES"),
                environment.apply("ENVIRONMENT_APPROVALS"));
    }

    /** These defaults with the settings per environment of a chain, as the template's parameters give them. */
    public StackDefaults withEnvironments(String strategies, String approvals) {
        return new StackDefaults(strategy, alarms, approval, preTrafficHook, postTrafficHook, strategies, approvals);
    }
}
