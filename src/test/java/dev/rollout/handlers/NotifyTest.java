package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import dev.rollout.aws.RolloutControls;
import dev.rollout.aws.UnsentNotices;
import dev.rollout.domain.ApprovalLinks;
import dev.rollout.domain.ControlLink;
import dev.rollout.domain.Reference;
import dev.rollout.local.aws.PublishedMessage;
import dev.rollout.local.aws.SnsErrors;

class NotifyTest {
    private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:Rollout:orders-live-v2";
    private final World world = new World();
    private final Notify notify;

    NotifyTest() {
        notify = new Notify(world.sns, world.topic, world.dynamoDb, new Notify.Tables(World.CONTROLS, World.NOTICES),
                new ApprovalLinks("https://abc123.execute-api.us-east-1.amazonaws.com/v1"), world.clock);
    }

    @Test
    void aStartedNoticeCarriesAbortAndPromoteLinksThatLeadToTheExecutionThroughAnOpaqueReference() {
        ObjectNode input = Json.object();
        input.put("phase", "STARTED");
        input.set("rollout", world.prepared().get("rollout"));
        input.put("executionId", EXECUTION);
        JsonNode output = notify.handle(input);
        String message = world.sns.outbox(world.topic).get(0).message();
        Matcher abort = Pattern.compile("Abort, roll back now: +(\\S+)/controls/([A-Za-z0-9_-]{43})\\?action=abort")
                .matcher(message);
        assertTrue(abort.find(), message);
        assertTrue(message.contains(abort.group(1) + "/controls/" + abort.group(2) + "?action=promote"), message);
        assertEquals("https://abc123.execute-api.us-east-1.amazonaws.com/v1", abort.group(1));
        ControlLink link = new RolloutControls(world.dynamoDb, World.CONTROLS).find(new Reference(abort.group(2)))
                .orElseThrow();
        assertEquals(EXECUTION, link.executionArn());
        assertEquals("orders:live 1 -> 2", link.title());
        assertFalse(output.toString().contains(abort.group(2)), "the reference stays out of the history: " + output);
    }

    @Test
    void aStartedNoticeWhoseLinksCannotBeStoredStillGoesOutAndSaysSo() {
        Notify withoutTable = new Notify(world.sns, world.topic, world.dynamoDb,
                new Notify.Tables("no-such-table", World.NOTICES),
                new ApprovalLinks("https://abc123.execute-api.us-east-1.amazonaws.com/v1"), world.clock);
        ObjectNode input = Json.object();
        input.put("phase", "STARTED");
        input.set("rollout", world.prepared().get("rollout"));
        input.put("executionId", EXECUTION);
        withoutTable.handle(input);
        String message = world.sns.outbox(world.topic).get(0).message();
        assertTrue(message.contains("Controls:  unavailable"), message);
        assertFalse(message.contains("/controls/"), message);
    }

    @Test
    void announcesAPromotionWithVersionsAndTheExecutionLink() {
        ObjectNode input = Json.object();
        input.put("phase", "PROMOTED");
        input.set("rollout", world.prepared().get("rollout"));
        input.put("executionId", EXECUTION);
        notify.handle(input);
        List<PublishedMessage> outbox = world.sns.outbox(world.topic);
        assertEquals(1, outbox.size());
        assertEquals("Rollout promoted: orders:live 1 -> 2", outbox.get(0).subject());
        assertTrue(outbox.get(0).message().contains("details/" + EXECUTION), outbox.get(0).message());
    }

    @Test
    void anEndingSnsRefusesIsKeptForTheSweeperAndStillFailsSoStepFunctionsRetriesIt() {
        ObjectNode input = Json.object();
        input.put("phase", "PROMOTED");
        input.set("rollout", world.prepared().get("rollout"));
        input.put("executionId", EXECUTION);
        world.sns.faults().failNext("Publish", 1, SnsErrors::internalError);
        assertThrows(Rollout.Transient.class, () -> notify.handle(input));
        UnsentNotices kept = new UnsentNotices(world.dynamoDb, World.NOTICES);
        assertEquals(List.of("Rollout promoted: orders:live 1 -> 2"), kept.unsent().stream()
                .map(unsent -> unsent.notice().subject()).toList());

        input.put("retryCount", 1);
        notify.handle(input);
        assertEquals(List.of(), kept.unsent(), "the retry published it: nothing left for the sweeper");
        assertEquals(1, world.sns.outbox(world.topic).size());
    }

    @Test
    void aStartedNoticeSnsRefusesIsNotKept() {
        ObjectNode input = Json.object();
        input.put("phase", "STARTED");
        input.set("rollout", world.prepared().get("rollout"));
        input.put("executionId", EXECUTION);
        world.sns.faults().failNext("Publish", 1, SnsErrors::internalError);
        assertThrows(Rollout.Transient.class, () -> notify.handle(input));
        assertEquals(List.of(), new UnsentNotices(world.dynamoDb, World.NOTICES).unsent(),
                "published after the rollout ended, a started notice would mislead");
    }

    @Test
    void aFailedRollbackSnsRefusesIsNotKeptBecauseRestoreTellsHowItLeftTheTarget() {
        ObjectNode input = Json.object();
        input.put("phase", "ROLLBACK_FAILED");
        input.set("rollout", world.prepared().get("rollout"));
        input.put("executionId", EXECUTION);
        world.sns.faults().failNext("Publish", 1, SnsErrors::internalError);
        assertThrows(Rollout.Transient.class, () -> notify.handle(input));
        assertEquals(List.of(), new UnsentNotices(world.dynamoDb, World.NOTICES).unsent(),
                "published after Restore's notice, it would contradict it");
    }

    @Test
    void aRefusalNamesWhatTheRequestAskedForAndWhy() {
        ObjectNode input = Json.object();
        input.put("phase", "REFUSED");
        input.set("request", World.request("Fast"));
        input.putObject("failure").put("Error", "Rollout.InvalidInput")
                .put("Cause", "{\"errorMessage\":\"Invalid rollout input: strategy: unknown strategy\","
                        + "\"errorType\":\"Rollout.InvalidInput\"}");
        input.put("executionId", EXECUTION);
        JsonNode output = notify.handle(input);
        assertEquals("Invalid rollout input: strategy: unknown strategy", output.path("reason").asText());
        PublishedMessage message = world.sns.outbox(world.topic).get(0);
        assertEquals("Rollout refused: orders:live version 2", message.subject());
        assertTrue(message.message().contains("Error:     Rollout.InvalidInput"), message.message());
    }

    @Test
    void aRefusalOfARequestWithoutAUsableFunctionNameIsStillDelivered() {
        ObjectNode input = Json.object();
        input.put("phase", "REFUSED");
        input.set("request", Json.object().put("functionName", "").put("alias", ""));
        input.putObject("failure").put("Error", "Rollout.InvalidInput").put("Cause", "functionName: is required");
        input.put("executionId", EXECUTION);
        notify.handle(input);
        assertEquals("Rollout refused: (no functionName):live version ?", world.sns.outbox(world.topic).get(0).subject());
    }

    @Test
    void aRefusalOfAnAppSpecNamesTheFunctionAliasAndVersionItHolds() {
        ObjectNode input = Json.object();
        input.put("phase", "REFUSED");
        input.set("request", Json.object().put("strategy", "AllAtOnce").put("appSpec", "version: 0.0\nResources:"
                + " [{orders: {Type: AWS::Lambda::Function, Properties: {Name: orders, Alias: blue,"
                + " CurrentVersion: 3, TargetVersion: 4}}}]"));
        input.putObject("failure").put("Error", "Rollout.Conflict").put("Cause", "currentVersion is 3, but ...");
        input.put("executionId", EXECUTION);
        notify.handle(input);
        assertEquals("Rollout refused: orders:blue version 4", world.sns.outbox(world.topic).get(0).subject());
    }
}
