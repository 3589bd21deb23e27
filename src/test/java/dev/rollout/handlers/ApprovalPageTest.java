package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import dev.rollout.local.aws.DynamoDbErrors;
import dev.rollout.local.aws.StepFunctionsErrors;
import dev.rollout.local.aws.TaskAnswer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

class ApprovalPageTest {
    private final ApprovalWorld approvals = new ApprovalWorld();
    private final String token = approvals.awaitApproval();

    @Test
    void openingTheLinksShowsTheRolloutAndDecidesNothingHoweverOften() {
        for (int i = 0; i < 25; i++) {
            APIGatewayProxyResponseEvent approve = approvals.get(approvals.link("Approve"));
            assertEquals(200, approve.getStatusCode());
            assertTrue(approve.getBody().contains("You followed the <strong>Approve</strong> link"), approve.getBody());
            APIGatewayProxyResponseEvent reject = approvals.get(approvals.link("Reject"));
            assertTrue(reject.getBody().contains("You followed the <strong>Reject</strong> link"), reject.getBody());
            APIGatewayProxyResponseEvent head = approvals.head(approvals.link("Approve"));
            assertEquals(200, head.getStatusCode());
            assertEquals("", head.getBody(), "HEAD answers with headers only");
        }
        assertEquals(List.of(), approvals.sfn.answers(), "opening links must not answer the task");
        assertTrue(approvals.tokens.isWaiting(token));
        assertEquals("PENDING", approvals.status());
    }

    @Test
    void thePageShowsTheRolloutItsHealthAndAFormThatPostsToItself() {
        String page = approvals.get(approvals.link("Approve")).getBody();
        String reference = approvals.item().get("reference").s();
        for (String expected : new String[] {
                "<dt>Function</dt><dd>orders</dd>",
                "<dt>Alias</dt><dd>live</dd>",
                "<dt>Versions</dt><dd>version 1 &rarr; version 2</dd>",
                "<dt>Traffic</dt><dd>10% on version 2 while the rollout waits</dd>",
                "<li>orders-errors: OK since 2026-11-22T10:00:00Z</li>",
                "<dt>Expires</dt><dd>2026-11-22T11:05:00Z; unanswered, the rollout rolls back</dd>",
                "<form method=\"post\" action=\"" + reference + "\">",
                "<button type=\"submit\" name=\"action\" value=\"approve\" class=\"primary\">Approve</button>",
                "<button type=\"submit\" name=\"action\" value=\"reject\">Reject</button>"}) {
            assertTrue(page.contains(expected), () -> "expected " + expected + " in:\n" + page);
        }
    }

    @Test
    void approvingAnswersTheTaskWithWhoWhenAndWhy() {
        approvals.world.pass(Duration.ofMinutes(3));
        APIGatewayProxyResponseEvent response = approvals.post(approvals.link("Approve"), "approve", "Ana Lima",
                "checked the dashboards");

        assertEquals(200, response.getStatusCode());
        assertTrue(response.getBody().contains("Approved by Ana Lima at 2026-11-22T10:08:00Z."), response.getBody());
        TaskAnswer.Success success = assertInstanceOf(TaskAnswer.Success.class, onlyAnswer());
        JsonNode output = success.output();
        assertTrue(output.path("approved").asBoolean(), output.toString());
        assertEquals("Ana Lima", output.path("by").asText());
        assertEquals("checked the dashboards", output.path("comment").asText());
        assertEquals("2026-11-22T10:08:00Z", output.path("at").asText());
        assertEquals("APPROVED", approvals.status());
        assertEquals("Ana Lima", approvals.item().get("decider").s());
    }

    @Test
    void rejectingFailsTheTaskWithRolloutRejectedNamingWhoAndWhy() {
        APIGatewayProxyResponseEvent response = approvals.post(approvals.link("Reject"), "reject", "Bo",
                "latency is up");

        assertEquals(200, response.getStatusCode());
        assertTrue(response.getBody().contains("The rollout rolls back to version 1."), response.getBody());
        TaskAnswer.Failure failure = assertInstanceOf(TaskAnswer.Failure.class, onlyAnswer());
        assertEquals("Rollout.Rejected", failure.error());
        assertEquals("rejected by Bo at 2026-11-22T10:05:00Z: latency is up", failure.cause());
        assertEquals("REJECTED", approvals.status());
    }

    @Test
    void aDecisionWithoutANameSaysSo() {
        approvals.post(approvals.link("Approve"), "approve", "  ", "");

        JsonNode output = ((TaskAnswer.Success) onlyAnswer()).output();
        assertTrue(output.path("by").isNull(), output.toString());
        assertTrue(approvals.get(approvals.link("Approve")).getBody()
                .contains("already approved by someone who gave no name"));
    }

    @Test
    void anAlteredOrTruncatedLinkIsNotValid() {
        String approve = approvals.link("Approve");
        String reference = approvals.item().get("reference").s();
        char last = reference.charAt(reference.length() - 1);
        String altered = approve.replace(reference, reference.substring(0, 42) + (last == 'A' ? 'B' : 'A'));
        String truncated = approve.replace(reference, reference.substring(0, 30));

        for (String link : List.of(altered, truncated, approve.replace(reference, reference + "%3Cx%3E"))) {
            APIGatewayProxyResponseEvent shown = approvals.get(link);
            assertEquals(404, shown.getStatusCode(), link);
            assertTrue(shown.getBody().contains("This approval link is not valid"), shown.getBody());
            assertTrue(shown.getBody().contains("altered or cut short"), shown.getBody());
            assertEquals(404, approvals.post(link, "approve", "Mallory", "").getStatusCode(), link);
        }
        assertEquals(List.of(), approvals.sfn.answers());
    }

    @Test
    void anExpiredRequestSaysWhenItExpiredAndCannotBeDecided() {
        approvals.world.pass(Duration.ofHours(1));
        approvals.tokens.timeOut(token);

        APIGatewayProxyResponseEvent shown = approvals.get(approvals.link("Approve"));
        assertEquals(410, shown.getStatusCode());
        assertTrue(shown.getBody().contains("This approval request expired at 2026-11-22T11:05:00Z."), shown.getBody());
        assertEquals("PENDING", approvals.status(), "GET never writes");

        APIGatewayProxyResponseEvent posted = approvals.post(approvals.link("Approve"), "approve", "Ana", "");
        assertEquals(410, posted.getStatusCode());
        assertEquals(List.of(), approvals.sfn.answers());
        assertEquals("EXPIRED", approvals.status(), "a POST records what it found");
    }

    @Test
    void whenStepFunctionsNoLongerWaitsTheDecisionIsDroppedAndTheRequestExpires() {
        // The execution was stopped by hand while the request was still open.
        approvals.tokens.timeOut(token);

        APIGatewayProxyResponseEvent posted = approvals.post(approvals.link("Approve"), "approve", "Ana", "");

        assertEquals(410, posted.getStatusCode());
        assertTrue(posted.getBody().contains("Step Functions stopped waiting for this approval at 2026-11-22T10:05:00Z"),
                posted.getBody());
        assertEquals("EXPIRED", approvals.status());
        assertFalse(approvals.item().containsKey("decider"), "a refused decision is not kept");
        assertEquals(410, approvals.get(approvals.link("Approve")).getStatusCode());
    }

    @Test
    void aReplayedDecisionIsAnsweredWithTheFirst() {
        approvals.post(approvals.link("Approve"), "approve", "Ana", "ship it");
        approvals.world.pass(Duration.ofMinutes(1));

        APIGatewayProxyResponseEvent replayed = approvals.post(approvals.link("Approve"), "approve", "Ana", "ship it");

        assertEquals(200, replayed.getStatusCode());
        assertTrue(replayed.getBody().contains("This rollout was already approved by Ana at 2026-11-22T10:05:00Z."),
                replayed.getBody());
        assertEquals(1, approvals.sfn.answers().size(), "the task is answered once");
    }

    @Test
    void aContraryDecisionAfterwardsIsTurnedAwayWithTheFirst() {
        approvals.post(approvals.link("Approve"), "approve", "Ana", "ship it");

        APIGatewayProxyResponseEvent contrary = approvals.post(approvals.link("Reject"), "reject", "Bo", "wait");

        assertEquals(409, contrary.getStatusCode());
        assertTrue(contrary.getBody().contains("This rollout was already approved by Ana at 2026-11-22T10:05:00Z."),
                contrary.getBody());
        assertTrue(contrary.getBody().contains("Your reject was not recorded."), contrary.getBody());
        assertTrue(contrary.getBody().contains("<q>ship it</q>"), contrary.getBody());
        assertEquals(1, approvals.sfn.answers().size());
        assertEquals("APPROVED", approvals.status());
    }

    @Test
    void openingALinkAfterTheDecisionShowsWhoDecidedAndWhen() {
        approvals.post(approvals.link("Reject"), "reject", "Bo", "");

        APIGatewayProxyResponseEvent shown = approvals.get(approvals.link("Approve"));

        assertEquals(200, shown.getStatusCode());
        assertTrue(shown.getBody().contains("This rollout was already rejected by Bo at 2026-11-22T10:05:00Z."),
                shown.getBody());
        assertFalse(shown.getBody().contains("<form"), "a decided request offers no form");
    }

    @Test
    void twoPeopleDecidingAtOnceDecideOnce() throws Exception {
        // Both read the pending approval before either writes: the conditional write lets one through.
        BarrierDynamoDb racing = new BarrierDynamoDb(approvals.dynamoDb, 2);
        ApprovalPage page = new ApprovalPage(racing, ApprovalWorld.TABLE, approvals.sfn, approvals.world.clock);
        String approve = approvals.link("Approve");
        String reject = approvals.link("Reject");
        ExecutorService people = Executors.newFixedThreadPool(2);
        List<APIGatewayProxyResponseEvent> responses;
        try {
            Future<APIGatewayProxyResponseEvent> ana = people.submit(() -> approvals.post(page, approve, "approve",
                    "Ana", ""));
            Future<APIGatewayProxyResponseEvent> bo = people.submit(() -> approvals.post(page, reject, "reject",
                    "Bo", ""));
            responses = List.of(ana.get(30, TimeUnit.SECONDS), bo.get(30, TimeUnit.SECONDS));
        } finally {
            people.shutdownNow();
        }

        assertEquals(1, approvals.sfn.answers().size(), "exactly one decision reaches Step Functions");
        String winner = approvals.status().equals("APPROVED") ? "Ana" : "Bo";
        List<Integer> statuses = new ArrayList<>();
        responses.forEach(response -> statuses.add(response.getStatusCode()));
        assertTrue(statuses.containsAll(List.of(200, 409)), statuses.toString());
        for (APIGatewayProxyResponseEvent response : responses) {
            assertTrue(response.getBody().contains(" by " + winner + " at "), response.getBody());
        }
    }

    @Test
    void aStepFunctionsHiccupKeepsTheDecisionAndTheNextVisitDeliversIt() {
        approvals.sfn.faults().failNext("SendTaskSuccess", 1, StepFunctionsErrors::throttled);

        APIGatewayProxyResponseEvent first = approvals.post(approvals.link("Approve"), "approve", "Ana", "");

        assertEquals(503, first.getStatusCode());
        assertTrue(first.getBody().contains("Approved by Ana at 2026-11-22T10:05:00Z is recorded, but the rollout"
                + " has not received it yet."), first.getBody());
        assertFalse(first.getBody().contains("already"), "an undelivered decision is never called already made");
        assertEquals("APPROVED", approvals.status());
        assertEquals("PENDING", approvals.item().get("delivery").s());
        assertTrue(approvals.tokens.isWaiting(token));

        approvals.world.pass(Duration.ofMinutes(1));
        APIGatewayProxyResponseEvent second = approvals.get(approvals.link("Approve"));
        assertEquals(200, second.getStatusCode());
        assertTrue(second.getBody().contains("This rollout was already approved by Ana"), second.getBody());
        assertInstanceOf(TaskAnswer.Success.class, onlyAnswer());
        assertEquals("DELIVERED", approvals.item().get("delivery").s());
    }

    @Test
    void aRefusalThatRetryingWillNotFixSaysSoAndKeepsTheDecisionForRedelivery() {
        approvals.sfn.faults().failNext("SendTaskFailure", 1, () -> (SfnException) SfnException.builder()
                .message("User is not authorized to perform: states:SendTaskFailure").statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build())
                .build());

        APIGatewayProxyResponseEvent response = approvals.post(approvals.link("Reject"), "reject", "Bo", "");

        assertEquals(502, response.getStatusCode());
        assertTrue(response.getBody().contains("Step Functions refused it"), response.getBody());
        assertEquals("REJECTED", approvals.status());
        assertTrue(approvals.tokens.isWaiting(token));

        // Someone approving later does not turn the rejection around: the rejection is what gets delivered.
        approvals.world.pass(Duration.ofMinutes(1));
        APIGatewayProxyResponseEvent contrary = approvals.post(approvals.link("Approve"), "approve", "Ana", "");
        assertEquals(409, contrary.getStatusCode());
        assertTrue(contrary.getBody().contains("Your approve was not recorded."), contrary.getBody());
        assertEquals("Rollout.Rejected", assertInstanceOf(TaskAnswer.Failure.class, onlyAnswer()).error());
    }

    @Test
    void anUnreachableTableGivesATryAgainPage() {
        approvals.dynamoDb.faults().failNext("GetItem", 1, DynamoDbErrors::throttled);

        APIGatewayProxyResponseEvent response = approvals.get(approvals.link("Approve"));

        assertEquals(503, response.getStatusCode());
        assertFalse(response.getBody().contains("Exception"), "no stack trace or exception name on a page");
    }

    @Test
    void aNameTooLongShowsTheFormAgainWithWhatWasTyped() {
        String name = "N".repeat(101);

        APIGatewayProxyResponseEvent response = approvals.post(approvals.link("Approve"), "approve", name, "my note");

        assertEquals(400, response.getStatusCode());
        assertTrue(response.getBody().contains("The name is longer than 100 characters."), response.getBody());
        assertTrue(response.getBody().contains(">my note</textarea>"), response.getBody());
        assertEquals(List.of(), approvals.sfn.answers());
    }

    @Test
    void aFormWithoutAnActionDecidesNothing() {
        APIGatewayProxyResponseEvent response = approvals.post(approvals.link("Approve"), "maybe", "Ana", "");

        assertEquals(400, response.getStatusCode());
        assertEquals(List.of(), approvals.sfn.answers());
        assertEquals("PENDING", approvals.status());
    }

    @Test
    void whatPeopleTypeIsEscapedOnThePage() {
        approvals.post(approvals.link("Approve"), "approve", "<b>Ana</b>", "<script>alert(1)</script>");

        String page = approvals.get(approvals.link("Approve")).getBody();

        assertTrue(page.contains("already approved by &lt;b&gt;Ana&lt;/b&gt;"), page);
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), page);
        assertFalse(page.contains("<script>"), page);
        assertFalse(page.contains("<b>Ana"), page);
    }

    @Test
    void pagesKeepTheLinkOutOfCachesRefererHeadersAndFrames() {
        APIGatewayProxyResponseEvent response = approvals.get(approvals.link("Approve"));

        assertEquals("no-store", response.getHeaders().get("Cache-Control"));
        assertEquals("no-referrer", response.getHeaders().get("Referrer-Policy"));
        assertTrue(response.getHeaders().get("Content-Security-Policy").contains("frame-ancestors 'none'"));
        assertEquals("text/html; charset=utf-8", response.getHeaders().get("Content-Type"));
    }

    @Test
    void otherMethodsAreRefused() {
        APIGatewayProxyResponseEvent response = approvals.send("PUT", approvals.link("Approve"), "");

        assertEquals(405, response.getStatusCode());
        assertEquals("GET, HEAD, POST", response.getHeaders().get("Allow"));
    }

    @Test
    void theTokenAppearsInNoLinkPageHeaderOrLogLine() {
        List<APIGatewayProxyResponseEvent> responses = new ArrayList<>();
        responses.add(approvals.get(approvals.link("Approve")));
        responses.add(approvals.head(approvals.link("Reject")));
        // AWS validation errors quote the values they refuse: this one quotes the token.
        approvals.sfn.faults().failNext("SendTaskSuccess", 1, () -> ValidationException.builder()
                .message("1 validation error detected: Value '" + token + "' at 'taskToken' failed to satisfy"
                        + " constraint: Member must have length less than or equal to 1024")
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").build())
                .build());
        responses.add(approvals.post(approvals.link("Approve"), "approve", "Ana", ""));
        responses.add(approvals.post(approvals.link("Approve"), "approve", "Ana", ""));
        responses.add(approvals.post(approvals.link("Reject"), "reject", "Bo", ""));
        responses.add(approvals.get(approvals.link("Approve")));

        List<String> seen = new ArrayList<>(List.of(approvals.email().message(), approvals.email().subject()));
        for (APIGatewayProxyResponseEvent response : responses) {
            seen.add(response.getBody());
            seen.add(response.getHeaders().toString());
        }
        seen.addAll(approvals.log.lines());
        String reference = approvals.item().get("reference").s();
        for (String text : seen) {
            assertFalse(text.contains(token), () -> "the task token leaked into: " + text);
        }
        for (String line : approvals.log.lines()) {
            assertFalse(line.contains(reference), () -> "a log line holds the whole reference: " + line);
        }
        assertTrue(approvals.log.lines().stream().anyMatch(line -> line.contains("approved by Ana")),
                "decisions are logged: " + approvals.log.lines());
        assertTrue(approvals.log.lines().stream().anyMatch(line -> line.contains("is recorded but not delivered")),
                "the undelivered decision is logged: " + approvals.log.lines());
    }

    private TaskAnswer onlyAnswer() {
        List<TaskAnswer> answers = approvals.sfn.answers();
        assertEquals(1, answers.size(), "expected one answer to the task, got " + answers);
        assertEquals(token, answers.get(0).taskToken(), "the answer must go to the approval's own token");
        return answers.get(0);
    }
}
