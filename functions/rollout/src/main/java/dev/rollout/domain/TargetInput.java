package dev.rollout.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The input's {@code target} object: a target other than a Lambda alias, named by its {@code type}. (A Lambda alias
 * is named by the input's own {@code functionName}, {@code alias} and {@code targetVersion}, as before targets had
 * kinds, and cannot be combined with {@code target}.)
 *
 * <pre>{"target": {"type": "ApiGatewayCanary", "restApiId": "a1b2c3d4e5", "stage": "prod",
 *             "deploymentId": "x7y8z9", "stageVariableOverrides": {"lambdaAlias": "next"}}}
 * {"target": {"type": "Route53Weighted", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "recordName": "api.example.com",
 *             "recordType": "A", "from": "eu-west-1", "to": "us-east-1"}}</pre>
 *
 * <p>Without {@code deploymentId}, the request's side is {@link RolloutRequest#sideToCreate()}: Prepare deploys the
 * API as it is now (CreateDeployment without a stage, which moves no stage) and rolls that deployment out.
 */
final class TargetInput {
    static final String API_GATEWAY_CANARY = "ApiGatewayCanary";
    static final String ROUTE53_WEIGHTED = "Route53Weighted";
    static final List<String> TYPES = List.of(API_GATEWAY_CANARY, ROUTE53_WEIGHTED);
    /** The side of a stage canary whose input names no deployment: Prepare creates it once the input is admitted. */
    static final String TO_BE_CREATED = "";

    private static final Set<String> LAMBDA_FIELDS = Set.of("functionName", "alias", "targetVersion");
    private static final Set<String> CANARY_FIELDS =
            Set.of("type", "restApiId", "stage", "deploymentId", "stageVariableOverrides");
    /** API Gateway's generated ids: ten lower-case letters and digits for APIs, a few more or less for deployments. */
    private static final Pattern API_ID = Pattern.compile("[a-z0-9]{10}");
    private static final Pattern DEPLOYMENT_ID = Pattern.compile("[a-zA-Z0-9]{1,64}");
    private static final Pattern STAGE = Pattern.compile("[a-zA-Z0-9_-]{1,128}");
    private static final Pattern VARIABLE = Pattern.compile("[a-zA-Z0-9_]{1,64}");
    private static final Pattern VARIABLE_VALUE = Pattern.compile("[a-zA-Z0-9\\-._~:/?#&=,]{1,512}");
    private static final Set<String> WEIGHTED_FIELDS =
            Set.of("type", "hostedZoneId", "recordName", "recordType", "from", "to");
    /** A hosted zone id as Route 53 prints it without its "/hostedzone/" prefix. */
    private static final Pattern HOSTED_ZONE_ID = Pattern.compile("[A-Z0-9]{1,32}");
    /** One DNS label (a leading "*" label is a wildcard record); a name has at most 255 characters in all. */
    private static final Pattern RECORD_NAME =
            Pattern.compile("(\\*\\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
    /** The record types Route 53 accepts a weighted routing policy for. */
    private static final List<String> WEIGHTED_TYPES = List.of("A", "AAAA", "CAA", "CNAME", "HTTPS", "MX",
            "NAPTR", "NS", "PTR", "SPF", "SRV", "SSHFP", "SVCB", "TLSA", "TXT");
    private static final Pattern SET_IDENTIFIER = Pattern.compile("\\S(.{0,126}\\S)?");

    private TargetInput() {
    }

    /** A target and the side traffic moves to. */
    record Parsed(Target target, String to) {
    }

    /** The well-formed parts of a stage canary's {@code target}, for lookups in an input that has problems. */
    record Readable(Optional<String> restApiId, Optional<Target> target, Optional<String> deploymentId) {
    }

    /** What of {@code target} may be looked up: each id only when it matches what API Gateway accepts. */
    static Readable readable(JsonNode target) {
        if (target == null || !target.isObject()
                || !API_GATEWAY_CANARY.equals(target.path("type").asText(null))) {
            return new Readable(Optional.empty(), Optional.empty(), Optional.empty());
        }
        Problems ignored = new Problems();
        Optional<String> api = matching(target, "restApiId", API_ID, "", ignored);
        Optional<String> stage = matching(target, "stage", STAGE, "", ignored);
        Optional<String> deployment = matching(target, "deploymentId", DEPLOYMENT_ID, "", ignored);
        Map<String, String> overrides = overrides(target.get("stageVariableOverrides"), ignored);
        return new Readable(api, api.flatMap(id -> stage.map(name -> new Target.StageCanary(id, name, overrides))),
                deployment);
    }

    /**
     * The weighted records of {@code target}, for lookups in an input that has problems: only when every part matches
     * what Route 53 accepts, since the zone, the name and the type are read together (ListResourceRecordSets).
     */
    static Optional<Target.Route53Weighted> readableRecords(JsonNode target) {
        if (target == null || !target.isObject()) {
            return Optional.empty();
        }
        return weightedRecords(target, new Problems()).map(parsed -> (Target.Route53Weighted) parsed.target());
    }

    static Optional<Parsed> parse(JsonNode input, Problems problems) {
        int before = problems.size();
        for (String field : LAMBDA_FIELDS) {
            if (input.has(field)) {
                problems.add(field, "names a Lambda alias, which \"target\" replaces; give one or the other");
            }
        }
        JsonNode target = input.get("target");
        if (target == null || !target.isObject()) {
            problems.add("target", "expected an object with a \"type\" (one of " + String.join(", ", TYPES)
                    + "), got " + JsonFields.describe(target));
            return Optional.empty();
        }
        Optional<String> type = JsonFields.text(target, "type", "target.type", true, problems);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        if (!TYPES.contains(type.get())) {
            problems.add("target.type", "unknown target type \"" + type.get() + "\"; expected one of "
                    + String.join(", ", TYPES) + " (a Lambda alias is named by functionName and alias instead)");
            return Optional.empty();
        }
        Optional<Parsed> parsed = type.get().equals(API_GATEWAY_CANARY)
                ? stageCanary(target, problems)
                : weightedRecords(target, problems);
        return problems.size() == before ? parsed : Optional.empty();
    }

    private static Optional<Parsed> stageCanary(JsonNode target, Problems problems) {
        JsonFields.refuseUnknown(target, "target", CANARY_FIELDS, problems);
        Optional<String> api = matching(target, "restApiId", API_ID,
                "a REST API id such as \"a1b2c3d4e5\" (ten lower-case letters and digits)", problems);
        Optional<String> stage = matching(target, "stage", STAGE,
                "a stage name (letters, digits, - and _)", problems);
        // Without a deploymentId, Prepare creates the canary's deployment from the API as it is now.
        Optional<String> deployment = target.has("deploymentId")
                ? matching(target, "deploymentId", DEPLOYMENT_ID,
                        "the id of a deployment of the API (aws apigateway create-deployment prints it), or no"
                                + " deploymentId to deploy the API as it is now", problems)
                : Optional.of(TO_BE_CREATED);
        Map<String, String> overrides = overrides(target.get("stageVariableOverrides"), problems);
        if (api.isEmpty() || stage.isEmpty() || deployment.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(new Target.StageCanary(api.get(), stage.get(), overrides), deployment.get()));
    }

    private static Optional<Parsed> weightedRecords(JsonNode target, Problems problems) {
        JsonFields.refuseUnknown(target, "target", WEIGHTED_FIELDS, problems);
        Optional<String> zone = JsonFields.text(target, "hostedZoneId", "target.hostedZoneId", true, problems)
                .map(id -> id.startsWith("/hostedzone/") ? id.substring("/hostedzone/".length()) : id);
        if (zone.isPresent() && !HOSTED_ZONE_ID.matcher(zone.get()).matches()) {
            problems.add("target.hostedZoneId", "expected a hosted zone id such as \"Z0123456789ABCDEFGHIJ\""
                    + " (upper-case letters and digits), got \"" + zone.get() + "\"");
            zone = Optional.empty();
        }
        Optional<String> name = JsonFields.text(target, "recordName", "target.recordName", true, problems)
                .map(TargetInput::normalizedName);
        if (name.isPresent() && (name.get().length() > 253 || !RECORD_NAME.matcher(name.get()).matches())) {
            problems.add("target.recordName", "expected a DNS name such as \"api.example.com\" (labels of letters,"
                    + " digits, - and _, up to 63 characters each), got \"" + name.get() + "\"");
            name = Optional.empty();
        }
        Optional<String> type = JsonFields.text(target, "recordType", "target.recordType", true, problems);
        if (type.isPresent() && !WEIGHTED_TYPES.contains(type.get())) {
            problems.add("target.recordType", "expected a record type Route 53 routes by weight, one of "
                    + String.join(", ", WEIGHTED_TYPES) + ", got \"" + type.get() + "\"");
            type = Optional.empty();
        }
        Optional<String> from = setIdentifier(target, "from", problems);
        Optional<String> to = setIdentifier(target, "to", problems);
        if (from.isPresent() && to.isPresent() && from.get().equals(to.get())) {
            problems.add("target.to", "names the same record set as target.from (\"" + to.get() + "\"); a rollout"
                    + " moves queries from one weighted record set to another");
            to = Optional.empty();
        }
        if (zone.isEmpty() || name.isEmpty() || type.isEmpty() || from.isEmpty() || to.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(new Target.Route53Weighted(zone.get(), name.get(), type.get(), from.get(),
                to.get()), to.get()));
    }

    /** As Route 53 compares names: case-insensitively, with or without the final dot. */
    private static String normalizedName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    private static Optional<String> setIdentifier(JsonNode target, String name, Problems problems) {
        return matching(target, name, SET_IDENTIFIER, "the SetIdentifier of a weighted record set of the name and"
                + " type (1 to 128 characters, such as \"eu-west-1\")", problems);
    }

    private static Optional<String> matching(JsonNode target, String name, Pattern pattern, String expectation,
                                             Problems problems) {
        String field = "target." + name;
        Optional<String> text = JsonFields.text(target, name, field, true, problems);
        if (text.isPresent() && !pattern.matcher(text.get()).matches()) {
            problems.add(field, "expected " + expectation + ", got \"" + text.get() + "\"");
            return Optional.empty();
        }
        return text;
    }

    private static Map<String, String> overrides(JsonNode node, Problems problems) {
        String field = "target.stageVariableOverrides";
        Map<String, String> overrides = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return overrides;
        }
        if (!node.isObject()) {
            problems.add(field, "expected an object of stage variable names and values, such as"
                    + " {\"lambdaAlias\": \"next\"}, got " + JsonFields.describe(node));
            return overrides;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String at = field + "." + entry.getKey();
            if (!VARIABLE.matcher(entry.getKey()).matches()) {
                problems.add(at, "a stage variable name has only letters, digits and _");
            } else if (!entry.getValue().isTextual() || !VARIABLE_VALUE.matcher(entry.getValue().asText()).matches()) {
                problems.add(at, "expected a stage variable value (letters, digits and -._~:/?#&=,), got "
                        + JsonFields.describe(entry.getValue()));
            } else {
                overrides.put(entry.getKey(), entry.getValue().asText());
            }
        }
        return overrides;
    }
}
