package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;

/**
 * One state's JSON object, read field by field, with errors that name the state and the field. Nested
 * fields are named by path as AWS names them: {@code Retry[0]/IntervalSeconds}, {@code Arguments/Payload}.
 */
final class StateFields {
    private final String stateName;
    private final JsonNode state;
    private final Set<String> stateNames;
    private final String type;

    /** @param stateNames every state of the definition, to check transitions against */
    StateFields(String stateName, JsonNode state, Set<String> stateNames) {
        this.stateName = stateName;
        this.state = state;
        this.stateNames = stateNames;
        if (!state.isObject()) {
            throw invalid("a state must be a JSON object");
        }
        this.type = text(state, "Type", "");
    }

    String stateName() {
        return stateName;
    }

    String type() {
        return type;
    }

    /** Refuses any field of the state outside {@code allowed}. */
    void allowOnly(Set<String> allowed) {
        allowOnly(state, "", allowed);
    }

    /** Refuses any member of a nested object outside {@code allowed}; {@code path} ends in "/". */
    void allowOnly(JsonNode object, String path, Set<String> allowed) {
        object.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw unsupported("field \"" + path + name + "\" is not supported in a " + type + " state");
            }
        });
    }

    Optional<JsonNode> optional(String field) {
        return optional(state, field);
    }

    Optional<JsonNode> optional(JsonNode object, String member) {
        return Optional.ofNullable(object.get(member));
    }

    JsonNode required(String field) {
        return required(state, field, "");
    }

    JsonNode required(JsonNode object, String member, String path) {
        return optional(object, member).orElseThrow(() ->
                invalid("field \"" + path + member + "\" is required in a " + type + " state"));
    }

    String text(String field) {
        return text(state, field, "");
    }

    String text(JsonNode object, String member, String path) {
        JsonNode value = required(object, member, path);
        if (!value.isTextual()) {
            throw invalid("field \"" + path + member + "\" must be a string, got " + value);
        }
        return value.textValue();
    }

    /** A member holding a whole number in [min, max], or {@code fallback} when absent. */
    long wholeNumber(JsonNode object, String member, String path, long min, long max, long fallback) {
        return optionalWholeNumber(object, member, path, min, max).orElse(fallback);
    }

    Optional<Long> optionalWholeNumber(JsonNode object, String member, String path, long min, long max) {
        return optional(object, member).map(value -> {
            if (!value.isIntegralNumber() || !value.canConvertToLong()
                    || value.longValue() < min || value.longValue() > max) {
                throw invalid("field \"" + path + member + "\" must be a whole number from " + min + " to " + max
                        + ", got " + value);
            }
            return value.longValue();
        });
    }

    Optional<Template> template(String field) {
        return template(state, field, "");
    }

    Optional<Template> template(JsonNode object, String member, String path) {
        return optional(object, member).map(value -> Template.compile(value, path + member, stateName));
    }

    <T> Optional<TypedField<T>> typed(String field, TypedField.Kind<T> kind) {
        return typed(state, field, "", kind);
    }

    <T> Optional<TypedField<T>> typed(JsonNode object, String member, String path, TypedField.Kind<T> kind) {
        return optional(object, member)
                .map(value -> TypedField.compile(value, path + member, stateName, kind));
    }

    Assignments assign(JsonNode object, String path) {
        return optional(object, "Assign")
                .map(value -> Assignments.compile(value, path + "Assign", stateName))
                .orElse(Assignments.NONE);
    }

    Assignments assign() {
        return assign(state, "");
    }

    String target(String field) {
        return target(state, field, "");
    }

    /** A member naming the state to go to next; it must exist. */
    String target(JsonNode object, String member, String path) {
        String target = text(object, member, path);
        if (!stateNames.contains(target)) {
            throw invalid("field \"" + path + member + "\" names state \"" + target + "\", which does not exist");
        }
        return target;
    }

    /** Next, or empty for End: true; a Task, Pass or Wait state has exactly one of the two. */
    Optional<String> nextOrEnd() {
        Optional<JsonNode> end = optional("End");
        boolean hasNext = optional("Next").isPresent();
        if (hasNext && end.isPresent()) {
            throw invalid("a state cannot have both \"Next\" and \"End\"");
        }
        if (end.isPresent()) {
            if (!end.get().isBoolean() || !end.get().booleanValue()) {
                throw invalid("field \"End\" must be true; use \"Next\" to continue, got " + end.get());
            }
            return Optional.empty();
        }
        if (!hasNext) {
            throw invalid("a " + type + " state needs \"Next\" or \"End\": true");
        }
        return Optional.of(target("Next"));
    }

    InvalidDefinitionException invalid(String problem) {
        return new InvalidDefinitionException("State \"" + stateName + "\": " + problem);
    }

    UnsupportedDefinitionException unsupported(String problem) {
        return new UnsupportedDefinitionException("State \"" + stateName + "\": " + problem);
    }
}
