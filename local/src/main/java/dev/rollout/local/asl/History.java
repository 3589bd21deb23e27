package dev.rollout.local.asl;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** An execution's history events; appended on the clock's thread, readable from any thread. */
final class History {
    private final List<HistoryEvent> events = new ArrayList<>();

    /** @return the new event's id */
    synchronized long add(Instant at, HistoryEventType type, EventDetails details) {
        long id = events.size() + 1L;
        events.add(new HistoryEvent(at, type, id, id - 1, details));
        return id;
    }

    synchronized int size() {
        return events.size();
    }

    synchronized List<HistoryEvent> events() {
        return List.copyOf(events);
    }
}
