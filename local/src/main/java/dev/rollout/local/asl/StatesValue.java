package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code $states} in JSONata's form: input, context, and result or errorOutput, each converted when an expression
 * first reads it (most read one member, many none), and kept for the scope's other expressions unless it holds
 * a JSON null, which the JSONata library rewrites in place in what it returns.
 */
final class StatesValue extends AbstractMap<String, Object> {
    private final JsonNode input;
    private final ContextObject context;
    private final String resultKey;
    private final JsonNode result;
    private Object convertedInput;
    private Object convertedContext;
    private Object convertedResult;

    StatesValue(JsonNode input, ContextObject context, String resultKey, JsonNode result) {
        this.input = input;
        this.context = context;
        this.resultKey = resultKey;
        this.result = result;
    }

    @Override
    public Object get(Object key) {
        if ("input".equals(key)) {
            if (convertedInput == null) {
                Object value = JsonataValues.toJsonata(input);
                if (JsonataValues.holdsNull(input)) {
                    return value;
                }
                convertedInput = value;
            }
            return convertedInput;
        }
        if ("context".equals(key)) {
            if (convertedContext == null) {
                Map<String, Object> value = context.toJsonata();
                if (!context.reusable()) {
                    return value;
                }
                convertedContext = value;
            }
            return convertedContext;
        }
        if (resultKey != null && resultKey.equals(key)) {
            if (convertedResult == null) {
                Object value = JsonataValues.toJsonata(result);
                if (JsonataValues.holdsNull(result)) {
                    return value;
                }
                convertedResult = value;
            }
            return convertedResult;
        }
        return null;
    }

    /** A member as JSON, never to be changed; null for the context and for a member this scope lacks. */
    JsonNode json(String key) {
        if ("input".equals(key)) {
            return input;
        }
        return resultKey != null && resultKey.equals(key) ? result : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return "input".equals(key) || "context".equals(key) || (resultKey != null && resultKey.equals(key));
    }

    /** Every member, for the rare expression that reads {@code $states} as a whole. */
    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("input", get("input"));
        all.put("context", get("context"));
        if (resultKey != null) {
            all.put(resultKey, get(resultKey));
        }
        return all.entrySet();
    }
}
