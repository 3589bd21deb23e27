package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;

class AlarmStateChangeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode sample() throws IOException {
        return (ObjectNode) JSON.readTree(ProjectRoot.path().resolve("events/alarms/alarm-state-change.json").toFile());
    }

    @Test
    void theSampleEventIsAnAlarmEnteringAlarmFromOk() throws IOException {
        AlarmStateChange change = AlarmStateChange.read(sample()).orElseThrow();
        assertEquals("lambda-rollout-greeter-errors", change.alarmName());
        assertTrue(change.entersAlarm());
        assertEquals("OK", change.previousState());
        assertEquals("2026-01-05T09:04:00.415+0000", change.at());
        assertTrue(change.describe().startsWith("unhealthy: alarm lambda-rollout-greeter-errors entered ALARM at"
                + " 2026-01-05T09:04:00.415+0000 (from OK): Threshold Crossed: 1 out of the last 1 datapoints"),
                change.describe());
    }

    @Test
    void theEntryTimeIsReadFromCloudWatchsFormWithOrWithoutMillisecondsAndFromAnIsoInstant() throws IOException {
        assertEquals(Instant.parse("2026-01-05T09:04:00.415Z"), AlarmStateChange.read(sample()).orElseThrow().enteredAt());
        for (String[] row : new String[][] {
                {"2026-01-05T09:04:00+0000", "2026-01-05T09:04:00Z"},
                {"2026-01-05T10:04:00.415+0100", "2026-01-05T09:04:00.415Z"},
                {"2026-01-05T09:04:00Z", "2026-01-05T09:04:00Z"}}) {
            ObjectNode event = sample();
            ((ObjectNode) event.at("/detail/state")).put("timestamp", row[0]);
            assertEquals(Instant.parse(row[1]), AlarmStateChange.read(event).orElseThrow().enteredAt(), row[0]);
        }
    }

    @Test
    void anUnreadableEntryTimeIsAnErrorNamingTheField() throws IOException {
        ObjectNode event = sample();
        ((ObjectNode) event.at("/detail/state")).put("timestamp", "yesterday");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> AlarmStateChange.read(event).orElseThrow().enteredAt());
        assertTrue(error.getMessage().contains("detail.state.timestamp"), error.getMessage());
    }

    @Test
    void aReturnToOkIsAChangeThatEntersNoAlarm() throws IOException {
        ObjectNode event = sample();
        ((ObjectNode) event.at("/detail/state")).put("value", "OK");
        assertFalse(AlarmStateChange.read(event).orElseThrow().entersAlarm());
    }

    @Test
    void otherEventsAreNoAlarmStateChanges() throws IOException {
        assertTrue(AlarmStateChange.read(sample().put("detail-type", "CloudWatch Alarm Configuration Change")).isEmpty());
        assertTrue(AlarmStateChange.read(sample().put("source", "aws.lambda")).isEmpty());
        ObjectNode nameless = sample();
        ((ObjectNode) nameless.get("detail")).remove("alarmName");
        assertTrue(AlarmStateChange.read(nameless).isEmpty());
        assertTrue(AlarmStateChange.read(JSON.createObjectNode()).isEmpty());
    }
}
