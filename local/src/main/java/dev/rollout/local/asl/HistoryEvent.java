package dev.rollout.local.asl;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;
import java.util.Map;

/**
 * One event of an execution's history. Jackson writes it as the Step Functions API's HistoryEvent: the
 * details appear under their API member name, such as {@code "taskFailedEventDetails": {...}}.
 *
 * @param timestamp on the execution's virtual clock
 */
@JsonPropertyOrder({"timestamp", "type", "id", "previousEventId"})
public record HistoryEvent(@JsonSerialize(using = ToStringSerializer.class) Instant timestamp,
                           HistoryEventType type, long id, long previousEventId, @JsonIgnore EventDetails details) {

    /** The details as the kind this event's type carries, e.g. {@code EventDetails.TaskFailed.class}. */
    public <T extends EventDetails> T details(Class<T> kind) {
        return kind.cast(details);
    }

    @JsonAnyGetter
    Map<String, EventDetails> detailsByApiName() {
        return Map.of(details.propertyName(), details);
    }
}
