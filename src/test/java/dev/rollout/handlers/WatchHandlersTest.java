package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.AlarmTriggered;
import Rollout.HealthUnknown;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.local.aws.InMemoryDynamoDb;
import dev.rollout.local.aws.InMemoryStepFunctions;
import dev.rollout.local.aws.TaskAnswer;
import dev.rollout.local.aws.TaskTokenLedger;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Bake lists a waiting task under its alarms; AlarmStateChanged fails the waits of an alarm that entered ALARM; the
 * moves of traffic refuse to move after an unhealthy window.
 */
class WatchHandlersTest {
    private static final String TABLE = "rollout-watches";
    private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:rollout:orders-live-2";

    private final World world = new World();
    private final InMemoryDynamoDb dynamoDb = new InMemoryDynamoDb();
    private final TaskTokenLedger tokens = new TaskTokenLedger();
    private final InMemoryStepFunctions sfn = InMemoryStepFunctions.builder(world.clock).callbackTasks(tokens).build();
    private final JsonNode prepared = world.prepared();
    private final Bake bake;
    private final AlarmStateChanged alarmStateChanged;

    WatchHandlersTest() {
        dynamoDb.addTable(TABLE, "alarmName");
        dynamoDb.addTable("rollout-controls", "key");
        bake = new Bake(dynamoDb, TABLE, "rollout-controls", sfn, world.cloudWatch, world.clock);
        alarmStateChanged = new AlarmStateChanged(dynamoDb, TABLE, sfn, world.clock);
    }

    private ObjectNode bakeInput(String token, long seconds) {
        ObjectNode input = Json.object();
        input.set("rollout", prepared.get("rollout").deepCopy());
        input.put("seconds", seconds);
        input.put("taskToken", token);
        input.put("executionId", EXECUTION);
        input.put("enteredAt", world.clock.instant().toString());
        return input;
    }

    /** A bake after a health check that ended at {@code since}, as the state machine starts it. */
    private ObjectNode bakeInputSince(String token, long seconds, Instant since) {
        return bakeInput(token, seconds).put("since", since.toString());
    }

    /** The sample event of events/alarms/ for the test world's alarm, entering {@code state} at {@code at}. */
    private static ObjectNode alarmEventAt(String state, String at) throws IOException {
        ObjectNode event = alarmEvent(state);
        ((ObjectNode) event.at("/detail/state")).put("timestamp", at);
        return event;
    }

    /** The sample event of events/alarms/, for the test world's alarm. */
    private static ObjectNode alarmEvent(String state) throws IOException {
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(
                ProjectRoot.path().resolve("events/alarms/alarm-state-change.json").toFile());
        ((ObjectNode) event.get("detail")).put("alarmName", World.ALARM);
        ((ObjectNode) event.at("/detail/state")).put("value", state);
        return event;
    }

    private Map<String, AttributeValue> watchesOf(String alarm) {
        return dynamoDb.items(TABLE).getOrDefault(alarm, Map.of());
    }

    @Test
    void aBakeListsItsTokenUnderEachWatchedAlarmUntilItEnds() {
        String token = tokens.issue();
        JsonNode output = bake.handle(bakeInput(token, 600));
        assertEquals("2026-11-22T10:10:00Z", output.path("until").asText());
        assertEquals(List.of(World.ALARM), List.of(Json.MAPPER.convertValue(output.path("watching"), String[].class)));
        Map<String, AttributeValue> item = watchesOf(World.ALARM);
        assertEquals(2, item.size(), "the key and one watch: " + item.keySet());
        AttributeValue watch = item.entrySet().stream().filter(e -> e.getKey().startsWith("watch_"))
                .findFirst().orElseThrow().getValue();
        assertEquals(token, watch.m().get("token").s());
        assertEquals(EXECUTION, watch.m().get("executionArn").s());
        assertFalse(output.toString().contains(token), "the token is never returned");
    }

    @Test
    void aBakeRepeatedByARetryListsItsTokenOnce() {
        String token = tokens.issue();
        bake.handle(bakeInput(token, 600));
        bake.handle(bakeInput(token, 600));
        assertEquals(2, watchesOf(World.ALARM).size());
    }

    @Test
    void aNewBakeTakesTheWatchesOfEndedWaitsOffTheAlarm() {
        bake.handle(bakeInput(tokens.issue(), 60));
        world.pass(Duration.ofMinutes(2));
        String current = tokens.issue();
        bake.handle(bakeInput(current, 60));
        Map<String, AttributeValue> item = watchesOf(World.ALARM);
        assertEquals(2, item.size(), "only the current wait stays listed: " + item.keySet());
        assertTrue(item.values().stream().anyMatch(value -> value.hasM() && value.m().get("token").s().equals(current)));
    }

    @Test
    void aBakeWithoutTheLastChecksTimeDoesNotStartWhileAWatchedAlarmIsInAlarmAlready() {
        world.cloudWatch.setAlarmState(request -> request.alarmName(World.ALARM).stateValue(StateValue.ALARM)
                .stateReason("Threshold Crossed"));
        AlarmTriggered refused = assertThrows(AlarmTriggered.class, () -> bake.handle(bakeInput(tokens.issue(), 600)));
        assertTrue(refused.getMessage().contains("alarm " + World.ALARM + " is in ALARM"), refused.getMessage());
    }

    @Test
    void aBakeWithoutTheLastChecksTimeWhoseAlarmNoLongerExistsCannotJudgeHealth() {
        ObjectNode input = bakeInput(tokens.issue(), 600);
        ((ObjectNode) input.get("rollout")).putArray("alarms").add("orders-deleted");
        HealthUnknown unknown = assertThrows(HealthUnknown.class, () -> bake.handle(input));
        assertTrue(unknown.getMessage().contains("orders-deleted no longer exists"), unknown.getMessage());
    }

    @Test
    void aBakeAfterACheckDoesNotStartWhenAWatchedAlarmEnteredAlarmSinceThatCheck() throws IOException {
        Instant checkedAt = world.clock.instant();
        world.pass(Duration.ofSeconds(30));
        // The event is handled before the bake lists its token: no watcher to fail, so the bake must see the entry.
        alarmStateChanged.handle(alarmEventAt("ALARM", "2026-11-22T10:00:10.250+0000"));
        String token = tokens.issue();
        AlarmTriggered refused = assertThrows(AlarmTriggered.class,
                () -> bake.handle(bakeInputSince(token, 600, checkedAt)));
        assertTrue(refused.getMessage().startsWith("unhealthy: alarm " + World.ALARM
                + " entered ALARM at 2026-11-22T10:00:10.250+0000 (from OK): Threshold Crossed"), refused.getMessage());
        assertTrue(sfn.answers().isEmpty(), "the event found no wait to fail");
    }

    @Test
    void anEventWithAnUnreadableTimeStillFailsTheWaitsAndStopsTheNextBake() throws IOException {
        String waiting = tokens.issue();
        bake.handle(bakeInput(waiting, 600));
        JsonNode output = alarmStateChanged.handle(alarmEventAt("ALARM", "yesterday").put("time", "soon"));
        assertEquals(1, output.path("interrupted").size(), output.toString());
        assertThrows(AlarmTriggered.class, () -> bake.handle(bakeInputSince(tokens.issue(), 600, world.clock.instant())));
    }

    @Test
    void aBakeAfterACheckStartsWhenTheAlarmsLastEntryIntoAlarmCameBeforeThatCheck() throws IOException {
        alarmStateChanged.handle(alarmEventAt("ALARM", "2026-11-22T09:58:00.000+0000"));
        String token = tokens.issue();
        JsonNode output = bake.handle(bakeInputSince(token, 600, world.clock.instant()));
        assertEquals("2026-11-22T10:10:00Z", output.path("until").asText());
        assertTrue(tokens.isWaiting(token));
    }

    @Test
    void aBakeAfterACheckLeavesTheAlarmsExistenceToTheNextCheck() {
        // The check before the bake found every alarm; one deleted since is reported by the check after it.
        ObjectNode input = bakeInputSince(tokens.issue(), 600, world.clock.instant());
        ((ObjectNode) input.get("rollout")).putArray("alarms").add("orders-deleted");
        assertEquals("2026-11-22T10:10:00Z", bake.handle(input).path("until").asText());
    }

    @Test
    void anAlarmEnteringAlarmFailsEveryWaitWatchingItAndTakesThemOffItsList() throws IOException {
        String first = tokens.issue();
        String second = tokens.issue();
        bake.handle(bakeInput(first, 600));
        bake.handle(bakeInput(second, 600));
        JsonNode output = alarmStateChanged.handle(alarmEvent("ALARM"));

        assertEquals(2, output.path("interrupted").size(), output.toString());
        assertFalse(tokens.isWaiting(first) || tokens.isWaiting(second));
        for (TaskAnswer answer : sfn.answers()) {
            TaskAnswer.Failure failure = assertInstanceOf(TaskAnswer.Failure.class, answer);
            assertEquals("Rollout.AlarmTriggered", failure.error());
            assertTrue(failure.cause().startsWith("unhealthy: alarm " + World.ALARM
                    + " entered ALARM at 2026-01-05T09:04:00.415+0000 (from OK): Threshold Crossed"), failure.cause());
        }
        assertEquals(Set.of("alarmName", "lastAlarm"), watchesOf(World.ALARM).keySet(),
                "only the key and the entry into ALARM are left");
    }

    @Test
    void anEventDeliveredTwiceFailsEachWaitOnce() throws IOException {
        String token = tokens.issue();
        bake.handle(bakeInput(token, 600));
        alarmStateChanged.handle(alarmEvent("ALARM"));
        JsonNode again = alarmStateChanged.handle(alarmEvent("ALARM"));
        assertEquals(0, again.path("interrupted").size());
        assertEquals(1, sfn.answers().size());
    }

    @Test
    void aWaitThatEndedMeanwhileIsTakenOffTheListWithoutAnAnswer() throws IOException {
        String token = tokens.issue();
        bake.handle(bakeInput(token, 600));
        tokens.timeOut(token);
        JsonNode output = alarmStateChanged.handle(alarmEvent("ALARM"));
        assertEquals(0, output.path("interrupted").size());
        assertEquals(Set.of("alarmName", "lastAlarm"), watchesOf(World.ALARM).keySet());
    }

    @Test
    void anAlarmReturningToOkInterruptsNothing() throws IOException {
        String token = tokens.issue();
        bake.handle(bakeInput(token, 600));
        JsonNode output = alarmStateChanged.handle(alarmEvent("OK"));
        assertTrue(output.path("ignored").asText().contains("entered OK"), output.toString());
        assertTrue(tokens.isWaiting(token));
    }

    @Test
    void aShiftAfterAWindowWithAnAlarmRefusesToMoveTraffic() {
        ShiftTraffic shift = new ShiftTraffic(world.targets, world.cloudWatch, world.clock);
        world.breakVersion("1");
        world.serveAMinute(100);
        world.healVersion("1");
        world.serveAMinute(100);
        AlarmTriggered refused = assertThrows(AlarmTriggered.class,
                () -> shift.handle(TaskInputs.shift(prepared, 10, prepared.path("revisionId").asText())));
        assertTrue(refused.getMessage().contains("was in ALARM at 2026-11-22T10:01:00Z (now OK)"), refused.getMessage());
        assertEquals("version 1 100%", world.alias().describe(), "nothing moved");
    }

    @Test
    void aPromotionAfterAWindowWithAnAlarmRefusesToPromote() {
        Promote promote = new Promote(world.targets, world.cloudWatch, world.dynamoDb, World.LEASES, World.CONTROLS, world.clock);
        world.breakVersion("1");
        world.serveAMinute(100);
        assertThrows(AlarmTriggered.class,
                () -> promote.handle(TaskInputs.withRevision(prepared, prepared.path("revisionId").asText())));
        assertEquals("version 1 100%", world.alias().describe(), "nothing moved");
    }
}
