package dev.rollout.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollout.domain.Target;

/** A {@link Target} as one text attribute: {@code {"type":"LambdaAlias","functionName":"orders","alias":"live"}}. */
final class TargetJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TargetJson() {
    }

    static String write(Target target) {
        try {
            return MAPPER.writeValueAsString(target);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("cannot write target " + target, impossible);
        }
    }

    static Target read(String json) {
        try {
            return MAPPER.readValue(json, Target.class);
        } catch (JsonProcessingException unreadable) {
            throw new IllegalStateException("stored target is not readable: " + json, unreadable);
        }
    }
}
