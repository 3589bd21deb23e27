package dev.rollout.handlers;

import Rollout.MalformedTaskInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollout.domain.SharedJson;

/** The handlers' JSON helpers, on the function's one mapper. */
public final class Json {
    public static final ObjectMapper MAPPER = SharedJson.MAPPER;

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static <T> T read(JsonNode node, String field, Class<T> type) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new MalformedTaskInput("task input lacks \"" + field + "\": check the state machine's Arguments");
        }
        try {
            return MAPPER.treeToValue(value, type);
        } catch (java.io.IOException malformed) {
            throw new MalformedTaskInput("task input field \"" + field + "\" is malformed: "
                    + malformed.getMessage(), malformed);
        }
    }

    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isValueNode() || value.isNull()) {
            throw new MalformedTaskInput("task input lacks \"" + field + "\": check the state machine's Arguments");
        }
        return value.asText();
    }
}
