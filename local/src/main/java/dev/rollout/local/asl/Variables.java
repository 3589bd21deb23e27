package dev.rollout.local.asl;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * An execution's workflow variables (one scope: Map and Parallel states are not supported), each converted to
 * JSONata's form once and bound as that until it is assigned again, rather than once per expression evaluated.
 * A value holding a JSON null is converted afresh for every evaluation: the JSONata library rewrites the nulls
 * of what it returns in place, and a result can be a bound value itself.
 */
final class Variables {
    private final Map<String, JsonNode> values = new HashMap<>();
    private final Map<String, Object> converted = new HashMap<>();

    /** Variables whose whole value is as an expression reading it returns it: any part can be handed out as is. */
    private final Map<String, Boolean> asRead = new HashMap<>();

    /** Values change only when a state is left, after every expression of that state was evaluated. */
    void assign(Map<String, JsonNode> assigned) {
        values.putAll(assigned);
        assigned.keySet().forEach(converted::remove);
        assigned.keySet().forEach(asRead::remove);
    }

    /** Whether the variable's value, every part of it, is in the form an expression reading it returns. */
    boolean isAsRead(String name) {
        JsonNode json = values.get(name);
        if (json == null) {
            return false;
        }
        Boolean known = asRead.get(name); // asked for every path an expression reads from the variable
        if (known == null) {
            known = JsonataValues.isAsRead(json);
            asRead.put(name, known);
        }
        return known;
    }

    /** The variable's value, null if there is no such variable; never to be changed. */
    JsonNode json(String name) {
        return values.get(name);
    }

    /** Binds the variable of that name, if there is one (an unknown name is undefined, as in AWS). */
    void bind(Jsonata.Frame frame, String name) {
        Object value = value(name);
        if (value != null) {
            frame.bind(name, value);
        }
    }

    /** The variable's value in JSONata's form; null if there is no such variable. */
    Object value(String name) {
        Object value = converted.get(name);
        if (value == null) {
            JsonNode json = values.get(name);
            if (json == null) {
                return null;
            }
            value = JsonataValues.toJsonata(json);
            if (!JsonataValues.holdsNull(json)) {
                converted.put(name, value);
            }
        }
        return value;
    }

    void bindAll(Jsonata.Frame frame) {
        values.keySet().forEach(name -> bind(frame, name));
    }
}
