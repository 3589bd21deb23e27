package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.Throttled;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.aws.AliasLeases;
import dev.rollout.aws.Targets;
import dev.rollout.domain.AliasLease;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.local.aws.InMemoryDynamoDb;
import dev.rollout.local.aws.InMemoryStepFunctions;
import dev.rollout.local.aws.LambdaErrors;
import dev.rollout.local.aws.PublishedMessage;
import dev.rollout.local.aws.StepFunctionsErrors;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAbortedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionStartedEventDetails;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.StateEnteredEventDetails;
import software.amazon.awssdk.services.sfn.model.StateExitedEventDetails;

/** Restore against the in-memory Lambda and SNS, with execution histories shaped as GetExecutionHistory lists them. */
class RestoreTest {
    private static final String STATE_MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:rollout";
    private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:rollout:orders-live-2";
    private static final String NEXT = "arn:aws:states:us-east-1:123456789012:execution:rollout:orders-live-3";
    private static final String LEASES = "rollout-leases";

    private final World world = new World();
    private final JsonNode prepared = world.prepared();
    private final Map<String, List<HistoryEvent>> histories = new HashMap<>();
    private final InMemoryStepFunctions stepFunctions = InMemoryStepFunctions.builder(world.clock)
            .executionHistories(arn -> Optional.ofNullable(histories.get(arn)))
            .build();
    private final InMemoryDynamoDb dynamoDb = new InMemoryDynamoDb();
    private final AliasLeases leases = new AliasLeases(dynamoDb, LEASES);
    private final Restore restore = new Restore(world.targets, stepFunctions, world.sns, dynamoDb,
            new Restore.Settings(STATE_MACHINE, world.topic, LEASES), world.clock);

    {
        dynamoDb.addTable(LEASES, "target");
    }

    private void claimedBy(String execution) {
        PreparedRollout rollout = Json.read(prepared, "rollout", PreparedRollout.class);
        leases.claim(AliasLease.of(rollout, execution, world.clock.instant()), world.clock.instant(), arn -> false);
    }

    private void shiftTo(int weight) {
        new ShiftTraffic(world.targets, world.cloudWatch, world.clock).handle(TaskInputs.shift(prepared, weight,
                world.alias().revision()));
    }

    /** The history of a rollout stopped after Prepare, optionally having ended in a Fail state first. */
    private void recorded(boolean preparedOk, String endState) {
        List<HistoryEvent> events = new ArrayList<>();
        events.add(event(HistoryEventType.EXECUTION_STARTED).executionStartedEventDetails(ExecutionStartedEventDetails
                .builder().input(World.request("Canary10Percent5Minutes").toString()).build()).build());
        events.add(event(HistoryEventType.TASK_STATE_ENTERED).stateEnteredEventDetails(StateEnteredEventDetails
                .builder().name("Prepare").input("{}").build()).build());
        if (preparedOk) {
            events.add(event(HistoryEventType.TASK_STATE_EXITED).stateExitedEventDetails(StateExitedEventDetails
                    .builder().name("Prepare").output(prepared.toString()).build()).build());
        }
        if (endState != null) {
            events.add(event(HistoryEventType.FAIL_STATE_ENTERED).stateEnteredEventDetails(StateEnteredEventDetails
                    .builder().name(endState).input("{}").build()).build());
            events.add(event(HistoryEventType.EXECUTION_FAILED).build());
        } else {
            events.add(event(HistoryEventType.EXECUTION_ABORTED).executionAbortedEventDetails(
                    ExecutionAbortedEventDetails.builder().error("Operator.Stopped").cause("dana pressed Stop").build())
                    .build());
        }
        for (int i = 0; i < events.size(); i++) {
            events.set(i, events.get(i).toBuilder().id((long) i + 1).previousEventId((long) i).build());
        }
        histories.put(EXECUTION, events);
    }

    private HistoryEvent.Builder event(HistoryEventType type) {
        return HistoryEvent.builder().type(type).timestamp(world.clock.instant());
    }

    private static ObjectNode statusChange(String sample) throws IOException {
        ObjectNode event = (ObjectNode) Json.MAPPER.readTree(
                ProjectRoot.resolve("events/execution-status/" + sample).toFile());
        ((ObjectNode) event.get("detail")).put("executionArn", EXECUTION).put("stateMachineArn", STATE_MACHINE);
        return event;
    }

    private List<String> subjects() {
        return world.sns.outbox().stream().map(PublishedMessage::subject).toList();
    }

    @Test
    void aRolloutStoppedAtThirtyPercentIsPutBackOnItsStartingVersionAndPeopleAreTold() throws IOException {
        shiftTo(30);
        recorded(true, null);
        JsonNode output = restore.handle(statusChange("aborted.json"));
        assertEquals("version 1 100%", world.alias().describe());
        assertEquals("RESTORE", output.path("action").asText());
        assertEquals(List.of("Rollout rolled back: orders:live 1 -> 2"), subjects());
        String body = world.sns.outbox().get(0).message();
        assertTrue(body.contains("the execution was stopped (ABORTED)") && body.contains("Operator.Stopped")
                && body.contains("dana pressed Stop") && body.contains("back on version 1"), body);
    }

    @Test
    void aSecondDeliveryOfTheSameEndingFindsTheAliasWholeAndMovesNothing() throws IOException {
        shiftTo(30);
        recorded(true, null);
        restore.handle(statusChange("aborted.json"));
        String revision = world.alias().revision();
        JsonNode again = restore.handle(statusChange("aborted.json"));
        assertEquals("ALREADY_WHOLE", again.path("action").asText());
        assertEquals(revision, world.alias().revision());
    }

    @Test
    void aTimedOutRolloutIsRestoredToo() throws IOException {
        shiftTo(60);
        recorded(true, null);
        restore.handle(statusChange("timed-out.json"));
        assertEquals("version 1 100%", world.alias().describe());
        assertTrue(world.sns.outbox().get(0).message().contains("timed out (TIMED_OUT)"));
    }

    @Test
    void aRollbackThatFailedIsFinishedByRestore() throws IOException {
        shiftTo(40);
        recorded(true, "RollbackFailed");
        JsonNode output = restore.handle(statusChange("failed.json"));
        assertEquals("RESTORE", output.path("action").asText());
        assertEquals("version 1 100%", world.alias().describe());
    }

    @Test
    void anEndingTheStateMachineAlreadyReportedAddsNoSecondNotice() throws IOException {
        recorded(true, "RolledBack");
        JsonNode output = restore.handle(statusChange("failed.json"));
        assertEquals("ALREADY_HANDLED", output.path("action").asText());
        assertEquals(List.of(), subjects());
    }

    @Test
    void anEndingTheStateMachineAlreadyReportedIsClosedWithoutAskingLambdaAnything() throws IOException {
        // Every rolled-back rollout of a fleet ends here: no call on Lambda's shared 15 requests a second.
        LambdaClient unreachable = new LambdaClient() {
            @Override
            public String serviceName() {
                return "lambda";
            }

            @Override
            public void close() {
            }
        };
        Restore withoutLambda = new Restore(new Targets(unreachable, () -> null), stepFunctions, world.sns, dynamoDb,
                new Restore.Settings(STATE_MACHINE, world.topic, LEASES), world.clock);
        claimedBy(EXECUTION);
        recorded(true, "RolledBack");
        JsonNode output = withoutLambda.handle(statusChange("failed.json"));
        assertEquals("ALREADY_HANDLED", output.path("action").asText());
        assertTrue(dynamoDb.items(LEASES).get("orders:live").get("released").bool(), "the claim is released");
    }

    @Test
    void anAliasSomeoneElseChangedIsLeftAsTheySetItAndThatIsReported() throws IOException {
        shiftTo(30);
        world.routeByHand("3", Map.of());
        recorded(true, null);
        JsonNode output = restore.handle(statusChange("aborted.json"));
        assertEquals("LEAVE_FOREIGN", output.path("action").asText());
        assertEquals("version 3 100%", world.alias().describe());
        assertEquals(List.of("Rollout stopped: orders:live 1 -> 2"), subjects());
        assertTrue(world.sns.outbox().get(0).message().contains("routes version 3 100%"));
    }

    @Test
    void aStopBeforePrepareRecordedAnythingMovedNothingButIsReported() throws IOException {
        recorded(false, null);
        JsonNode output = restore.handle(statusChange("aborted.json"));
        assertEquals("NOTHING_MOVED", output.path("action").asText());
        assertEquals("version 1 100%", world.alias().describe());
        assertEquals(List.of("Rollout stopped: orders:live version 2"), subjects());
    }

    @Test
    void aThrottledUpdateLeavesTheAliasAsItWasAndIsRetried() throws IOException {
        shiftTo(30);
        recorded(true, null);
        world.lambda.faults().failNext("UpdateAlias", 1, LambdaErrors::throttled);
        assertThrows(Throttled.class, () -> restore.handle(statusChange("aborted.json")));
        assertEquals("version 1 70%, version 2 30%", world.alias().describe());
        restore.handle(statusChange("aborted.json"));
        assertEquals("version 1 100%", world.alias().describe());
    }

    @Test
    void anUnreadableHistoryIsRetriedRatherThanGuessed() throws IOException {
        shiftTo(30);
        recorded(true, null);
        stepFunctions.faults().failNext("GetExecutionHistory", 1, StepFunctionsErrors::throttled);
        assertThrows(Throttled.class, () -> restore.handle(statusChange("aborted.json")));
        assertEquals("version 1 70%, version 2 30%", world.alias().describe());
    }

    @Test
    void restoringReleasesTheEndedRolloutsClaimOnTheAlias() throws IOException {
        claimedBy(EXECUTION);
        shiftTo(30);
        recorded(true, null);
        restore.handle(statusChange("aborted.json"));
        assertTrue(leases.find("orders:live").orElseThrow().released());
    }

    @Test
    void anAliasAnotherRunningRolloutClaimedSinceIsLeftToIt() throws IOException {
        claimedBy(EXECUTION);
        recorded(true, null);
        // The next rollout, still running (its history has no ending), took the claim over and promoted 1 -> 2.
        histories.put(NEXT, List.of(event(HistoryEventType.EXECUTION_STARTED).id(1L).executionStartedEventDetails(
                ExecutionStartedEventDetails.builder().input("{}").build()).build()));
        PreparedRollout rollout = Json.read(prepared, "rollout", PreparedRollout.class);
        leases.claim(AliasLease.of(rollout, NEXT, world.clock.instant()), world.clock.instant(), arn -> false);
        world.routeByHand("2", Map.of());
        JsonNode output = restore.handle(statusChange("aborted.json"));
        assertEquals("HELD_BY_ANOTHER", output.path("action").asText());
        assertEquals("version 2 100%", world.alias().describe());
        assertTrue(leases.find("orders:live").orElseThrow().heldBy(NEXT));
        assertTrue(world.sns.outbox().get(0).message().contains("rollout orders-live-3"));
    }

    @Test
    void anExecutionOfAnotherStateMachineIsNotTouched() throws IOException {
        shiftTo(30);
        ObjectNode event = statusChange("aborted.json");
        ((ObjectNode) event.get("detail")).put("stateMachineArn", STATE_MACHINE + "-other");
        assertEquals("SKIPPED", restore.handle(event).path("action").asText());
        assertEquals("version 1 70%, version 2 30%", world.alias().describe());
    }
}
