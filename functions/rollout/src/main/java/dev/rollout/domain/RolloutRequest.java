package dev.rollout.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rollout input, checked field by field: what to roll out, where, and how.
 *
 * <p>{@link #parse} reports every problem at once, naming each field, so a bad start from the
 * console fails with the whole list and before any traffic moves.
 *
 * @param target         what the rollout moves traffic on
 * @param targetVersion  the side traffic moves to: a version of the function behind a Lambda alias, or the
 *                       deployment a stage canary serves
 * @param comment        free text carried into notifications (a ticket, a change reason)
 * @param metrics        how the new side's own metrics are judged against the old side's (a canary's: its stage's)
 * @param minInvocations the fewest invocations of the new version (requests to a stage's canary) each health check
 *                       must have seen; 0 for none
 * @param hooks          the functions that check the new version before the first shift and after promotion
 * @param currentVersion the version the alias must serve for the rollout to start (an AppSpec's CurrentVersion),
 *                       or null when any version will do
 */
public record RolloutRequest(Target target, String targetVersion, Plan plan, List<String> alarms, String comment,
                             MetricRules metrics, long minInvocations, Hooks hooks, String currentVersion) {
    public static final String DEFAULT_ALIAS = "live";
    public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofHours(24);
    /** DescribeAlarms accepts at most 100 names per call. */
    public static final int MAX_ALARMS = 100;
    /**
     * The comment travels in every task's payload: bounded so that no input can push a payload past Step Functions'
     * 256 KiB (States.DataLimitExceeded, which no Catch handles).
     */
    public static final int MAX_COMMENT = 1_000;

    private static final Set<String> FIELDS =
            Set.of("functionName", "alias", "targetVersion", "target", "strategy", "alarms", "approval", "finalBake",
                    "metrics", "comment", "minInvocations", "hooks", "currentVersion");
    /** Far more than any window can serve; more is a mistake. */
    public static final long MAX_MIN_INVOCATIONS = 1_000_000_000L;
    private static final Set<String> APPROVAL_FIELDS = Set.of("beforePromote", "beforeStart", "timeout", "onTimeout");
    private static final Pattern FUNCTION_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    private static final Pattern FUNCTION_ARN =
            Pattern.compile("arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[a-zA-Z0-9_-]{1,64}");
    private static final Pattern ALIAS = Pattern.compile("(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,9}");

    public RolloutRequest {
        alarms = List.copyOf(alarms);
    }

    /**
     * True for a stage canary whose input names no deployment: Prepare creates the canary's deployment from the
     * stage's API once the input is admitted, and that deployment's id is the side rolled out.
     */
    public boolean sideToCreate() {
        return target instanceof Target.StageCanary && targetVersion.equals(TargetInput.TO_BE_CREATED);
    }

    public static RolloutRequest parse(JsonNode input) {
        Problems problems = new Problems();
        Optional<RolloutRequest> request = parse(input, problems);
        problems.throwIfAny();
        return request.orElseThrow();
    }

    /** Parses {@code input}, recording every problem; empty when there was any. */
    public static Optional<RolloutRequest> parse(JsonNode input, Problems problems) {
        if (input == null || !input.isObject()) {
            problems.add("input", "expected a JSON object with functionName, targetVersion and strategy, got "
                    + JsonFields.describe(input));
            return Optional.empty();
        }
        int before = problems.size();
        JsonFields.refuseUnknown(input, "", FIELDS, problems);

        Optional<TargetInput.Parsed> target = input.has("target")
                ? TargetInput.parse(input, problems)
                : lambdaAlias(input, problems);

        ApprovalSettings approval = approval(input.get("approval"), problems);
        Optional<Plan> plan = Strategies.plan(input.get("strategy"), "strategy", approval.timeout(),
                approval.onTimeout(), problems);
        if (plan.isPresent() && (approval.beforePromote() || approval.beforeStart())) {
            Step.Approval gate = new Step.Approval(approval.timeout().getSeconds(), approval.onTimeout());
            Plan gated = plan.get();
            if (approval.beforeStart()) {
                gated = gated.withApprovalBeforeStart(gate);
            }
            if (approval.beforePromote()) {
                gated = gated.withApprovalBeforePromotion(gate);
            }
            plan = Optional.of(gated);
            int withoutGate = problems.size();
            Strategies.checkBudget(plan.get(), "approval.timeout", problems);
            if (problems.size() != withoutGate) {
                plan = Optional.empty();
            }
        }
        if (plan.isPresent() && input.has("finalBake")) {
            Optional<Duration> finalBake = JsonFields.duration(input.get("finalBake"), "finalBake", false, problems);
            plan = finalBake.map(plan.get()::withFinalBake);
            if (plan.isPresent() && plan.get().longestDuration().compareTo(Durations.STEP_FUNCTIONS_MAX) > 0) {
                problems.add("finalBake", "makes the rollout take up to " + Durations.format(plan.get().longestDuration())
                        + " in total, longer than the 365d a Standard Step Functions execution may run");
                plan = Optional.empty();
            }
        }

        List<String> alarms = alarms(input.get("alarms"), problems);
        MetricRules metrics = MetricRules.parse(input.get("metrics"), "metrics", problems);
        String comment = input.has("comment")
                ? JsonFields.text(input, "comment", "comment", false, problems).orElse("")
                : "";
        if (comment.length() > MAX_COMMENT) {
            problems.add("comment", "holds " + comment.length() + " characters; at most " + MAX_COMMENT
                    + " are allowed (it travels with every step of the rollout)");
        }

        long minInvocations = 0;
        if (input.hasNonNull("minInvocations")) {
            minInvocations = JsonFields.integer(input, "minInvocations", "", 0, MAX_MIN_INVOCATIONS,
                    "a whole number of invocations from 0 to " + MAX_MIN_INVOCATIONS, problems).orElse(0L);
        }
        Hooks hooks = Hooks.parse(input.get("hooks"), problems);

        boolean otherKind = target.filter(parsed -> !(parsed.target() instanceof Target.LambdaAlias)).isPresent();
        boolean records = target.filter(parsed -> parsed.target() instanceof Target.Route53Weighted).isPresent();
        // How the refusals below name a target that is not a Lambda alias.
        String kind = records ? "a Route 53 record" : "a stage canary";
        // A Lambda version's invocations and a stage canary's requests are counted apart from the old side's; Route 53
        // counts DNS queries per hosted zone only (and resolvers' caches answer many), so no count is the new side's.
        if (minInvocations > 0 && records) {
            problems.add("minInvocations", "counts what the new side served (invocations of a Lambda version,"
                    + " requests to a stage's canary), and Route 53 counts queries per hosted zone, not per weighted"
                    + " record set; leave minInvocations out and watch each record set with its health check and with"
                    + " alarms on its endpoint's own metrics");
        }
        // Hooks are told a function, alias and versions, and currentVersion names a version: both speak of a Lambda
        // alias, so another kind of target refuses them rather than half-applying them.
        if (otherKind && !hooks.equals(Hooks.NONE)) {
            problems.add("hooks", "apply to a Lambda alias rollout only (a hook is told the function, alias and"
                    + " versions); leave hooks out for " + kind + ", or test the canary from a pipeline step");
        }
        String current = null;
        if (otherKind && input.hasNonNull("currentVersion")) {
            problems.add("currentVersion", "names the version a Lambda alias must serve; " + kind + " has no"
                    + " versions, so leave currentVersion out");
        } else if (input.hasNonNull("currentVersion")) {
            current = version(input.get("currentVersion"), "currentVersion", problems);
        }
        if (problems.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new RolloutRequest(target.orElseThrow().target(), target.orElseThrow().to(),
                plan.orElseThrow(), alarms, comment, metrics, minInvocations, hooks, current));
    }

    /** The input's own fields name a Lambda alias: functionName, alias (default live) and targetVersion. */
    private static Optional<TargetInput.Parsed> lambdaAlias(JsonNode input, Problems problems) {
        int before = problems.size();
        Optional<String> function = JsonFields.text(input, "functionName", "functionName", true, problems);
        function.filter(name -> !isFunctionReference(name))
                .ifPresent(name -> problems.add("functionName", "expected a function name (letters, digits, - and _,"
                        + " at most 64) or an unqualified function ARN, got \"" + name + "\""));

        String alias = DEFAULT_ALIAS;
        if (input.has("alias")) {
            alias = JsonFields.text(input, "alias", "alias", true, problems).orElse(DEFAULT_ALIAS);
            if (!isAliasName(alias)) {
                problems.add("alias", "expected an alias name (letters, digits, - and _, not all digits), got \""
                        + alias + "\"");
            }
        }

        String version = version(input.get("targetVersion"), "targetVersion", problems);

        if (problems.size() != before) {
            return Optional.empty();
        }
        return Optional.of(new TargetInput.Parsed(new Target.LambdaAlias(function.orElseThrow(), alias), version));
    }

    /** A function name or unqualified ARN, as {@code functionName} accepts it. */
    static boolean isFunctionReference(String text) {
        return FUNCTION_NAME.matcher(text).matches() || FUNCTION_ARN.matcher(text).matches();
    }

    /** A name Lambda accepts for an alias. */
    static boolean isAliasName(String text) {
        return ALIAS.matcher(text).matches();
    }

    /** A published version number, which alone can receive weighted alias traffic. */
    static boolean isVersionNumber(String text) {
        return VERSION.matcher(text).matches();
    }

    private static String version(JsonNode node, String field, Problems problems) {
        String expectation = "expected a published version number such as \"7\"";
        if (node == null || node.isNull()) {
            problems.add(field, "is required: " + expectation);
            return null;
        }
        String text = node.isIntegralNumber() ? node.asText() : node.isTextual() ? node.asText() : null;
        if ("$LATEST".equals(text)) {
            problems.add(field, expectation + "; $LATEST cannot receive weighted alias traffic");
            return null;
        }
        if (text == null || !isVersionNumber(text)) {
            problems.add(field, expectation + ", got " + JsonFields.describe(node));
            return null;
        }
        return text;
    }

    private static List<String> alarms(JsonNode node, Problems problems) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            problems.add("alarms", "expected a list of CloudWatch alarm names, got " + JsonFields.describe(node));
            return List.of();
        }
        if (node.size() > MAX_ALARMS) {
            problems.add("alarms", "holds " + node.size() + " names; at most " + MAX_ALARMS + " are allowed");
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode name = node.get(i);
            if (!name.isTextual() || name.asText().isBlank() || name.asText().length() > 255) {
                problems.add("alarms[" + i + "]", "expected an alarm name (1 to 255 characters), got "
                        + JsonFields.describe(name));
            } else if (!names.add(name.asText())) {
                problems.add("alarms[" + i + "]", "\"" + name.asText() + "\" is listed twice");
            }
        }
        return new ArrayList<>(names);
    }

    /**
     * @param beforePromote a gate after the plan's last step
     * @param beforeStart   a gate before its first: nothing moves until a person approves
     */
    private record ApprovalSettings(boolean beforePromote, boolean beforeStart, Duration timeout, OnTimeout onTimeout) {
    }

    private static ApprovalSettings approval(JsonNode node, Problems problems) {
        ApprovalSettings defaults = new ApprovalSettings(false, false, DEFAULT_APPROVAL_TIMEOUT, OnTimeout.ROLLBACK);
        if (node == null || node.isNull()) {
            return defaults;
        }
        if (!node.isObject()) {
            problems.add("approval", "expected an object such as {\"beforePromote\": true, \"timeout\": \"24h\"}, got "
                    + JsonFields.describe(node));
            return defaults;
        }
        JsonFields.refuseUnknown(node, "approval", APPROVAL_FIELDS, problems);
        // An approval object asks for approval before promotion unless it says where it wants one.
        boolean beforePromote = flag(node, "beforePromote", !node.has("beforeStart"), problems);
        boolean beforeStart = flag(node, "beforeStart", false, problems);
        Duration timeout = node.has("timeout")
                ? JsonFields.duration(node.get("timeout"), "approval.timeout", true, problems).orElse(DEFAULT_APPROVAL_TIMEOUT)
                : DEFAULT_APPROVAL_TIMEOUT;
        OnTimeout onTimeout = node.has("onTimeout")
                ? JsonFields.onTimeout(node.get("onTimeout"), "approval.onTimeout", problems).orElse(OnTimeout.ROLLBACK)
                : OnTimeout.ROLLBACK;
        return new ApprovalSettings(beforePromote, beforeStart, timeout, onTimeout);
    }

    private static boolean flag(JsonNode approval, String field, boolean absent, Problems problems) {
        JsonNode value = approval.get(field);
        if (value == null) {
            return absent;
        }
        if (!value.isBoolean()) {
            problems.add("approval." + field, "expected true or false, got " + JsonFields.describe(value));
            return absent;
        }
        return value.asBoolean();
    }
}
