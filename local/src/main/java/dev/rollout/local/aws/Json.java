package dev.rollout.local.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The JSON documents the services embed as strings (alarm history data, state reason data, the SNS journal). */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** CloudWatch writes timestamps inside its JSON documents like {@code 2014-04-09T18:59:06.419+0000}. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    private Json() {
    }

    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes always serializes", e);
        }
    }
}
