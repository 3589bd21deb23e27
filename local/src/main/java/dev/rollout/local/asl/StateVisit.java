package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One entry into a state: what it received, when, and which history event recorded it. */
record StateVisit(State state, JsonNode input, Instant enteredAt, long enteredEventId) {

    /** The sentence AWS opens a failing expression's cause with. */
    String errorPrefix() {
        return "An error occurred while executing the state '" + state.name() + "' (entered at the event id #"
                + enteredEventId + "). ";
    }
}
