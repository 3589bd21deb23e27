package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.AlarmTriggered;
import Rollout.Conflict;
import Rollout.HealthUnknown;
import Rollout.InsufficientEvidence;
import Rollout.Throttled;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import dev.rollout.local.aws.CloudWatchErrors;

class CheckHealthTest {
    private final World world = new World();
    private final JsonNode prepared = world.prepared();
    private final CheckHealth check = new CheckHealth(world.targets, world.cloudWatch, world.dynamoDb, World.LEASES, World.CONTROLS,
            world.clock);

    private ObjectNode since(String instant) {
        ObjectNode input = Json.object();
        input.set("rollout", prepared.get("rollout"));
        input.put("since", instant);
        input.put("revisionId", prepared.path("revisionId").asText());
        input.put("executionId", TaskInputs.EXECUTION);
        return input;
    }

    @Test
    void aVerdictSaysHowManyInvocationsOfTheNewVersionItCovered() {
        JsonNode shifted = new ShiftTraffic(world.targets, world.cloudWatch, world.clock).handle(TaskInputs.shift(prepared, 30,
                prepared.path("revisionId").asText()));
        world.serveAMinute(100);
        world.serveAMinute(100);
        ObjectNode input = since(prepared.at("/rollout/preparedAt").asText());
        input.put("revisionId", shifted.path("revisionId").asText());
        JsonNode verdict = check.handle(input);
        // Each simulated minute is stamped at its end, as Lambda's metrics arrive late: the last minute counts next.
        assertEquals(30, verdict.path("invocations").asLong());
        assertEquals("30 invocations of version 2", verdict.path("evidence").asText());
        assertTrue(verdict.path("summary").asText().endsWith("; 30 invocations of version 2"), verdict.toString());
    }

    @Test
    void aThrottledAlarmReadHasSpentNoReadOfTheAlias() {
        world.cloudWatch.faults().failNext("DescribeAlarms", 1, CloudWatchErrors::throttled);
        int aliasReads = world.lambda.faults().calls("GetAlias");
        assertThrows(Throttled.class, () -> check.handle(since(prepared.at("/rollout/preparedAt").asText())));
        assertEquals(aliasReads, world.lambda.faults().calls("GetAlias"),
                "GetAlias spends Lambda's 15 a second: read only once the window's calls went through");
    }

    @Test
    void aWindowInWhichTheNewVersionServedNothingSaysItIsNoEvidence() {
        world.serveAMinute(100);
        JsonNode verdict = check.handle(since(prepared.at("/rollout/preparedAt").asText()));
        assertEquals(0, verdict.path("invocations").asLong());
        assertEquals("no invocations of version 2 in this window, so it is no evidence of its health",
                verdict.path("evidence").asText());
    }

    @Test
    void aWindowWithFewerInvocationsThanTheRolloutRequiresFailsNamingTheMinimum() {
        JsonNode shifted = new ShiftTraffic(world.targets, world.cloudWatch, world.clock).handle(TaskInputs.shift(prepared, 10,
                prepared.path("revisionId").asText()));
        world.serveAMinute(100);
        world.serveAMinute(100);
        ObjectNode input = since(prepared.at("/rollout/preparedAt").asText());
        input.put("revisionId", shifted.path("revisionId").asText());
        ((ObjectNode) input.get("rollout")).put("minInvocations", 50);
        InsufficientEvidence thin = assertThrows(InsufficientEvidence.class, () -> check.handle(input));
        assertTrue(thin.getMessage().contains("covered 10 invocations of version 2, fewer than the 50 this rollout"
                + " requires per check"), thin.getMessage());
        ((ObjectNode) input.get("rollout")).put("minInvocations", 10);
        assertEquals(10, check.handle(input).path("invocations").asLong());
    }

    @Test
    void aChangeToTheAliasBySomeoneElseIsNoticedAtTheNextCheckAndNamed() {
        world.serveAMinute(100);
        world.routeByHand("2", java.util.Map.of());
        Conflict changed = assertThrows(Conflict.class,
                () -> check.handle(since(prepared.at("/rollout/preparedAt").asText())));
        assertTrue(changed.getMessage().contains("was changed by someone else since this rollout last set it: it now"
                + " routes version 2 100%"), changed.getMessage());
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
    void anAlarmWhoseStateHeldAllWindowCostsNoHistoryRead() {
        world.serveAMinute(100);
        world.serveAMinute(100);
        int before = world.cloudWatch.faults().calls("DescribeAlarmHistory");
        check.handle(since("2026-11-22T10:01:30Z"));
        assertEquals(before, world.cloudWatch.faults().calls("DescribeAlarmHistory"),
                "DescribeAlarmHistory allows 3 calls a second per account: read it only when the state changed");
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
