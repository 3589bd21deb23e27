package dev.rollout.local.asl;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between Jackson trees and the plain Java values the JSONata library works on: maps, lists,
 * strings, numbers, booleans, and {@link Jsonata#NULL_VALUE} for a JSON null it must tell from "undefined".
 */
final class JsonataValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonataValues() {
    }

    static Object toJsonata(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT:
                Map<String, Object> object = new LinkedHashMap<>();
                node.fields().forEachRemaining(field -> object.put(field.getKey(), toJsonata(field.getValue())));
                return object;
            case ARRAY:
                List<Object> array = new ArrayList<>(node.size());
                node.forEach(element -> array.add(toJsonata(element)));
                return array;
            case STRING:
                return node.textValue();
            case BOOLEAN:
                return node.booleanValue();
            case NUMBER:
                return number(node);
            case NULL:
                return Jsonata.NULL_VALUE;
            default:
                throw new IllegalArgumentException("Not a JSON value: " + node.getNodeType());
        }
    }

    /**
     * The value as an expression that reads it returns it, a tree equal to {@code toJson(toJsonata(node))}: numbers
     * in their smallest form. What already is in that form is shared, not copied (the executor never changes a tree
     * once built): only the objects and arrays above a number that changes are new.
     *
     * @param copies the copies made before, by original: a state's Output and Assign often read a task result's
     *               payload and parts of it, which then are made once and shared (so their text is written once);
     *               the copies made here are added
     */
    static JsonNode asRead(JsonNode node, Map<JsonNode, JsonNode> copies) {
        if (node.isContainerNode()) {
            JsonNode copy = copies.get(node);
            if (copy != null) {
                return copy;
            }
        }
        switch (node.getNodeType()) {
            case OBJECT:
                ObjectNode object = null;
                int position = 0;
                for (Iterator<Map.Entry<String, JsonNode>> members = node.fields(); members.hasNext(); position++) {
                    Map.Entry<String, JsonNode> member = members.next();
                    JsonNode read = asRead(member.getValue(), copies);
                    if (object == null && read != member.getValue()) {
                        object = NODES.objectNode();
                        Iterator<Map.Entry<String, JsonNode>> before = node.fields();
                        for (int i = 0; i < position; i++) {
                            Map.Entry<String, JsonNode> unchanged = before.next();
                            object.set(unchanged.getKey(), unchanged.getValue());
                        }
                    }
                    if (object != null) {
                        object.set(member.getKey(), read);
                    }
                }
                if (object == null) {
                    return node;
                }
                copies.put(node, object);
                return object;
            case ARRAY:
                ArrayNode array = null;
                for (int i = 0; i < node.size(); i++) {
                    JsonNode read = asRead(node.get(i), copies);
                    if (array == null && read != node.get(i)) {
                        array = NODES.arrayNode(node.size());
                        for (int j = 0; j < i; j++) {
                            array.add(node.get(j));
                        }
                    }
                    if (array != null) {
                        array.add(read);
                    }
                }
                if (array == null) {
                    return node;
                }
                copies.put(node, array);
                return array;
            case NUMBER:
                return isAsRead(node) ? node : number((Number) number(node));
            case STRING:
            case BOOLEAN:
            case NULL:
                return node;
            default:
                throw new IllegalArgumentException("Not a JSON value: " + node.getNodeType());
        }
    }

    /** Whether {@link #asRead} gives the node itself: every number in it in its smallest form. */
    static boolean isAsRead(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT:
            case ARRAY:
                for (JsonNode element : node) {
                    if (!isAsRead(element)) {
                        return false;
                    }
                }
                return true;
            case NUMBER:
                if (node.isInt()) {
                    return true;
                }
                if (node.isLong()) {
                    return !node.canConvertToInt();
                }
                if (node.isBigInteger()) {
                    return !node.canConvertToLong();
                }
                if (node.isDouble()) {
                    double value = node.doubleValue();
                    return !(value == Math.rint(value) && Math.abs(value) < 0x1p53);
                }
                return false; // short, float, BigDecimal: copied
            case STRING:
            case BOOLEAN:
            case NULL:
                return true;
            default:
                return false; // not JSON: asRead says so
        }
    }

    /** Whether a JSON null appears anywhere in the value. */
    static boolean holdsNull(JsonNode node) {
        if (node.isNull()) {
            return true;
        }
        if (node.isContainerNode()) {
            for (JsonNode element : node) {
                if (holdsNull(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The JSON form of a JSONata result; Java null inside a result is JSON null (the library drops undefined
     * values from objects and arrays itself).
     *
     * @throws IllegalArgumentException for values JSON cannot hold, such as a function
     */
    static JsonNode toJson(Object value) {
        if (value == null || value == Jsonata.NULL_VALUE) {
            return NODES.nullNode();
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((key, element) -> object.set(String.valueOf(key), toJson(element)));
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode(list.size());
            list.forEach(element -> array.add(toJson(element)));
            return array;
        }
        if (value instanceof String text) {
            return NODES.textNode(text);
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof Number number) {
            return number(number);
        }
        throw new IllegalArgumentException("a " + value.getClass().getSimpleName() + ", which is not a JSON value");
    }

    private static Object number(JsonNode node) {
        if (node.isIntegralNumber()) {
            if (node.canConvertToInt()) {
                return node.intValue();
            }
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        return node.isBigDecimal() ? node.decimalValue() : (Object) node.doubleValue();
    }

    /** JSON has one number type: a whole double (as JavaScript JSONata would print it) becomes an integer. */
    private static JsonNode number(Number number) {
        if (number instanceof Integer || number instanceof Short || number instanceof Byte) {
            return NODES.numberNode(number.intValue());
        }
        if (number instanceof Long value) {
            return integer(value);
        }
        if (number instanceof BigInteger value) {
            return NODES.numberNode(value);
        }
        if (number instanceof BigDecimal value) {
            return NODES.numberNode(value);
        }
        double value = number.doubleValue();
        boolean whole = value == Math.rint(value) && Math.abs(value) < 0x1p53;
        return whole ? integer((long) value) : NODES.numberNode(value);
    }

    /** The smallest node that holds it, so equal numbers compare equal as parsed JSON does. */
    private static JsonNode integer(long value) {
        return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
    }
}
