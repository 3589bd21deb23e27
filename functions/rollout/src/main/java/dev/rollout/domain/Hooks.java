package dev.rollout.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rollout's hooks: a pre-traffic hook runs before the first shift, a post-traffic hook after the alias is fully on
 * the new version and before the rollout ends. Either may be absent (null), and is then left out of the JSON the
 * state machine carries.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hooks(Hook preTraffic, Hook postTraffic) {
    public static final Hooks NONE = new Hooks(null, null);

    private static final Set<String> FIELDS = Set.of("preTraffic", "postTraffic");
    private static final Set<String> HOOK_FIELDS = Set.of("function", "timeout", "callback");
    /** What may follow a function name or ARN after a colon: a version, an alias or $LATEST. */
    private static final Pattern QUALIFIER = Pattern.compile("(\\$LATEST|[a-zA-Z0-9_-]{1,128})");

    public Optional<Hook> at(Hook.Moment moment) {
        return Optional.ofNullable(moment == Hook.Moment.PRE_TRAFFIC ? preTraffic : postTraffic);
    }

    /**
     * Parses the input's {@code hooks}: each of {@code preTraffic} and {@code postTraffic} is a function name, or
     * {@code {"function": ..., "timeout": "5m", "callback": true}}. Every problem is recorded, naming its field.
     */
    static Hooks parse(JsonNode node, Problems problems) {
        if (node == null || node.isNull()) {
            return NONE;
        }
        if (!node.isObject()) {
            problems.add("hooks", "expected an object such as {\"preTraffic\": \"my-smoke-test\"}, got "
                    + JsonFields.describe(node));
            return NONE;
        }
        JsonFields.refuseUnknown(node, "hooks", FIELDS, problems);
        return new Hooks(hook(node.get("preTraffic"), "hooks.preTraffic", problems).orElse(null),
                hook(node.get("postTraffic"), "hooks.postTraffic", problems).orElse(null));
    }

    private static Optional<Hook> hook(JsonNode node, String field, Problems problems) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (node.isTextual()) {
            return function(node, field, problems).map(name -> new Hook(name, Hook.DEFAULT_TIMEOUT.toSeconds(), false));
        }
        if (!node.isObject()) {
            problems.add(field, "expected a function name or an object such as {\"function\": \"my-smoke-test\","
                    + " \"timeout\": \"5m\"}, got " + JsonFields.describe(node));
            return Optional.empty();
        }
        JsonFields.refuseUnknown(node, field, HOOK_FIELDS, problems);
        Optional<String> function = node.hasNonNull("function")
                ? function(node.get("function"), field + ".function", problems)
                : Optional.empty();
        if (!node.hasNonNull("function")) {
            problems.add(field + ".function", "is required: the name of the hook function");
        }
        boolean callback = false;
        if (node.has("callback")) {
            if (node.get("callback").isBoolean()) {
                callback = node.get("callback").asBoolean();
            } else {
                problems.add(field + ".callback", "expected true or false, got " + JsonFields.describe(node.get("callback")));
            }
        }
        Optional<Duration> timeout = node.has("timeout")
                ? JsonFields.duration(node.get("timeout"), field + ".timeout", true, problems)
                : Optional.of(Hook.DEFAULT_TIMEOUT);
        if (timeout.isPresent() && !callback && timeout.get().compareTo(Hook.MAX_RETURNING_TIMEOUT) > 0) {
            problems.add(field + ".timeout", "is " + Durations.format(timeout.get()) + ", but a hook that returns its"
                    + " answer runs at most 15m (Lambda's limit); set \"callback\": true to answer later through the"
                    + " task token");
            return Optional.empty();
        }
        if (function.isEmpty() || timeout.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Hook(function.get(), timeout.get().toSeconds(), callback));
    }

    private static Optional<String> function(JsonNode node, String field, Problems problems) {
        String text = node.isTextual() ? node.asText().trim() : "";
        int colon = text.lastIndexOf(':');
        boolean qualifiedName = colon > 0 && !text.startsWith("arn:")
                && RolloutRequest.isFunctionReference(text.substring(0, colon))
                && QUALIFIER.matcher(text.substring(colon + 1)).matches();
        boolean qualifiedArn = text.startsWith("arn:") && colon > 0
                && RolloutRequest.isFunctionReference(text.substring(0, colon))
                && QUALIFIER.matcher(text.substring(colon + 1)).matches();
        if (RolloutRequest.isFunctionReference(text) || qualifiedName || qualifiedArn) {
            return Optional.of(text);
        }
        problems.add(field, "expected a Lambda function name or ARN, optionally with :version or :alias, got "
                + JsonFields.describe(node));
        return Optional.empty();
    }
}
