package dev.rollout.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An EventBridge event pattern, matched as EventBridge matches it, for the part of the pattern language this
 * project's rules use: nested fields, lists of exact values, {@code prefix}, {@code anything-but} (a value, a list of
 * values, or a prefix) and {@code exists}. A pattern with any other operator is refused when it is read, naming the
 * operator, rather than matched approximately.
 *
 * <p>Every field a pattern names must match; a list matches when any of its entries does, and an event field that
 * holds an array matches when any element does. Content filters other than {@code "exists": false} match only fields
 * that are present.
 */
public final class EventPattern {

    private static final Set<String> OPERATORS = Set.of("prefix", "anything-but", "exists");
    private static final Set<String> UNSUPPORTED = new TreeSet<>(Set.of("numeric", "cidr", "suffix",
            "equals-ignore-case", "wildcard", "$or"));

    private final JsonNode pattern;

    private EventPattern(JsonNode pattern) {
        this.pattern = pattern;
    }

    /**
     * Reads {@code pattern}, as PutRule would.
     *
     * @throws IllegalArgumentException naming each part of the pattern that is malformed or uses an operator this
     *     matcher does not implement
     */
    public static EventPattern of(JsonNode pattern) {
        List<String> problems = new ArrayList<>();
        if (pattern == null || !pattern.isObject() || pattern.isEmpty()) {
            problems.add("an event pattern is a non-empty JSON object");
        } else {
            check(pattern, "", problems);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid event pattern: " + String.join("; ", problems));
        }
        return new EventPattern(pattern.deepCopy());
    }

    public boolean matches(JsonNode event) {
        return matchesObject(pattern, event);
    }

    private static void check(JsonNode object, String path, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode value = field.getValue();
            if (field.getKey().startsWith("$")) {
                problems.add(at + ": operator " + field.getKey() + " is not supported by the local matcher");
            } else if (value.isObject() && !value.isEmpty()) {
                check(value, at, problems);
            } else if (value.isArray() && !value.isEmpty()) {
                for (JsonNode entry : value) {
                    checkEntry(entry, at, problems);
                }
            } else {
                problems.add(at + ": expected a non-empty list of values or a nested pattern, got " + value);
            }
        }
    }

    private static void checkEntry(JsonNode entry, String at, List<String> problems) {
        if (entry.isValueNode()) {
            return;
        }
        if (!entry.isObject() || entry.size() != 1) {
            problems.add(at + ": expected a value or an object with one operator, got " + entry);
            return;
        }
        String operator = entry.fieldNames().next();
        JsonNode operand = entry.get(operator);
        if (!OPERATORS.contains(operator)) {
            problems.add(at + ": operator " + operator + (UNSUPPORTED.contains(operator)
                    ? " is not supported by the local matcher" : " is not an EventBridge operator"));
        } else if (operator.equals("exists") && !operand.isBoolean()) {
            problems.add(at + ": exists takes true or false, got " + operand);
        } else if (operator.equals("prefix") && !operand.isTextual()) {
            problems.add(at + ": prefix takes a string, got " + operand);
        } else if (operator.equals("anything-but") && !anythingButOperand(operand)) {
            problems.add(at + ": anything-but takes a value, a list of values or {\"prefix\": ...}, got " + operand);
        }
    }

    private static boolean anythingButOperand(JsonNode operand) {
        if (operand.isTextual() || operand.isNumber()) {
            return true;
        }
        if (operand.isArray() && !operand.isEmpty()) {
            for (JsonNode value : operand) {
                if (!value.isTextual() && !value.isNumber()) {
                    return false;
                }
            }
            return true;
        }
        return operand.isObject() && operand.size() == 1 && operand.path("prefix").isTextual();
    }

    private static boolean matchesObject(JsonNode pattern, JsonNode event) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = pattern.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = event != null && event.isObject() && event.has(field.getKey())
                    ? event.get(field.getKey()) : MissingNode.getInstance();
            boolean matched = field.getValue().isObject()
                    ? matchesObject(field.getValue(), value)
                    : matchesAny(field.getValue(), value);
            if (!matched) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesAny(JsonNode entries, JsonNode value) {
        for (JsonNode entry : entries) {
            if (matchesEntry(entry, value)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesEntry(JsonNode entry, JsonNode value) {
        if (entry.isObject() && entry.has("exists")) {
            boolean present = !value.isMissingNode() && !value.isObject();
            return entry.get("exists").asBoolean() == present;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (matchesEntry(entry, element)) {
                    return true;
                }
            }
            return false;
        }
        if (value.isMissingNode() || value.isContainerNode()) {
            return false;
        }
        if (entry.isValueNode()) {
            return same(entry, value);
        }
        if (entry.has("prefix")) {
            return value.isTextual() && value.asText().startsWith(entry.get("prefix").asText());
        }
        JsonNode excluded = entry.get("anything-but");
        if (excluded.isObject()) {
            return value.isTextual() && !value.asText().startsWith(excluded.get("prefix").asText());
        }
        if (excluded.isArray()) {
            for (JsonNode one : excluded) {
                if (same(one, value)) {
                    return false;
                }
            }
            return true;
        }
        return !same(excluded, value);
    }

    /** Strings match strings, numbers match numbers by value, and null, true and false match themselves. */
    private static boolean same(JsonNode expected, JsonNode value) {
        if (expected.isNumber() && value.isNumber()) {
            return expected.decimalValue().compareTo(value.decimalValue()) == 0;
        }
        return expected.getNodeType() == value.getNodeType() && expected.asText().equals(value.asText());
    }
}
