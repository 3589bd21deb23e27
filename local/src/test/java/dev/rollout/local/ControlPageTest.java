package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.aws.RolloutControls;
import dev.rollout.domain.Control;
import dev.rollout.handlers.ControlPage;
import dev.rollout.handlers.FormUrlEncoding;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.aws.PublishedMessage;
import dev.rollout.local.time.VirtualClock;

/**
 * The control page on the local runtime, as API Gateway invokes it: the started notice's links from the outbox, the
 * real state machine waiting in a 30-minute bake, and the page's answers to each kind of request.
 */
class ControlPageTest {
    private static final Path ROOT = ProjectRoot.path();
    private static final Pattern ABORT = Pattern.compile("(?m)^Abort, roll back now: +(\\S+)/controls/(\\S+)\\?action=abort$");

    private final LocalAws aws = LocalAws.create(new VirtualClock(Instant.parse("2026-11-22T10:00:00Z")), null);
    private final LocalRuntime runtime;
    private final ControlPage page;
    private final ExecutionHandle execution;
    private final String reference;

    ControlPageTest() throws Exception {
        aws.lambda().addFunction("orders");
        aws.lambda().publishNewVersion("orders");
        aws.lambda().publishNewVersion("orders");
        aws.lambda().createAlias(request -> request.functionName("orders").name("live").functionVersion("1"));
        runtime = LocalRuntime.load(ROOT, aws);
        page = runtime.controlPage();
        ObjectNode input = Json.object();
        input.put("functionName", "orders").put("targetVersion", "2").put("strategy", "Canary10Percent30Minutes");
        execution = runtime.start("orders-2", input);
        aws.clock().runUntil(() -> execution.history().stream()
                .anyMatch(event -> event.type().name().equals("TASK_SUBMITTED")));
        boolean[] threeMinutesIn = {false};
        aws.clock().after(Duration.ofMinutes(3), () -> threeMinutesIn[0] = true);
        aws.clock().runUntil(() -> threeMinutesIn[0]);
        List<PublishedMessage> notices = aws.sns().outbox(aws.topicArn());
        Matcher link = ABORT.matcher(notices.get(0).message());
        assertTrue(link.find(), notices.get(0).message());
        assertEquals(LocalAws.DEFAULT_APPROVAL_URL, link.group(1));
        reference = link.group(2);
    }

    private APIGatewayProxyResponseEvent request(String method, String ref, Map<String, String> query, String body) {
        return page.handleRequest(new APIGatewayProxyRequestEvent()
                .withHttpMethod(method)
                .withPath("/controls/" + ref)
                .withPathParameters(Map.of("reference", ref))
                .withQueryStringParameters(query)
                .withBody(body), new LocalContext("ControlPage", LocalContext.logger(line -> { })));
    }

    private APIGatewayProxyResponseEvent post(String action, String name, String reason) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("action", action);
        fields.put("name", name);
        fields.put("reason", reason);
        return request("POST", reference, null, FormUrlEncoding.encode(fields));
    }

    private RolloutControls.State state() {
        return new RolloutControls(aws.dynamoDb(), aws.controlTable()).read(execution.executionArn());
    }

    @Test
    void openingALinkAnyNumberOfTimesDecidesNothing() {
        for (int i = 0; i < 3; i++) {
            APIGatewayProxyResponseEvent shown = request("GET", reference, Map.of("action", "abort"), null);
            assertEquals(200, shown.getStatusCode());
            assertTrue(shown.getBody().contains("You followed the <strong>Abort</strong> link. Nothing is decided"),
                    shown.getBody());
            assertEquals(200, request("HEAD", reference, Map.of("action", "promote"), null).getStatusCode());
        }
        assertTrue(state().decision().isEmpty());
        runtime.runToEnd(execution);
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), "the bake ran its 30 minutes and promoted");
        assertTrue(aws.clock().instant().isAfter(Instant.parse("2026-11-22T10:30:00Z")), aws.clock().instant().toString());
    }

    @Test
    void thePageShowsNeitherTheTaskTokenNorTheReferenceOfAnotherRollout() {
        String body = request("GET", reference, null, null).getBody();
        String token = state().waiting().orElseThrow().value();
        assertFalse(body.contains(token), "the task token stays in the table");
        assertTrue(body.contains("<form method=\"post\" action=\"" + reference + "\">"), body);
        assertEquals("no-store", request("GET", reference, null, null).getHeaders().get("Cache-Control"));
    }

    @Test
    void aPostDecidesOnceAndTheRolloutRollsBackAtOnce() {
        APIGatewayProxyResponseEvent aborted = post("abort", "Ana", "errors in checkout");
        assertEquals(200, aborted.getStatusCode(), aborted.getBody());
        assertTrue(state().delivered());
        assertEquals(Control.Kind.ABORT, state().decision().orElseThrow().kind());
        runtime.runToEnd(execution);
        assertEquals("Rollout.Aborted", execution.error().orElse(""));
        assertEquals("aborted by Ana at 2026-11-22T10:03:00Z: errors in checkout", execution.cause().orElse(""));
        assertEquals(Instant.parse("2026-11-22T10:03:00Z"), execution.stopDate().orElseThrow());
    }

    @Test
    void aSecondDecisionIsTurnedAwayNamingTheFirst() {
        post("promote", "Ana", "ship it");
        APIGatewayProxyResponseEvent contrary = post("abort", "Bo", "wait");
        APIGatewayProxyResponseEvent same = post("promote", "Bo", "me too");
        assertEquals(409, contrary.getStatusCode());
        assertTrue(contrary.getBody().contains("already promoted now by Ana"), contrary.getBody());
        assertEquals(200, same.getStatusCode());
        assertEquals("Ana", state().decision().orElseThrow().by());
        runtime.runToEnd(execution);
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status());
    }

    @Test
    void aFormWithoutNameOrReasonIsAskedAgainAndDecidesNothing() {
        APIGatewayProxyResponseEvent noName = post("abort", "", "errors");
        APIGatewayProxyResponseEvent noReason = post("abort", "Ana", " ");
        assertEquals(400, noName.getStatusCode());
        assertTrue(noName.getBody().contains("Give your name"), noName.getBody());
        assertEquals(400, noReason.getStatusCode());
        assertTrue(noReason.getBody().contains("Give a reason"), noReason.getBody());
        assertTrue(state().decision().isEmpty());
    }

    @Test
    void anAlteredLinkAndAFormWithoutAButtonDecideNothing() {
        assertEquals(404, request("GET", reference.substring(1) + "A", null, null).getStatusCode());
        assertEquals(404, request("GET", "short", null, null).getStatusCode());
        assertEquals(400, request("POST", reference, null, "name=Ana&reason=x").getStatusCode());
        assertEquals(405, request("DELETE", reference, null, null).getStatusCode());
        assertTrue(state().decision().isEmpty());
    }

    @Test
    void aLinkOfARolloutThatHasEndedDecidesNothing() {
        runtime.runToEnd(execution);
        APIGatewayProxyResponseEvent late = post("abort", "Ana", "too late");
        assertEquals(410, late.getStatusCode());
        assertTrue(late.getBody().contains("This rollout has ended (SUCCEEDED)"), late.getBody());
        assertEquals(410, request("GET", reference, null, null).getStatusCode());
        assertTrue(state().decision().isEmpty());
    }

    @Test
    void theSameDecisionRecordedTwiceIsOneRecording() {
        RolloutControls controls = new RolloutControls(aws.dynamoDb(), aws.controlTable());
        Control control = new Control(Control.Kind.ABORT, "Ana", "errors", aws.clock().instant());
        Instant purge = aws.clock().instant().plus(Duration.ofDays(400));
        RolloutControls.State first = controls.decide(execution.executionArn(), control, purge);
        // The SDK re-sends a write whose response was lost: the re-sent write finds its own decision.
        RolloutControls.State again = controls.decide(execution.executionArn(), control, purge);
        assertEquals(first.decision(), again.decision());
        assertTrue(again.waiting().isPresent(), "the bake's token, to deliver to");
    }

    @Test
    void aDecisionRecordedButNeverDeliveredIsDeliveredByTheSweeper() {
        // The page's function was killed between its write and SendTaskFailure: only the record exists.
        new RolloutControls(aws.dynamoDb(), aws.controlTable()).decide(execution.executionArn(),
                new Control(Control.Kind.ABORT, "Ana", "errors", aws.clock().instant()),
                aws.clock().instant().plus(Duration.ofDays(400)));
        assertEquals(ExecutionStatus.RUNNING, execution.status());

        JsonNode swept = runtime.sweeper()
                .sweep(new LocalContext("Sweep", LocalContext.logger(line -> { })));

        assertEquals(1, swept.at("/controls/delivered").asInt(), swept.toString());
        assertEquals(0, swept.path("stuck").asInt(), swept.toString());
        assertTrue(state().delivered());
        runtime.runToEnd(execution);
        assertEquals("Rollout.Aborted", execution.error().orElse(""));
    }

    @Test
    void theLocalServerServesTheControlPageBesideTheApprovalPage() throws Exception {
        try (ApprovalServer server = ApprovalServer.start(runtime.approvalPage(), Optional.of(page), 0,
                LocalContext.logger(line -> { }))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> shown = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/controls/"
                    + reference + "?action=promote")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, shown.statusCode());
            assertTrue(shown.body().contains("You followed the <strong>Promote now</strong> link"), shown.body());
            HttpResponse<String> decided = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/controls/"
                    + reference)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("action=promote&name=Ana&reason=ship+it")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, decided.statusCode(), decided.body());
        }
        runtime.runToEnd(execution);
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status());
        assertEquals(Instant.parse("2026-11-22T10:03:00Z"), execution.stopDate().orElseThrow());
    }

    @Test
    void aDecisionTheRolloutNeverReachedAWaitForSaysSoOnceItHasEnded() {
        // Recorded between waits (as the page records it when no wait is in progress); then no wait came.
        new RolloutControls(aws.dynamoDb(), aws.controlTable()).decide(execution.executionArn(),
                new Control(Control.Kind.ABORT, "Ana", "errors", aws.clock().instant()),
                aws.clock().instant().plus(Duration.ofDays(400)));
        APIGatewayProxyResponseEvent pending = request("GET", reference, null, null);
        assertEquals(200, pending.getStatusCode());
        assertTrue(pending.getBody().contains("The rollout acts on it at its next wait."), pending.getBody());

        runtime.stepFunctions().stop(execution.executionArn(), "Operator.Stopped", "by hand");

        APIGatewayProxyResponseEvent ended = request("GET", reference, null, null);
        assertEquals(410, ended.getStatusCode());
        assertTrue(ended.getBody().contains("but it ended (ABORTED) before reaching another wait, so it did not act"
                + " on it"), ended.getBody());
    }
}
