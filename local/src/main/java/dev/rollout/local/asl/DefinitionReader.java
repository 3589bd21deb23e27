package dev.rollout.local.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a definition's top level and checks its structure; {@link StateReader} reads each state. */
final class DefinitionReader {
    private static final Set<String> TOP_LEVEL_FIELDS =
            Set.of("QueryLanguage", "StartAt", "States", "Comment", "TimeoutSeconds");

    private DefinitionReader() {
    }

    static StateMachineDefinition read(String json) {
        JsonNode definition = parse(json);
        definition.fieldNames().forEachRemaining(field -> {
            if (!TOP_LEVEL_FIELDS.contains(field)) {
                throw new UnsupportedDefinitionException(
                        "The top-level field \"" + field + "\" of the definition is not supported");
            }
        });
        Optional<String> queryLanguage = Optional.ofNullable(definition.get("QueryLanguage")).map(value ->
                text(value, "QueryLanguage"));
        queryLanguage.filter(language -> !language.equals(StateReader.JSONATA) && !language.equals(StateReader.JSONPATH))
                .ifPresent(language -> {
                    throw new InvalidDefinitionException("The definition's \"QueryLanguage\" must be \"JSONata\""
                            + " or \"JSONPath\", got \"" + language + "\"");
                });
        String startAt = text(required(definition, "StartAt"), "StartAt");
        JsonNode statesField = required(definition, "States");
        if (!statesField.isObject() || statesField.isEmpty()) {
            throw new InvalidDefinitionException("The definition's \"States\" must be a non-empty object of states");
        }
        Set<String> names = new LinkedHashSet<>();
        statesField.fieldNames().forEachRemaining(names::add);
        if (!names.contains(startAt)) {
            throw new InvalidDefinitionException("StartAt \"" + startAt + "\" names no state of the definition");
        }
        Map<String, State> states = new LinkedHashMap<>();
        statesField.fields().forEachRemaining(state -> states.put(state.getKey(),
                StateReader.read(state.getKey(), state.getValue(), queryLanguage, names)));
        requireAllReachable(startAt, states);
        return new StateMachineDefinition(startAt, states, timeout(definition));
    }

    private static JsonNode parse(String json) {
        try {
            JsonNode definition = Json.MAPPER.readTree(json);
            if (definition == null || !definition.isObject()) {
                throw new InvalidDefinitionException("The definition must be a JSON object");
            }
            return definition;
        } catch (JsonProcessingException e) {
            throw new InvalidDefinitionException("The definition is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonNode required(JsonNode definition, String field) {
        JsonNode value = definition.get(field);
        if (value == null) {
            throw new InvalidDefinitionException("The definition needs the top-level field \"" + field + "\"");
        }
        return value;
    }

    private static String text(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw new InvalidDefinitionException("The definition's \"" + field + "\" must be a string, got " + value);
        }
        return value.textValue();
    }

    private static Optional<Duration> timeout(JsonNode definition) {
        return Optional.ofNullable(definition.get("TimeoutSeconds")).map(value -> {
            if (!value.isIntegralNumber() || value.longValue() < 1 || value.longValue() > TypedField.MAX_SECONDS) {
                throw new InvalidDefinitionException("The definition's \"TimeoutSeconds\" must be a whole number from 1 to "
                        + TypedField.MAX_SECONDS + ", got " + value);
            }
            return Duration.ofSeconds(value.longValue());
        });
    }

    /** As in AWS, a state nothing leads to is a mistake in the definition, not dead weight. */
    private static void requireAllReachable(String startAt, Map<String, State> states) {
        Set<String> reached = new HashSet<>();
        Deque<String> toVisit = new ArrayDeque<>();
        toVisit.add(startAt);
        while (!toVisit.isEmpty()) {
            String name = toVisit.pop();
            if (reached.add(name)) {
                toVisit.addAll(states.get(name).successors());
            }
        }
        states.keySet().stream().filter(name -> !reached.contains(name)).findFirst().ifPresent(name -> {
            throw new InvalidDefinitionException(
                    "State \"" + name + "\" cannot be reached from StartAt \"" + startAt + "\"");
        });
    }
}
