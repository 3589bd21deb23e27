package dev.rollout.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What an EventBridge "CloudWatch Alarm State Change" event says: which alarm entered which state, when, and why.
 *
 * @param at the state's timestamp as CloudWatch writes it, e.g. {@code 2019-10-02T17:04:40.985+0000}
 */
public record AlarmStateChange(String alarmName, String state, String previousState, String reason, String at) {
    public static final String SOURCE = "aws.cloudwatch";
    public static final String DETAIL_TYPE = "CloudWatch Alarm State Change";

    /** The change, or empty when {@code event} is not an alarm state change (with a name and a state). */
    public static Optional<AlarmStateChange> read(JsonNode event) {
        if (event == null || !SOURCE.equals(event.path("source").asText())
                || !DETAIL_TYPE.equals(event.path("detail-type").asText())) {
            return Optional.empty();
        }
        JsonNode detail = event.path("detail");
        String name = detail.path("alarmName").asText("");
        String state = detail.path("state").path("value").asText("");
        if (name.isEmpty() || state.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AlarmStateChange(name, state, detail.path("previousState").path("value").asText(""),
                detail.path("state").path("reason").asText(""),
                detail.path("state").path("timestamp").asText(event.path("time").asText(""))));
    }

    /** CloudWatch's own form of {@link #at}: an offset without a colon, milliseconds optional. */
    private static final DateTimeFormatter CLOUDWATCH_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]Z");

    /**
     * When the alarm entered its state, from {@link #at}; an ISO instant is read too.
     *
     * @throws IllegalArgumentException when {@code at} is neither
     */
    public Instant enteredAt() {
        try {
            return CLOUDWATCH_TIME.parse(at, Instant::from);
        } catch (DateTimeParseException notCloudWatchForm) {
            try {
                return Instant.parse(at);
            } catch (DateTimeParseException unreadable) {
                throw new IllegalArgumentException("alarm state change of " + alarmName + " has an unreadable"
                        + " detail.state.timestamp (and time): \"" + at + "\"", unreadable);
            }
        }
    }

    public boolean entersAlarm() {
        return AlarmStatus.ALARM.equals(state);
    }

    /** The cause a watching rollout fails with. */
    public String describe() {
        return "unhealthy: alarm " + alarmName + " entered ALARM at " + at
                + (previousState.isEmpty() ? "" : " (from " + previousState + ")") + ": " + reason;
    }
}
