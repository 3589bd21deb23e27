package dev.rollout.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a rollout's settings come from: the input first, then the function's tags, then the stack's defaults.
 *
 * <p>Each input field that a tag or default can supply ({@code alias}, {@code strategy}, {@code alarms},
 * {@code approval}, {@code hooks}) is taken whole from the first source that has it, so an explicit input always wins. The
 * completed document goes through {@link RolloutRequest#parse}, the one validator, and its problems are renamed
 * after the tag or stack parameter the bad value came from: {@code tag rollout:strategy: unknown strategy "Fast";
 * expected one of ...}.
 *
 * <p>Tag values hold only what every AWS service accepts in tags (letters, digits, spaces and {@code _ . : / = + - @}),
 * which rules out JSON and commas: {@value #ALARMS_TAG} lists alarm names separated by spaces,
 * {@value #STRATEGY_TAG} takes a strategy name (custom strategies need an explicit input), and {@value #METRICS_TAG}
 * lists {@code name=value} pairs of the input's {@code metrics} object, separated by spaces.
 */
public final class RolloutSettings {
    public static final String ALIAS_TAG = "rollout:alias";
    public static final String STRATEGY_TAG = "rollout:strategy";
    public static final String ALARMS_TAG = "rollout:alarms";
    public static final String APPROVAL_TAG = "rollout:approval";
    public static final String APPROVAL_TIMEOUT_TAG = "rollout:approval-timeout";
    public static final String APPROVAL_ON_TIMEOUT_TAG = "rollout:approval-on-timeout";
    public static final String METRICS_TAG = "rollout:metrics";
    public static final String MIN_INVOCATIONS_TAG = "rollout:min-invocations";
    public static final String PRE_TRAFFIC_HOOK_TAG = "rollout:pre-traffic-hook";
    public static final String POST_TRAFFIC_HOOK_TAG = "rollout:post-traffic-hook";
    /** Every tag this project reads, in the order its documentation lists them. */
    public static final List<String> TAGS = List.of(ALIAS_TAG, STRATEGY_TAG, ALARMS_TAG, APPROVAL_TAG,
            APPROVAL_TIMEOUT_TAG, APPROVAL_ON_TIMEOUT_TAG, METRICS_TAG, MIN_INVOCATIONS_TAG, PRE_TRAFFIC_HOOK_TAG,
            POST_TRAFFIC_HOOK_TAG, EnvironmentChain.TAG);
    /** The settings an environment of a chain may set for itself, as in {@code rollout:prod:approval}. */
    private static final List<String> ENVIRONMENT_SETTINGS = List.of(EnvironmentChain.STRATEGY_SETTING,
            EnvironmentChain.APPROVAL_SETTING);

    private static final String TAG_PREFIX = "rollout:";
    private static final List<String> FILLABLE = List.of("alias", "strategy", "alarms", "approval", "metrics", "hooks");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RolloutSettings() {
    }

    /**
     * A request completed from tags and defaults.
     *
     * @param sources for each field that did not come from the input, where it came from, e.g.
     *                {@code {"strategy": "tag rollout:strategy"}}
     */
    public record Resolved(RolloutRequest request, Map<String, String> sources) {
        public Resolved {
            sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
        }

        /** How a message should name {@code field}: after the tag or stack parameter its value came from. */
        public String name(String field) {
            return label(sources, field);
        }
    }

    /**
     * The function whose tags may complete {@code input}: present when the input names a function in a form Lambda
     * accepts and leaves out a field that tags can supply. Reading tags for anything else would be wasted.
     */
    public static Optional<String> functionToRead(JsonNode input) {
        if (input == null || !input.isObject() || FILLABLE.stream().allMatch(input::hasNonNull)) {
            return Optional.empty();
        }
        JsonNode function = input.get("functionName");
        return function != null && function.isTextual() && RolloutRequest.isFunctionReference(function.asText())
                ? Optional.of(function.asText())
                : Optional.empty();
    }

    /**
     * The alias a newly published version rolls out on: the function's {@value #ALIAS_TAG} tag, else
     * {@value RolloutRequest#DEFAULT_ALIAS}. Empty when the tag holds no alias name; Prepare then refuses the
     * rollout, naming the tag.
     */
    public static Optional<String> alias(Map<String, String> tags) {
        String alias = tags.getOrDefault(ALIAS_TAG, RolloutRequest.DEFAULT_ALIAS).trim();
        return RolloutRequest.isAliasName(alias) ? Optional.of(alias) : Optional.empty();
    }

    /**
     * An input completed from tags and defaults and checked, without refusing it yet: Prepare first looks up what
     * {@link #lookups} names, so that a refusal lists the input's problems and the account's together.
     *
     * @param resolved the completed request; empty when there is any problem
     * @param problems every problem, each named after the input field, tag or stack parameter it is about
     * @param lookups  what AWS may be asked about: the well-formed parts of the completed input
     * @param labels   how messages name fields: after the tag or stack parameter a value came from
     */
    public record Checked(Optional<Resolved> resolved, List<Problems.Problem> problems, Lookups lookups,
                          Map<String, String> labels) {
        public Checked {
            problems = List.copyOf(problems);
            labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        }

        /** How a message should name {@code field}: after the tag or stack parameter its value came from. */
        public String name(String field) {
            return label(labels, field);
        }
    }

    /**
     * Completes {@code input} from {@code tags}, then {@code defaults}, and parses it.
     *
     * @throws Rollout.InvalidInput listing every problem, each named after the input field, tag or stack parameter
     *     it is about
     */
    public static Resolved resolve(JsonNode input, Map<String, String> tags, StackDefaults defaults) {
        Checked checked = check(input, tags, defaults);
        if (!checked.problems().isEmpty()) {
            throw new Rollout.InvalidInput(checked.problems().stream().map(Problems.Problem::toString).toList());
        }
        return checked.resolved().orElseThrow();
    }

    /** Completes {@code input} from {@code tags}, then {@code defaults}, and parses it, collecting every problem. */
    public static Checked check(JsonNode input, Map<String, String> tags, StackDefaults defaults) {
        if (input == null || !input.isObject()) {
            Problems parsing = new Problems();
            RolloutRequest.parse(input, parsing);
            return new Checked(Optional.empty(), parsing.list(), Lookups.readable(input), Map.of());
        }
        ObjectNode completed = input.deepCopy();
        Map<String, String> sources = new LinkedHashMap<>();
        Problems problems = new Problems();
        Optional<EnvironmentChain> chain = EnvironmentChain.of(tags, problems);
        tags.keySet().stream()
                .filter(key -> key.startsWith(TAG_PREFIX) && !TAGS.contains(key))
                .sorted()
                .forEach(key -> unknownTag(key, chain, problems));

        if (!input.hasNonNull("alias") && tags.containsKey(ALIAS_TAG)) {
            completed.put("alias", tags.get(ALIAS_TAG).trim());
            sources.put("alias", tag(ALIAS_TAG));
        }
        // A rollout on one of the chain's aliases takes that environment's own settings first.
        String alias = completed.path("alias").asText(RolloutRequest.DEFAULT_ALIAS);
        Optional<String> environment = chain.filter(c -> !input.has("target") && c.contains(alias)).map(c -> alias);
        Map<String, String> labels = new LinkedHashMap<>();
        Optional<String> environmentStrategy = input.hasNonNull("strategy") ? Optional.empty()
                : environment.flatMap(env -> environmentStrategy(env, tags, defaults, sources, problems));
        if (environmentStrategy.isPresent()) {
            completed.put("strategy", environmentStrategy.get());
        } else if (!input.hasNonNull("strategy")) {
            if (tags.containsKey(STRATEGY_TAG)) {
                completed.put("strategy", tags.get(STRATEGY_TAG).trim());
                sources.put("strategy", tag(STRATEGY_TAG));
            } else if (!defaults.strategy().isEmpty()) {
                completed.put("strategy", defaults.strategy());
                sources.put("strategy", parameter(StackDefaults.STRATEGY_PARAMETER));
            } else {
                labels.put("strategy", "strategy (from the input, tag " + STRATEGY_TAG + " or stack parameter "
                        + StackDefaults.STRATEGY_PARAMETER + ")");
            }
        }
        if (!input.hasNonNull("alarms")) {
            if (tags.containsKey(ALARMS_TAG)) {
                completed.set("alarms", names(SPACES.split(tags.get(ALARMS_TAG).trim())));
                sources.put("alarms", tag(ALARMS_TAG));
            } else if (!defaults.alarms().isEmpty()) {
                completed.set("alarms", names(defaults.alarms().split(",")));
                sources.put("alarms", parameter(StackDefaults.ALARMS_PARAMETER));
            }
        }
        if (!input.hasNonNull("approval")) {
            Optional<JsonNode> beforeStart = environment.flatMap(env -> approvalBeforeStart(env, tags, defaults,
                    sources));
            approval(tags, defaults, beforeStart, sources, problems)
                    .ifPresent(approval -> completed.set("approval", approval));
        }
        if (!input.hasNonNull("metrics") && tags.containsKey(METRICS_TAG)) {
            completed.set("metrics", pairs(tags.get(METRICS_TAG), problems));
            sources.put("metrics", tag(METRICS_TAG));
        }
        if (!input.hasNonNull("minInvocations") && tags.containsKey(MIN_INVOCATIONS_TAG)) {
            String value = tags.get(MIN_INVOCATIONS_TAG).trim();
            // Digits become a number; anything else stays text, which the parser refuses naming the tag.
            completed.set("minInvocations", value.matches("[0-9]{1,18}") ? NODES.numberNode(Long.parseLong(value))
                    : TextNode.valueOf(value));
            sources.put("minInvocations", tag(MIN_INVOCATIONS_TAG));
        }
        // Hooks apply to Lambda aliases only: a stack's default hooks pass over a target of another kind.
        if (!input.hasNonNull("hooks") && !input.has("target")) {
            ObjectNode hooks = NODES.objectNode();
            hook(hooks, "preTraffic", PRE_TRAFFIC_HOOK_TAG, StackDefaults.PRE_TRAFFIC_HOOK_PARAMETER,
                    defaults.preTrafficHook(), tags, sources);
            hook(hooks, "postTraffic", POST_TRAFFIC_HOOK_TAG, StackDefaults.POST_TRAFFIC_HOOK_PARAMETER,
                    defaults.postTrafficHook(), tags, sources);
            if (!hooks.isEmpty()) {
                completed.set("hooks", hooks);
            }
        }

        labels.putAll(sources);
        Problems parsing = new Problems();
        Optional<RolloutRequest> request = RolloutRequest.parse(completed, parsing);
        for (Problems.Problem problem : parsing.list()) {
            problems.add(label(labels, problem.field()), problem.message());
        }
        if (!problems.isEmpty()) {
            return new Checked(Optional.empty(), problems.list(), Lookups.readable(completed), labels);
        }
        return new Checked(Optional.of(new Resolved(request.orElseThrow(), sources)), List.of(),
                Lookups.of(request.orElseThrow()), labels);
    }

    /** One hook function, named by a tag or else by a stack default; each moment is resolved on its own. */
    private static void hook(ObjectNode hooks, String moment, String tag, String parameter, String fallback,
                             Map<String, String> tags, Map<String, String> sources) {
        if (tags.containsKey(tag)) {
            hooks.put(moment, tags.get(tag).trim());
            sources.put("hooks." + moment, tag(tag));
        } else if (!fallback.isEmpty()) {
            hooks.put(moment, fallback);
            sources.put("hooks." + moment, parameter(parameter));
        }
    }

    /** A {@code rollout:} tag this project does not read, unless it sets a setting of one of the chain's environments. */
    private static void unknownTag(String key, Optional<EnvironmentChain> chain, Problems problems) {
        Optional<Map.Entry<String, String>> environmentTag = EnvironmentChain.environmentTag(key);
        if (environmentTag.isPresent() && ENVIRONMENT_SETTINGS.contains(environmentTag.get().getValue())) {
            String environment = environmentTag.get().getKey();
            if (chain.isEmpty() || !chain.get().contains(environment)) {
                problems.add(tag(key), "sets a setting of environment " + environment + ", which is not in tag "
                        + EnvironmentChain.TAG + (chain.map(c -> " (" + c.describe() + ")").orElse(" (not set)")));
            }
            return;
        }
        problems.add(tag(key), "unknown rollout tag; expected one of " + String.join(", ", TAGS)
                + ", or rollout:<environment>:strategy and rollout:<environment>:approval for an environment of "
                + EnvironmentChain.TAG);
    }

    /**
     * The strategy of {@code environment}, from its tag, else from the stack's {@code EnvironmentStrategies}; empty
     * when neither sets one (the function's and stack's strategy then apply).
     */
    private static Optional<String> environmentStrategy(String environment, Map<String, String> tags,
                                                        StackDefaults defaults, Map<String, String> sources,
                                                        Problems problems) {
        String key = EnvironmentChain.tag(environment, EnvironmentChain.STRATEGY_SETTING);
        if (tags.containsKey(key)) {
            sources.put("strategy", tag(key));
            return Optional.of(tags.get(key).trim());
        }
        String strategy = EnvironmentChain.pairs(defaults.environmentStrategies(),
                StackDefaults.ENVIRONMENT_STRATEGIES_PARAMETER, problems).getOrDefault(environment, "");
        if (strategy.isEmpty()) {
            return Optional.empty();
        }
        sources.put("strategy", parameter(StackDefaults.ENVIRONMENT_STRATEGIES_PARAMETER));
        return Optional.of(strategy);
    }

    /**
     * Whether {@code environment} waits for approval before any of its traffic moves: its tag, else whether the
     * stack's {@code EnvironmentApprovals} lists it; empty when the tag is absent and the parameter does not list it.
     */
    private static Optional<JsonNode> approvalBeforeStart(String environment, Map<String, String> tags,
                                                          StackDefaults defaults, Map<String, String> sources) {
        String key = EnvironmentChain.tag(environment, EnvironmentChain.APPROVAL_SETTING);
        if (tags.containsKey(key)) {
            sources.put("approval.beforeStart", tag(key));
            return Optional.of(bool(tags.get(key)));
        }
        if (EnvironmentChain.names(defaults.environmentApprovals()).contains(environment)) {
            sources.put("approval.beforeStart", parameter(StackDefaults.ENVIRONMENT_APPROVALS_PARAMETER));
            return Optional.of(BooleanNode.TRUE);
        }
        return Optional.empty();
    }

    /**
     * Approval before promotion, asked for by tag or stack default, and before any traffic moves, asked for by an
     * environment's settings; refined by the timeout tags.
     */
    private static Optional<ObjectNode> approval(Map<String, String> tags, StackDefaults defaults,
                                                 Optional<JsonNode> beforeStart, Map<String, String> sources,
                                                 Problems problems) {
        ObjectNode approval = NODES.objectNode();
        if (tags.containsKey(APPROVAL_TAG)) {
            approval.set("beforePromote", bool(tags.get(APPROVAL_TAG)));
            sources.put("approval.beforePromote", tag(APPROVAL_TAG));
        } else if (!defaults.approval().isEmpty()) {
            approval.set("beforePromote", bool(defaults.approval()));
            sources.put("approval.beforePromote", parameter(StackDefaults.APPROVAL_PARAMETER));
        }
        beforeStart.ifPresent(gate -> approval.set("beforeStart", gate));
        List<String> refinements = new ArrayList<>();
        refine(approval, "timeout", APPROVAL_TIMEOUT_TAG, tags, sources, refinements);
        refine(approval, "onTimeout", APPROVAL_ON_TIMEOUT_TAG, tags, sources, refinements);
        if (!approval.has("beforePromote") && !approval.has("beforeStart")) {
            // An approval object without beforePromote asks for approval: a timeout tag alone must not.
            refinements.forEach(key -> problems.add(tag(key), "takes effect only together with "
                    + APPROVAL_TAG + "=true; set that tag as well, or remove this one"));
            return Optional.empty();
        }
        return Optional.of(approval);
    }

    private static void refine(ObjectNode approval, String field, String key, Map<String, String> tags,
                               Map<String, String> sources, List<String> refinements) {
        if (tags.containsKey(key)) {
            approval.put(field, tags.get(key).trim());
            sources.put("approval." + field, tag(key));
            refinements.add(key);
        }
    }

    /** Text other than true and false stays text, so that the parser reports it as it reports any input. */
    private static JsonNode bool(String text) {
        String value = text.trim();
        return switch (value) {
            case "true" -> BooleanNode.TRUE;
            case "false" -> BooleanNode.FALSE;
            default -> TextNode.valueOf(value);
        };
    }

    /** {@code minInvocations=50 enabled=false} as {@code {"minInvocations": 50, "enabled": false}}. */
    private static ObjectNode pairs(String value, Problems problems) {
        ObjectNode object = NODES.objectNode();
        for (String pair : SPACES.split(value.trim())) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                problems.add(tag(METRICS_TAG), "expected name=value pairs separated by spaces, such as"
                        + " minInvocations=50 maxErrorRate=2, got \"" + pair + "\"");
                continue;
            }
            String text = pair.substring(equals + 1);
            JsonNode parsed = bool(text);
            if (parsed.isTextual()) {
                try {
                    parsed = NODES.numberNode(new java.math.BigDecimal(text));
                } catch (NumberFormatException notANumber) {
                    // Stays text: the parser names what it expected.
                }
            }
            object.set(pair.substring(0, equals), parsed);
        }
        return object;
    }

    private static ArrayNode names(String[] parts) {
        ArrayNode names = NODES.arrayNode();
        for (String part : parts) {
            if (!part.isBlank()) {
                names.add(part.trim());
            }
        }
        return names;
    }

    /**
     * {@code field} renamed after its source. An item of a list names its list only: the index of a name in a tag
     * value or parameter is no help, and the message names the item itself.
     */
    private static String label(Map<String, String> labels, String field) {
        for (Map.Entry<String, String> entry : labels.entrySet()) {
            String key = entry.getKey();
            if (field.equals(key)) {
                return entry.getValue();
            }
            if (field.startsWith(key + "[") && field.indexOf(']') > 0) {
                return entry.getValue() + field.substring(field.indexOf(']') + 1);
            }
            if (field.startsWith(key + ".")) {
                return entry.getValue() + field.substring(key.length());
            }
        }
        return field;
    }

    private static String tag(String key) {
        return "tag " + key;
    }

    private static String parameter(String name) {
        return "stack parameter " + name;
    }
}
