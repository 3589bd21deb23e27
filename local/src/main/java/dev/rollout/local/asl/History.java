package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An execution's history events; appended on the clock's thread, readable from any thread.
 *
 * <p>The JSON texts of inputs, outputs and parameters are written when the history is first read, not when a state
 * produces them: writing them was about a third of the executor's CPU, and most executions (a benchmark's, a test's
 * that reads only its outcome) never read them. Trees are never changed once a state has produced them, so the
 * text written later is the text of that moment; events are written in order, so each text is written as before.
 */
final class History {
    /** One per thread that reads histories: its generator's buffers outlive many executions. */
    private static final ThreadLocal<JsonText> JSON_TEXT = ThreadLocal.withInitial(JsonText::new);

    /** An event's details, made once its texts are wanted. */
    interface Details {
        EventDetails write(Texts texts);
    }

    private record Pending(Instant at, HistoryEventType type, Details details) {
    }

    private final List<HistoryEvent> events = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private final Texts texts = new Texts();

    /** @return the new event's id */
    synchronized long add(Instant at, HistoryEventType type, Details details) {
        pending.add(new Pending(at, type, details));
        return events.size() + pending.size();
    }

    synchronized int size() {
        return events.size() + pending.size();
    }

    synchronized List<HistoryEvent> events() {
        for (Pending event : pending) {
            long id = events.size() + 1L;
            events.add(new HistoryEvent(event.at(), event.type(), id, id - 1, event.details().write(texts)));
        }
        pending.clear();
        return List.copyOf(events);
    }

    /** Writes an execution's trees as JSON text, in the order its events happened; used under the history's lock. */
    static final class Texts {
        private JsonNode lastNode;
        private String lastText;
        /** The text of each object or array a state assigned to a variable, reused where a later tree holds it. */
        private final Map<JsonNode, String> assignedTexts = new IdentityHashMap<>();

        /**
         * A state's input or output as JSON text. A state's output is the next state's input, the same tree, so the
         * text last written is kept for it.
         */
        String text(JsonNode node) {
            if (node != lastNode) {
                lastText = JSON_TEXT.get().write(node, assignedTexts);
                lastNode = node;
            }
            return lastText;
        }

        /** The texts of the values a state assigned, kept for the later trees that hold them. */
        Map<String, String> assigned(Map<String, JsonNode> assigned) {
            if (assigned.isEmpty()) {
                return Map.of();
            }
            Map<String, String> assignedText = new LinkedHashMap<>();
            assigned.forEach((variable, value) -> {
                String valueText = text(value);
                assignedText.put(variable, valueText);
                if (value.isContainerNode()) {
                    assignedTexts.put(value, valueText);
                }
            });
            return assignedText;
        }
    }
}
