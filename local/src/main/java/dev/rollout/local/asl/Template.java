package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A field's JSON value in which every string that is exactly {@code "{% ... %}"} is a JSONata expression, at
 * any depth of objects and arrays: Arguments, Output, Assign.
 */
final class Template {

    private interface Part {
        JsonNode evaluate(EvaluationScope scope);
    }

    private final Part root;

    private Template(Part root) {
        this.root = root;
    }

    static Template compile(JsonNode value, String field, String stateName) {
        return new Template(part(value, field, stateName));
    }

    /**
     * A tree of its own on every call, except that a value read by a plain path ({@code $rollout}) may be the node
     * it was read from: the executor never changes a tree once built, and task functions must not either.
     */
    JsonNode evaluate(EvaluationScope scope) {
        return root.evaluate(scope);
    }

    private static Part part(JsonNode value, String field, String stateName) {
        if (value.isTextual() && Expression.isExpression(value.textValue())) {
            return Expression.compile(value.textValue(), field, stateName)::evaluate;
        }
        if (value.isObject()) {
            Map<String, Part> members = new LinkedHashMap<>();
            value.fields().forEachRemaining(member -> members.put(member.getKey(),
                    part(member.getValue(), field + "/" + member.getKey(), stateName)));
            return scope -> {
                ObjectNode object = JsonNodeFactory.instance.objectNode();
                members.forEach((name, member) -> object.set(name, member.evaluate(scope)));
                return object;
            };
        }
        if (value.isArray()) {
            List<Part> elements = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                elements.add(part(value.get(i), field + "[" + i + "]", stateName));
            }
            return scope -> {
                ArrayNode array = JsonNodeFactory.instance.arrayNode(elements.size());
                elements.forEach(element -> array.add(element.evaluate(scope)));
                return array;
            };
        }
        JsonNode literal = value.deepCopy();
        return scope -> literal.deepCopy();
    }
}
