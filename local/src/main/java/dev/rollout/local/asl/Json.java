package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson mapper of the executor; {@link JsonText} writes JSON text the way the Step Functions API carries it. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }
}
