package dev.rollout.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What Prepare asks AWS about an input: the target's owner (a function, a REST API, a hosted zone), the target itself
 * (an alias, a stage, a weighted record set to move from), the side to roll out (a version, a deployment, a weighted
 * record set to move to), the watched alarms and the hook functions. Each part is
 * present only when it is well-formed, so that a refusal lists the account's problems together with every other
 * problem of the input, while nothing malformed is ever sent to AWS.
 *
 * @param kind          what kind of target the input names
 * @param owner         the function of an alias, the REST API of a stage, the hosted zone of weighted records (named
 *                      only with a whole target: Route 53 is asked about a zone through the record's sets)
 * @param target        the target, when its owner and its own name are both well-formed
 * @param to            the version, deployment or record set to roll out
 * @param alarms        the well-formed watched alarm names, each at its first place in the input's list
 * @param hooks         the well-formed hook functions, by moment
 * @param splitsTraffic whether the plan moves traffic in weighted steps; empty when the strategy is not valid
 */
public record Lookups(Kind kind, Optional<String> owner, Optional<Target> target, Optional<String> to,
                      Map<Integer, String> alarms, Map<Hook.Moment, String> hooks, Optional<Boolean> splitsTraffic) {
    /** The kinds of target an input can name, each with its own owner, name and side. */
    public enum Kind { LAMBDA_ALIAS, STAGE_CANARY, ROUTE53_WEIGHTED }

    public Lookups {
        alarms = Collections.unmodifiableMap(new LinkedHashMap<>(alarms));
        hooks = hooks.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(hooks));
    }

    /** Everything a valid request names. */
    public static Lookups of(RolloutRequest request) {
        Map<Integer, String> alarms = new LinkedHashMap<>();
        for (int i = 0; i < request.alarms().size(); i++) {
            alarms.put(i, request.alarms().get(i));
        }
        Target target = request.target();
        Kind kind = target instanceof Target.StageCanary ? Kind.STAGE_CANARY
                : target instanceof Target.Route53Weighted ? Kind.ROUTE53_WEIGHTED : Kind.LAMBDA_ALIAS;
        String owner = target instanceof Target.StageCanary stage ? stage.restApiId()
                : target instanceof Target.Route53Weighted records ? records.hostedZoneId()
                : ((Target.LambdaAlias) target).functionName();
        // A deployment Prepare is still to create is not looked up.
        Optional<String> to = request.sideToCreate() ? Optional.empty() : Optional.of(request.targetVersion());
        return new Lookups(kind, Optional.of(owner), Optional.of(target), to, alarms, hooks(request.hooks()),
                Optional.of(!request.plan().weights().isEmpty()));
    }

    /**
     * The well-formed parts of an input (completed from tags and defaults) that has problems elsewhere; each part
     * passes the same checks the parser applies, and nothing is taken from a document that is not an object.
     */
    public static Lookups readable(JsonNode input) {
        if (input == null || !input.isObject()) {
            return new Lookups(Kind.LAMBDA_ALIAS, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                    Map.of(), Optional.empty());
        }
        Problems ignored = new Problems();
        Map<Integer, String> alarms = alarms(input.get("alarms"));
        Optional<Boolean> splits = Strategies.plan(input.get("strategy"), "strategy",
                        RolloutRequest.DEFAULT_APPROVAL_TIMEOUT, OnTimeout.ROLLBACK, ignored)
                .map(plan -> !plan.weights().isEmpty());
        if (input.has("target") && TargetInput.ROUTE53_WEIGHTED.equals(input.get("target").path("type").asText(null))) {
            Optional<Target.Route53Weighted> records = TargetInput.readableRecords(input.get("target"));
            return new Lookups(Kind.ROUTE53_WEIGHTED, records.map(Target.Route53Weighted::hostedZoneId),
                    records.map(Target.class::cast), records.map(Target.Route53Weighted::to), alarms, Map.of(), splits);
        }
        if (input.has("target")) {
            TargetInput.Readable stage = TargetInput.readable(input.get("target"));
            return new Lookups(Kind.STAGE_CANARY, stage.restApiId(), stage.target(), stage.deploymentId(), alarms,
                    Map.of(), splits);
        }
        Optional<String> function = text(input.get("functionName")).filter(RolloutRequest::isFunctionReference);
        Optional<String> alias = input.has("alias")
                ? text(input.get("alias")).filter(RolloutRequest::isAliasName)
                : Optional.of(RolloutRequest.DEFAULT_ALIAS);
        Optional<String> version = Optional.ofNullable(input.get("targetVersion"))
                .filter(node -> node.isTextual() || node.isIntegralNumber())
                .map(JsonNode::asText)
                .filter(RolloutRequest::isVersionNumber);
        Optional<Target> target = function.flatMap(name -> alias.map(a -> new Target.LambdaAlias(name, a)));
        return new Lookups(Kind.LAMBDA_ALIAS, function, target, version, alarms,
                hooks(Hooks.parse(input.get("hooks"), ignored)), splits);
    }

    private static Map<Hook.Moment, String> hooks(Hooks hooks) {
        Map<Hook.Moment, String> functions = new EnumMap<>(Hook.Moment.class);
        for (Hook.Moment moment : Hook.Moment.values()) {
            hooks.at(moment).ifPresent(hook -> functions.put(moment, hook.function()));
        }
        return functions;
    }

    private static Optional<String> text(JsonNode node) {
        return node != null && node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }

    private static Map<Integer, String> alarms(JsonNode node) {
        Map<Integer, String> alarms = new LinkedHashMap<>();
        // A list longer than DescribeAlarms accepts is refused as a whole; none of it is looked up.
        if (node == null || !node.isArray() || node.size() > RolloutRequest.MAX_ALARMS) {
            return alarms;
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode name = node.get(i);
            if (name.isTextual() && !name.asText().isBlank() && name.asText().length() <= 255
                    && !alarms.containsValue(name.asText())) {
                alarms.put(i, name.asText());
            }
        }
        return alarms;
    }
}
