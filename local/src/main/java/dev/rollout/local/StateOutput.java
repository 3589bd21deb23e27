package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.EventDetails;

/** A state's output (or a task's parameters) as JSON, read from the text its history event carries. */
final class StateOutput {
    private StateOutput() {
    }

    /** The output, or an empty object when the state had none or it is not JSON (reports then say less). */
    static JsonNode of(EventDetails.StateExited exited) {
        return parse(exited.output());
    }

    /** JSON text of a history event, or an empty object when there is none or it is not JSON. */
    static JsonNode parse(String json) {
        try {
            return json == null ? Json.object() : Json.MAPPER.readTree(json);
        } catch (IOException unreadable) {
            return Json.object();
        }
    }
}
