package dev.rollout.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a strategy, as people write it in a rollout input, into a {@link Plan}.
 *
 * <ul>
 *   <li>a CodeDeploy predefined configuration by name, with or without the
 *       {@code CodeDeployDefault.Lambda} prefix: {@code "Linear10PercentEvery1Minute"};</li>
 *   <li>CodeDeploy's custom shapes: {@code {"type": "TimeBasedCanary", "percentage": 10, "intervalMinutes": 5}}
 *       and {@code {"type": "TimeBasedLinear", ...}};</li>
 *   <li>an explicit step list in the style of Argo Rollouts:
 *       {@code {"type": "Steps", "steps": [{"setWeight": 20}, {"pause": {"duration": "10m"}}, {"approval": {}}]}}.</li>
 * </ul>
 */
public final class Strategies {
    public static final String CODEDEPLOY_PREFIX = "CodeDeployDefault.Lambda";

    /** CodeDeploy's predefined Lambda deployment configurations, by their short names. */
    private static final Map<String, Shape> PREDEFINED = new LinkedHashMap<>();

    static {
        for (int minutes : new int[] {5, 10, 15, 30}) {
            PREDEFINED.put("Canary10Percent" + minutes + "Minutes", new Shape(Kind.CANARY, 10, minutes));
        }
        PREDEFINED.put("Linear10PercentEvery1Minute", new Shape(Kind.LINEAR, 10, 1));
        for (int minutes : new int[] {2, 3, 10}) {
            PREDEFINED.put("Linear10PercentEvery" + minutes + "Minutes", new Shape(Kind.LINEAR, 10, minutes));
        }
        PREDEFINED.put("AllAtOnce", new Shape(Kind.ALL_AT_ONCE, 100, 0));
    }

    private static final long MAX_INTERVAL_MINUTES = Durations.STEP_FUNCTIONS_MAX.toMinutes();
    private static final int MAX_STEPS = 200;

    private Strategies() {
    }

    /** The predefined names people may use, without the CodeDeploy prefix. */
    public static Set<String> predefinedNames() {
        return PREDEFINED.keySet();
    }

    /**
     * Builds the plan for {@code spec}, or records what is wrong with it under {@code field}.
     *
     * @param approvalTimeout the timeout for approval steps that do not set their own
     */
    public static Optional<Plan> plan(JsonNode spec, String field, Duration approvalTimeout, OnTimeout onTimeout,
                                      Problems problems) {
        int before = problems.size();
        Plan plan = null;
        if (spec == null || spec.isNull() || spec.isMissingNode()) {
            problems.add(field, "is required: a CodeDeploy configuration name such as \"Canary10Percent5Minutes\","
                    + " or an object with \"type\" TimeBasedCanary, TimeBasedLinear or Steps");
        } else if (spec.isTextual()) {
            plan = predefined(spec.asText(), field, problems);
        } else if (spec.isObject()) {
            plan = custom(spec, field, approvalTimeout, onTimeout, problems);
        } else {
            problems.add(field, "expected a configuration name or an object, got " + JsonFields.describe(spec));
        }
        if (plan != null && problems.size() == before) {
            checkBudget(plan, field, problems);
        }
        return problems.size() == before ? Optional.ofNullable(plan) : Optional.empty();
    }

    /** Refuses a plan whose waits, approval timeouts included, could outlast the execution's time-out. */
    static void checkBudget(Plan plan, String field, Problems problems) {
        if (plan.longestDuration().compareTo(Durations.PLAN_BUDGET) > 0) {
            problems.add(field, "waits up to " + Durations.format(plan.longestDuration())
                    + " in total (bakes and approval timeouts), longer than the " + Durations.format(Durations.PLAN_BUDGET)
                    + " a rollout may wait: its execution times out after " + Durations.format(Durations.EXECUTION_TIMEOUT));
        }
    }

    private static Plan predefined(String name, String field, Problems problems) {
        String shortName = name.startsWith(CODEDEPLOY_PREFIX) ? name.substring(CODEDEPLOY_PREFIX.length()) : name;
        Shape shape = PREDEFINED.get(shortName);
        if (shape == null) {
            problems.add(field, "unknown strategy \"" + name + "\"; expected one of " + String.join(", ", PREDEFINED.keySet())
                    + " (optionally prefixed with " + CODEDEPLOY_PREFIX + "), or an object with \"type\""
                    + " TimeBasedCanary, TimeBasedLinear or Steps");
            return null;
        }
        return shape.plan(shortName);
    }

    private static Plan custom(JsonNode spec, String field, Duration approvalTimeout, OnTimeout onTimeout,
                               Problems problems) {
        JsonNode type = spec.get("type");
        if (type == null || !type.isTextual()) {
            if (spec.has("steps")) {
                // Argo-style lists often come without the type: name it, and check the steps in the same refusal.
                problems.add(field + ".type", "is required: \"Steps\" for a list of steps");
                steps(spec, field, approvalTimeout, onTimeout, problems);
                return null;
            }
            problems.add(field + ".type", "is required: one of TimeBasedCanary, TimeBasedLinear, Steps");
            return null;
        }
        return switch (type.asText()) {
            case "TimeBasedCanary" -> timeBased(spec, field, Kind.CANARY, problems);
            case "TimeBasedLinear" -> timeBased(spec, field, Kind.LINEAR, problems);
            case "Steps" -> steps(spec, field, approvalTimeout, onTimeout, problems);
            default -> {
                problems.add(field + ".type", "unknown type \"" + type.asText()
                        + "\"; expected one of TimeBasedCanary, TimeBasedLinear, Steps");
                yield null;
            }
        };
    }

    private static Plan timeBased(JsonNode spec, String field, Kind kind, Problems problems) {
        JsonFields.refuseUnknown(spec, field, Set.of("type", "percentage", "intervalMinutes"), problems);
        Optional<Long> percentage = JsonFields.integer(spec, "percentage", field, 1, 99,
                "a whole percentage from 1 to 99", problems);
        Optional<Long> interval = JsonFields.integer(spec, "intervalMinutes", field, 1, MAX_INTERVAL_MINUTES,
                "whole minutes from 1 to " + MAX_INTERVAL_MINUTES + " (365d)", problems);
        if (percentage.isEmpty() || interval.isEmpty()) {
            return null;
        }
        Shape shape = new Shape(kind, percentage.get().intValue(), interval.get());
        String name = kind == Kind.CANARY
                ? "TimeBasedCanary(" + shape.percentage + "% for " + shape.intervalMinutes + "m)"
                : "TimeBasedLinear(" + shape.percentage + "% every " + shape.intervalMinutes + "m)";
        return shape.plan(name);
    }

    private static Plan steps(JsonNode spec, String field, Duration approvalTimeout, OnTimeout onTimeout,
                              Problems problems) {
        JsonFields.refuseUnknown(spec, field, Set.of("type", "steps"), problems);
        JsonNode list = spec.get("steps");
        String listField = field + ".steps";
        if (list == null || !list.isArray()) {
            problems.add(listField, "is required: a list of steps such as {\"setWeight\": 20},"
                    + " {\"pause\": {\"duration\": \"10m\"}}, {\"approval\": {}}");
            return null;
        }
        if (list.isEmpty()) {
            problems.add(listField, "must hold at least one step");
            return null;
        }
        if (list.size() > MAX_STEPS) {
            problems.add(listField, "holds " + list.size() + " steps; at most " + MAX_STEPS + " are allowed");
            return null;
        }
        List<Step> steps = new ArrayList<>();
        int lastWeight = 0;
        boolean promoted = false;
        for (int i = 0; i < list.size(); i++) {
            String at = listField + "[" + i + "]";
            JsonNode item = list.get(i);
            if (!item.isObject() || item.size() != 1) {
                problems.add(at, "expected an object with exactly one of setWeight, pause, approval");
                continue;
            }
            if (promoted) {
                problems.add(at, "nothing may follow setWeight 100, which promotes the new version");
                continue;
            }
            Map.Entry<String, JsonNode> entry = item.fields().next();
            switch (entry.getKey()) {
                case "setWeight" -> {
                    Optional<Long> weight = JsonFields.integer(item, "setWeight", at, 0, 100,
                            "a whole percentage from 0 to 100", problems);
                    if (weight.isPresent()) {
                        int value = weight.get().intValue();
                        if (value <= lastWeight) {
                            problems.add(at + ".setWeight", "weights must increase: " + value
                                    + " does not exceed the previous weight " + lastWeight);
                        } else if (value == 100) {
                            promoted = true;
                        } else {
                            steps.add(new Step.Shift(value));
                        }
                        lastWeight = Math.max(lastWeight, value);
                    }
                }
                case "pause" -> {
                    JsonNode pause = entry.getValue();
                    if (!pause.isObject() || !pause.has("duration")) {
                        problems.add(at + ".pause", "expected {\"duration\": \"10m\"}; for an indefinite pause use an approval step");
                        continue;
                    }
                    JsonFields.refuseUnknown(pause, at + ".pause", Set.of("duration"), problems);
                    JsonFields.duration(pause.get("duration"), at + ".pause.duration", false, problems)
                            .ifPresent(duration -> steps.add(new Step.Bake(duration.getSeconds())));
                }
                case "approval" -> {
                    JsonNode approval = entry.getValue();
                    if (!approval.isObject()) {
                        problems.add(at + ".approval", "expected an object, e.g. {} or {\"timeout\": \"4h\"}");
                        continue;
                    }
                    JsonFields.refuseUnknown(approval, at + ".approval", Set.of("timeout", "onTimeout"), problems);
                    Duration timeout = approvalTimeout;
                    if (approval.has("timeout")) {
                        timeout = JsonFields.duration(approval.get("timeout"), at + ".approval.timeout", true, problems)
                                .orElse(null);
                    }
                    OnTimeout action = approval.has("onTimeout")
                            ? JsonFields.onTimeout(approval.get("onTimeout"), at + ".approval.onTimeout", problems).orElse(null)
                            : onTimeout;
                    if (timeout != null && action != null) {
                        steps.add(new Step.Approval(timeout.getSeconds(), action));
                    }
                }
                default -> problems.add(at, "unknown step \"" + entry.getKey() + "\"; expected setWeight, pause or approval");
            }
        }
        return new Plan("Steps", steps);
    }

    private enum Kind { CANARY, LINEAR, ALL_AT_ONCE }

    /**
     * The longest default final bake, AppConfig's for its predefined strategies: long enough for alarms on a minute
     * period to fire a few times, short enough not to double a 30-minute canary.
     */
    public static final long DEFAULT_FINAL_BAKE_SECONDS = 600;

    /**
     * CodeDeploy's three shapes: one canary increment, equal linear increments, or everything at once. After
     * promotion the rollout keeps watching (its final bake): a canary or linear one for one more interval, at most
     * {@link #DEFAULT_FINAL_BAKE_SECONDS}; everything at once, which watched nothing before, for that long.
     */
    private record Shape(Kind kind, int percentage, long intervalMinutes) {
        Plan plan(String name) {
            List<Step> steps = new ArrayList<>();
            long bake = intervalMinutes * 60;
            switch (kind) {
                case CANARY -> {
                    steps.add(new Step.Shift(percentage));
                    steps.add(new Step.Bake(bake));
                }
                case LINEAR -> {
                    for (int weight = percentage; weight < 100; weight += percentage) {
                        steps.add(new Step.Shift(weight));
                        steps.add(new Step.Bake(bake));
                    }
                }
                case ALL_AT_ONCE -> {
                    // Promotion follows the (empty) plan directly.
                }
            }
            long finalBake = kind == Kind.ALL_AT_ONCE ? DEFAULT_FINAL_BAKE_SECONDS
                    : Math.min(bake, DEFAULT_FINAL_BAKE_SECONDS);
            return new Plan(name, steps, finalBake);
        }
    }
}
