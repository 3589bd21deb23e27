package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.AlarmTriggered;
import Rollout.HealthUnknown;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class CheckHealthTest {
    private final World world = new World();
    private final JsonNode prepared = world.prepared();
    private final CheckHealth check = new CheckHealth(world.cloudWatch, world.clock);

    private ObjectNode since(String instant) {
        ObjectNode input = Json.object();
        input.set("rollout", prepared.get("rollout"));
        input.put("since", instant);
        return input;
    }

    @Test
    void aQuietWindowIsHealthyAndEndsNow() {
        world.serveAMinute(100);
        world.serveAMinute(100);
        JsonNode verdict = check.handle(since(prepared.at("/rollout/preparedAt").asText()));
        assertTrue(verdict.path("healthy").asBoolean());
        assertEquals("2026-11-22T10:02:00Z", verdict.path("checkedAt").asText());
    }

    @Test
    void anAlarmThatFiredAndClearedInsideTheWindowIsStillUnhealthy() {
        world.breakVersion("1");
        world.serveAMinute(10);
        world.healVersion("1");
        world.serveAMinute(10);
        world.serveAMinute(10);
        AlarmTriggered fired = assertThrows(AlarmTriggered.class,
                () -> check.handle(since(prepared.at("/rollout/preparedAt").asText())));
        assertTrue(fired.getMessage().contains("alarm orders-errors was in ALARM at 2026-11-22T10:01:00Z (now OK)"),
                fired.getMessage());
    }

    @Test
    void anAlarmThatFiredBeforeTheWindowDoesNotCount() {
        world.breakVersion("1");
        world.serveAMinute(10);
        world.healVersion("1");
        world.serveAMinute(10);
        JsonNode verdict = check.handle(since("2026-11-22T10:01:30Z"));
        assertTrue(verdict.path("healthy").asBoolean(), verdict.toString());
    }

    @Test
    void anAlarmThatNoLongerExistsMeansHealthIsUnknown() {
        ObjectNode input = since(prepared.at("/rollout/preparedAt").asText());
        input.withObjectProperty("rollout").withArray("alarms").add("gone");
        HealthUnknown unknown = assertThrows(HealthUnknown.class, () -> check.handle(input));
        assertTrue(unknown.getMessage().startsWith("alarm gone no longer exists"), unknown.getMessage());
    }
}
