package dev.rollout.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What Prepare asks AWS about an input: the function, its alias, the target version and the watched alarms, each
 * present only when it is well-formed, so that existence problems are reported together with every other problem
 * of the input while nothing malformed is ever sent to AWS.
 *
 * @param alarms        the well-formed watched alarm names, each at its first place in the input's list
 * @param splitsTraffic whether the plan moves traffic in weighted steps; empty when the strategy is not valid
 */
public record Lookups(Optional<String> functionName, Optional<String> alias, Optional<String> targetVersion,
                      Map<Integer, String> alarms, Optional<Boolean> splitsTraffic) {
    public Lookups {
        alarms = Collections.unmodifiableMap(new LinkedHashMap<>(alarms));
    }

    /** Everything a valid request names. */
    public static Lookups of(RolloutRequest request) {
        Map<Integer, String> alarms = new LinkedHashMap<>();
        for (int i = 0; i < request.alarms().size(); i++) {
            alarms.put(i, request.alarms().get(i));
        }
        return new Lookups(Optional.of(request.functionName()), Optional.of(request.alias()),
                Optional.of(request.targetVersion()), alarms, Optional.of(!request.plan().weights().isEmpty()));
    }

    /** The well-formed parts of an input that has problems elsewhere; nothing from a document that is not an object. */
    public static Lookups readable(JsonNode input) {
        if (input == null || !input.isObject()) {
            return new Lookups(Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Optional.empty());
        }
        Optional<String> function = text(input.get("functionName")).filter(RolloutRequest::isFunctionReference);
        Optional<String> alias = input.hasNonNull("alias")
                ? text(input.get("alias")).filter(RolloutRequest::isAliasName)
                : Optional.of(RolloutRequest.DEFAULT_ALIAS);
        JsonNode target = input.get("targetVersion");
        Optional<String> version = Optional.ofNullable(target)
                .filter(node -> node.isTextual() || node.isIntegralNumber())
                .map(JsonNode::asText)
                .filter(RolloutRequest::isVersionNumber);
        return new Lookups(function, alias, version, alarms(input.get("alarms")), Optional.empty());
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
