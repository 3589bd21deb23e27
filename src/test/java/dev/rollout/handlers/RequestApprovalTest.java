package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.rollout.local.aws.PublishedMessage;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class RequestApprovalTest {
    private final ApprovalWorld approvals = new ApprovalWorld();

    @Test
    void theEmailSaysWhatIsRolledOutHowFarHowHealthyAndUntilWhen() {
        approvals.awaitApproval();
        PublishedMessage email = approvals.email();
        String body = email.message();

        assertEquals("Approval needed: orders:live 1 -> 2 at 10%", email.subject());
        for (String line : new String[] {
                "Function:  orders",
                "Alias:     live",
                "From:      version 1",
                "To:        version 2",
                "Strategy:  Canary10Percent5Minutes",
                "Traffic:   10% on version 2 while it waits",
                "Comment:   CHG-1234 faster checkout",
                "Health:    Every watched alarm stayed out of ALARM from 2026-11-22T10:00:00Z until 2026-11-22T10:05:00Z.",
                "           orders-errors: OK since 2026-11-22T10:00:00Z",
                "Expires:   2026-11-22T11:05:00Z; unanswered by then, the rollout rolls back",
                "Execution: https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/"
                        + ApprovalWorld.EXECUTION}) {
            assertTrue(body.contains(line + "\n"), () -> "expected the line \"" + line + "\" in:\n" + body);
        }
        assertEquals("AWAITING_APPROVAL", email.messageAttributes().get("phase").stringValue());
    }

    @Test
    void theLinksCarryARandomReferenceAndTheActionButNeverTheToken() {
        String token = approvals.awaitApproval();
        String approve = approvals.link("Approve");
        String reject = approvals.link("Reject");
        String reference = approvals.item().get("reference").s();

        assertEquals(ApprovalWorld.APPROVAL_URL + "/approvals/" + reference + "?action=approve", approve);
        assertEquals(ApprovalWorld.APPROVAL_URL + "/approvals/" + reference + "?action=reject", reject);
        assertEquals(43, reference.length(), "256 random bits in base64url");
        assertFalse(approvals.email().message().contains(token), "the task token must not be in the e-mail");
        assertFalse(String.join("\n", approvals.log.lines()).contains(token), "the task token must not be logged");
        assertFalse(String.join("\n", approvals.log.lines()).contains(reference), "the reference must not be logged");
    }

    @Test
    void storesThePendingApprovalWithItsTokenAndATtlPastItsExpiry() {
        String token = approvals.awaitApproval();
        Map<String, AttributeValue> item = approvals.item();

        assertEquals("PENDING", item.get("status").s());
        assertEquals(token, item.get("taskToken").s());
        assertEquals(ApprovalWorld.EXECUTION, item.get("executionArn").s());
        assertEquals("2026-11-22T11:05:00Z", item.get("expiresAt").s());
        assertEquals(Instant.parse("2026-11-22T11:05:00Z").plus(Duration.ofDays(30)).getEpochSecond(),
                Long.parseLong(item.get("purgeAt").n()));
    }

    @Test
    void theTimeoutCountsFromWhenTheStateWasEnteredNotFromWhenTheFunctionRan() {
        ObjectNode input = approvals.requestInput(approvals.tokens.issue());
        input.put("requestedAt", "2026-11-22T09:59:30Z");
        approvals.requestApproval(ApprovalWorld.APPROVAL_URL).handle(input);

        assertEquals("2026-11-22T10:59:30Z", approvals.item().get("expiresAt").s());
    }

    @Test
    void refusesAStepIndexThatIsNotAnApprovalStep() {
        ObjectNode input = approvals.requestInput(approvals.tokens.issue());
        input.put("stepIndex", 0);
        Rollout.MalformedTaskInput refused = assertThrows(Rollout.MalformedTaskInput.class,
                () -> approvals.requestApproval(ApprovalWorld.APPROVAL_URL).handle(input));
        assertTrue(refused.getMessage().contains("must point at an Approval step"), refused.getMessage());
        assertTrue(approvals.dynamoDb.items(ApprovalWorld.TABLE).isEmpty(), "nothing may be stored");
        assertTrue(approvals.world.sns.outbox().isEmpty(), "nothing may be sent");
    }
}
