package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.rollout.aws.PendingApprovals;
import dev.rollout.aws.Targets;
import dev.rollout.domain.Approval;
import dev.rollout.domain.Decision;
import dev.rollout.domain.Reference;
import dev.rollout.local.LocalContext;
import dev.rollout.local.aws.DynamoDbErrors;
import dev.rollout.local.aws.StepFunctionsErrors;
import dev.rollout.local.aws.TaskAnswer;

/**
 * The approval rows of issue 8's fault matrix: a decision recorded is a decision delivered, exactly once, never
 * inverted, and never called "already decided" while Step Functions does not have it.
 */
class ExactlyOnceApprovalsTest {
    private final ApprovalWorld approvals = new ApprovalWorld();
    private final String token = approvals.awaitApproval();
    private final Sweep sweep = new Sweep(approvals.dynamoDb, approvals.sfn,
            new Targets(approvals.world.lambda, () -> null), approvals.world.sns, new Sweep.Settings(ApprovalWorld.TABLE,
                    ApprovalWorld.CONTROL_TABLE, ApprovalWorld.NOTICE_TABLE, new Restore.Settings(
                            "arn:aws:states:us-east-1:123456789012:stateMachine:rollout", approvals.world.topic,
                            ApprovalWorld.LEASE_TABLE)), approvals.world.clock);

    @Test
    void aRejectWhoseWriteResponseIsLostAndResentStillFailsTheTask() {
        approvals.dynamoDb.faults().loseNextResponses("UpdateItem", 1);

        APIGatewayProxyResponseEvent response = approvals.post(approvals.link("Reject"), "reject", "Bo", "p99 up");

        assertEquals(200, response.getStatusCode());
        assertTrue(response.getBody().contains("Rejected by Bo at 2026-11-22T10:05:00Z."), response.getBody());
        TaskAnswer.Failure failure = assertInstanceOf(TaskAnswer.Failure.class, onlyAnswer());
        assertEquals("Rollout.Rejected", failure.error());
        assertEquals("REJECTED", approvals.status());
        assertEquals("DELIVERED", approvals.item().get("delivery").s());
    }

    @Test
    void anApproveWhoseWriteResponseIsLostAndResentStillResumesTheRollout() {
        approvals.dynamoDb.faults().loseNextResponses("UpdateItem", 1);

        APIGatewayProxyResponseEvent response = approvals.post(approvals.link("Approve"), "approve", "Ana", "");

        assertEquals(200, response.getStatusCode());
        assertFalse(response.getBody().contains("already"), response.getBody());
        JsonNode output = assertInstanceOf(TaskAnswer.Success.class, onlyAnswer()).output();
        assertTrue(output.path("approved").asBoolean(), output.toString());
        assertEquals("DELIVERED", approvals.item().get("delivery").s());
    }

    @Test
    void aThrottledSendTaskSuccessWithTheTableFailingTooIsDeliveredByTheSweeper() {
        approvals.sfn.faults().failNext("SendTaskSuccess", 1, StepFunctionsErrors::throttled);

        APIGatewayProxyResponseEvent response = approvals.post(approvals.link("Approve"), "approve", "Ana", "");

        assertEquals(503, response.getStatusCode());
        assertFalse(response.getBody().contains("already"), response.getBody());
        assertTrue(approvals.tokens.isWaiting(token), "the rollout still waits");
        assertEquals("PENDING", approvals.item().get("delivery").s(), "the record says what Step Functions lacks");

        // The first sweep cannot read the table; the next one, five minutes later, delivers.
        approvals.world.pass(Duration.ofMinutes(5));
        approvals.dynamoDb.faults().failNext("Scan", 1, DynamoDbErrors::throttled);
        assertThrowsThrottled(sweep);
        approvals.world.pass(Duration.ofMinutes(5));
        JsonNode swept = sweep.sweep(context());

        assertEquals(1, swept.path("decisions").path("delivered").asInt(), swept.toString());
        assertInstanceOf(TaskAnswer.Success.class, onlyAnswer());
        assertEquals("DELIVERED", approvals.item().get("delivery").s());
        assertEquals(0, sweep.sweep(context()).path("decisions").path("delivered").asInt(), "delivered once");
    }

    @Test
    void aPageKilledBetweenTheWriteAndTheCallbackIsDeliveredByTheSweeperWithoutAnyoneComingBack() {
        recordWithoutDelivering(Decision.reject("Bo", "stop", approvals.world.clock.instant()));
        assertTrue(approvals.tokens.isWaiting(token));

        JsonNode swept = sweep.sweep(context());

        assertEquals(1, swept.path("decisions").path("delivered").asInt(), swept.toString());
        assertEquals("Rollout.Rejected", assertInstanceOf(TaskAnswer.Failure.class, onlyAnswer()).error());
        assertEquals("DELIVERED", approvals.item().get("delivery").s());
    }

    @Test
    void aPageKilledBetweenTheWriteAndTheCallbackIsDeliveredByTheNextVisitToo() {
        recordWithoutDelivering(Decision.approve("Ana", "", approvals.world.clock.instant()));

        APIGatewayProxyResponseEvent shown = approvals.get(approvals.link("Reject"));

        assertEquals(200, shown.getStatusCode());
        assertTrue(shown.getBody().contains("This rollout was already approved by Ana"), shown.getBody());
        assertInstanceOf(TaskAnswer.Success.class, onlyAnswer());
    }

    @Test
    void aRecordedRejectionIsNeverTurnedIntoAnApprovalByALaterContraryPost() {
        recordWithoutDelivering(Decision.reject("Bo", "", approvals.world.clock.instant()));

        APIGatewayProxyResponseEvent contrary = approvals.post(approvals.link("Approve"), "approve", "Ana", "");

        assertEquals(409, contrary.getStatusCode());
        assertEquals("Rollout.Rejected", assertInstanceOf(TaskAnswer.Failure.class, onlyAnswer()).error());
        assertEquals("REJECTED", approvals.status());
    }

    @Test
    void aDecisionWhoseTaskIsGoneIsRecordedExpiredByTheSweeper() {
        recordWithoutDelivering(Decision.approve("Ana", "", approvals.world.clock.instant()));
        approvals.tokens.timeOut(token);

        JsonNode swept = sweep.sweep(context());

        assertEquals(1, swept.path("decisions").path("expired").asInt(), swept.toString());
        assertEquals("EXPIRED", approvals.status());
        assertFalse(approvals.item().containsKey("delivery"));
        assertEquals(0, sweep.sweep(context()).path("decisions").path("expired").asInt(), "swept once");
    }

    @Test
    void twoDeliveriesAtOnceAreAvoidedAndADecisionDeliveredMeanwhileIsNeverExpired() {
        approvals.sfn.faults().failNext("SendTaskSuccess", 1, StepFunctionsErrors::throttled);
        approvals.post(approvals.link("Approve"), "approve", "Ana", "");

        // Within the first request's time, another visit and the sweeper leave the delivery to it.
        APIGatewayProxyResponseEvent meanwhile = approvals.get(approvals.link("Approve"));
        assertEquals(202, meanwhile.getStatusCode());
        assertTrue(meanwhile.getBody().contains("is being passed on to the rollout"), meanwhile.getBody());
        assertEquals(0, sweep.sweep(context()).path("decisions").path("delivered").asInt());
        assertTrue(approvals.tokens.isWaiting(token));

        approvals.world.pass(Duration.ofMinutes(5));
        assertEquals(1, sweep.sweep(context()).path("decisions").path("delivered").asInt());
        // A straggling attempt that finds the task closed leaves the delivered decision as it is.
        PendingApprovals table = new PendingApprovals(approvals.dynamoDb, ApprovalWorld.TABLE);
        Approval delivered = table.find(new Reference(approvals.item().get("reference").s())).orElseThrow();
        Approval stale = new Approval(delivered.reference(), delivered.taskToken(), delivered.executionArn(),
                delivered.rollout(), delivered.requestedAt(), delivered.expiresAt(), delivered.status(),
                delivered.decision(), delivered.closedAt(), false);
        DecisionDelivery.Outcome outcome = new DecisionDelivery(table, approvals.sfn).deliver(stale, approvals.world.clock.instant(),
                RolloutLog.of(context(), approvals.world.clock));
        assertInstanceOf(DecisionDelivery.Delivered.class, outcome);
        assertEquals("APPROVED", approvals.status());
        assertEquals("DELIVERED", approvals.item().get("delivery").s());
        assertInstanceOf(TaskAnswer.Success.class, onlyAnswer());
    }

    @Test
    void aDeliveryStillFailingIsLeftForTheNextSweepAndSaysSo() {
        recordWithoutDelivering(Decision.approve("Ana", "", approvals.world.clock.instant()));
        approvals.sfn.faults().failNext("SendTaskSuccess", 1, StepFunctionsErrors::throttled);

        JsonNode swept = sweep.sweep(context());

        assertEquals(1, swept.path("decisions").path("undelivered").asInt(), swept.toString());
        assertTrue(approvals.log.lines().stream().anyMatch(line -> line.contains("Sweep: decisions")
                && line.contains("stuck 1")), approvals.log.lines().toString());
        assertTrue(approvals.log.lines().stream().anyMatch(line -> line.contains("\"Namespace\":\"LambdaRollout\"")
                && line.contains("\"StuckRollouts\":1.0")), "the stuck count is a metric: " + approvals.log.lines());
        assertEquals(1, sweep.sweep(context()).path("decisions").path("delivered").asInt());
    }

    // ---- The approval's time-out (CloseApproval) ----

    private JsonNode closeAtTimeOut() {
        ObjectNode input = Json.object().put("executionId", ApprovalWorld.EXECUTION)
                .put("requestedAt", approvals.item().get("requestedAt").s());
        return new CloseApproval(approvals.dynamoDb, ApprovalWorld.TABLE, approvals.world.clock).handle(input);
    }

    @Test
    void aRequestNobodyDecidedIsClosedAtItsTimeOutAndALaterDecisionIsTurnedAway() {
        approvals.world.pass(Duration.ofHours(1));

        JsonNode closed = closeAtTimeOut();

        assertFalse(closed.path("decided").asBoolean(), closed.toString());
        assertEquals("EXPIRED", approvals.status());
        assertEquals(410, approvals.post(approvals.link("Reject"), "reject", "Bo", "late").getStatusCode());
        assertEquals(closed, closeAtTimeOut(), "closing again answers the same");
    }

    @Test
    void aRejectionRecordedInTimeButNeverDeliveredIsTheAnswerAtTheTimeOut() {
        recordWithoutDelivering(Decision.reject("Bo", "p99 up", approvals.world.clock.instant()));
        approvals.world.pass(Duration.ofHours(1));

        JsonNode closed = closeAtTimeOut();

        assertTrue(closed.path("decided").asBoolean(), closed.toString());
        assertFalse(closed.path("approved").asBoolean(), closed.toString());
        assertTrue(closed.path("cause").asText().startsWith("rejected by Bo at "), closed.toString());
        assertEquals("REJECTED", approvals.status());
        assertEquals("DELIVERED", approvals.item().get("delivery").s(), "the rollout acts on it: nothing redelivers it");
        assertEquals(0, sweep.sweep(context()).path("decisions").path("expired").asInt());
    }

    /** What a page killed right after its conditional write leaves behind: a decision recorded, nothing answered. */
    private void recordWithoutDelivering(Decision decision) {
        PendingApprovals table = new PendingApprovals(approvals.dynamoDb, ApprovalWorld.TABLE);
        Approval pending = table.find(new Reference(approvals.item().get("reference").s())).orElseThrow();
        table.decide(pending, decision);
        // Past the time the killed request could still have been delivering it.
        approvals.world.pass(Duration.ofMinutes(1));
    }

    private void assertThrowsThrottled(Sweep sweeper) {
        RuntimeException failed = assertThrows(RuntimeException.class,
                () -> sweeper.sweep(context()));
        assertInstanceOf(Rollout.Throttled.class, failed, failed.toString());
    }

    private LocalContext context() {
        return new LocalContext("Sweep", approvals.log);
    }

    private TaskAnswer onlyAnswer() {
        List<TaskAnswer> answers = approvals.sfn.answers();
        assertEquals(1, answers.size(), "expected one answer to the task, got " + answers);
        assertEquals(token, answers.get(0).taskToken(), "the answer must go to the approval's own token");
        return answers.get(0);
    }
}
