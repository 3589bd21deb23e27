package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.EventDetails;

/** A state's output as JSON, read from the text its StateExited history event carries. */
final class StateOutput {
    private StateOutput() {
    }

    /** The output, or an empty object when the state had none or it is not JSON (reports then say less). */
    static JsonNode of(EventDetails.StateExited exited) {
        String json = exited.output();
        try {
            return json == null ? Json.object() : Json.MAPPER.readTree(json);
        } catch (IOException unreadable) {
            return Json.object();
        }
    }
}
