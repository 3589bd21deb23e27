package dev.rollout.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rollout.domain.SharedJson;
import dev.rollout.domain.Target;

/** A {@link Target} as one text attribute: {@code {"type":"LambdaAlias","functionName":"orders","alias":"live"}}. */
final class TargetJson {
    private TargetJson() {
    }

    static String write(Target target) {
        try {
            return SharedJson.MAPPER.writeValueAsString(target);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("cannot write target " + target, impossible);
        }
    }

    static Target read(String json) {
        try {
            return SharedJson.MAPPER.readValue(json, Target.class);
        } catch (JsonProcessingException unreadable) {
            throw new IllegalStateException("stored target is not readable: " + json, unreadable);
        }
    }
}
