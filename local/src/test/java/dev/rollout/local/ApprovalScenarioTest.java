package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.ApprovalPage;
import dev.rollout.handlers.FormUrlEncoding;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.aws.DynamoDbErrors;
import dev.rollout.local.aws.PublishedMessage;
import dev.rollout.local.aws.StepFunctionsErrors;
import dev.rollout.local.time.VirtualClock;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;

/**
 * The approval gate on the local runtime: the real state machine and handlers, the approval e-mail from the
 * outbox, and the approval page answering the executor's task token.
 */
class ApprovalScenarioTest {
    private static final Path ROOT = ProjectRoot.path();
    private static final Pattern LINK = Pattern.compile("(?m)^Approve: +(\\S+)$");

    private final LocalAws aws = LocalAws.create(new VirtualClock(Instant.parse("2026-11-22T10:00:00Z")), null);
    private final LocalRuntime runtime;
    private final ApprovalPage page;

    ApprovalScenarioTest() throws Exception {
        aws.lambda().addFunction("orders");
        aws.lambda().publishNewVersion("orders");
        aws.lambda().publishNewVersion("orders");
        aws.lambda().createAlias(request -> request.functionName("orders").name("live").functionVersion("1"));
        runtime = LocalRuntime.load(ROOT, aws);
        page = runtime.approvalPage();
    }

    /** A canary that asks for approval before promoting; runs until the approval e-mail is out. */
    private ExecutionHandle startAndAwaitApproval(String onTimeout) {
        ObjectNode input = Json.object();
        input.put("functionName", "orders").put("targetVersion", "2").put("strategy", "Canary10Percent5Minutes");
        input.putObject("approval").put("timeout", "1h").put("onTimeout", onTimeout);
        ExecutionHandle execution = runtime.start("orders-2", input);
        aws.clock().runUntil(() -> !aws.sns().outbox(aws.approvalTopicArn()).isEmpty());
        assertEquals(ExecutionStatus.RUNNING, execution.status());
        assertEquals(Map.of("2", 0.1), alias().routingConfig().additionalVersionWeights(), "waits at 10%");
        return execution;
    }

    private String approveLink() {
        List<PublishedMessage> outbox = aws.sns().outbox(aws.approvalTopicArn());
        Matcher link = LINK.matcher(outbox.get(0).message());
        assertTrue(link.find(), outbox.get(0).message());
        assertTrue(link.group(1).startsWith(LocalAws.DEFAULT_APPROVAL_URL + "/approvals/"), link.group(1));
        return link.group(1);
    }

    private APIGatewayProxyResponseEvent decide(String action, String name, String comment) {
        String reference = URI.create(approveLink()).getPath().replaceFirst(".*/", "");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("action", action);
        fields.put("name", name);
        fields.put("comment", comment);
        String body = FormUrlEncoding.encode(fields);
        return page.handleRequest(new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST")
                .withPath("/approvals/" + reference)
                .withPathParameters(Map.of("reference", reference))
                .withBody(body), new LocalContext("ApprovalPage", LocalContext.logger(line -> { })));
    }

    private GetAliasResponse alias() {
        return aws.lambda().getAlias(request -> request.functionName("orders").name("live"));
    }

    @Test
    void anApprovalPromotesWithTheDecisionInTheHistory() {
        ExecutionHandle execution = startAndAwaitApproval("rollback");

        assertEquals(200, decide("approve", "Ana", "dashboards flat").getStatusCode());
        runtime.runToEnd(execution);

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution.cause().orElse(""));
        assertEquals("promoted", execution.output().orElseThrow().path("outcome").asText());
        assertEquals("2", alias().functionVersion());
        assertTrue(execution.history().toString().contains("dashboards flat"),
                "the decision is in the execution history");
    }

    @Test
    void aRejectionRollsBackNamingWhoAndWhy() {
        ExecutionHandle execution = startAndAwaitApproval("rollback");

        decide("reject", "Bo", "latency is up");
        runtime.runToEnd(execution);

        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("Rollout.Rejected", execution.error().orElse(""));
        assertTrue(execution.cause().orElse("").startsWith("rejected by Bo at "), execution.cause().orElse(""));
        assertTrue(execution.cause().orElse("").endsWith(": latency is up"), execution.cause().orElse(""));
        assertEquals("1", alias().functionVersion());
        assertNull(alias().routingConfig(), "no traffic left on version 2");
    }

    @Test
    void silenceRollsBackAsApprovalTimedOutAndTheLinkThenSaysExpired() {
        ExecutionHandle execution = startAndAwaitApproval("rollback");

        runtime.runToEnd(execution);

        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("Rollout.ApprovalTimedOut", execution.error().orElse(""));
        assertEquals("nobody approved or rejected within 3600 seconds of asking, so the rollout rolls back",
                execution.cause().orElse(""));
        assertEquals("1", alias().functionVersion());
        assertEquals(410, decide("approve", "Ana", "late").getStatusCode());
    }

    @Test
    void silenceLetsAVetoWindowPromote() {
        ExecutionHandle execution = startAndAwaitApproval("promote");

        runtime.runToEnd(execution);

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution.cause().orElse(""));
        assertEquals("2", alias().functionVersion());
    }

    // ---- Decisions recorded in time whose delivery fails ----

    private static LocalContext quiet(String function) {
        return new LocalContext(function, LocalContext.logger(line -> { }));
    }

    @Test
    void aRejectionStepFunctionsNeverReceivedBeforeTheTimeOutStillRollsBackAVetoWindow() {
        ExecutionHandle execution = startAndAwaitApproval("promote");
        runtime.taskAnswers().faults().failNext("SendTaskFailure", 10_000, StepFunctionsErrors::throttled);

        assertEquals(503, decide("reject", "Bo", "latency is up").getStatusCode());
        runtime.runToEnd(execution);

        assertEquals(ExecutionStatus.FAILED, execution.status(), execution.cause().orElse(""));
        assertEquals("Rollout.Rejected", execution.error().orElse(""));
        assertTrue(execution.cause().orElse("").startsWith("rejected by Bo at "), execution.cause().orElse(""));
        assertEquals("1", alias().functionVersion());
        assertNull(alias().routingConfig(), "no traffic left on version 2");
        // The record says what the rollout acted on, and nothing delivers it again.
        APIGatewayProxyResponseEvent shown = decide("reject", "Bo", "latency is up");
        assertEquals(200, shown.getStatusCode(), shown.getBody());
        assertTrue(shown.getBody().contains("already rejected by Bo"), shown.getBody());
        assertEquals(0, runtime.sweeper().sweep(quiet("Sweep")).at("/decisions/undelivered").asInt());
    }

    @Test
    void anApprovalStepFunctionsNeverReceivedBeforeTheTimeOutIsNotRolledBackAsSilence() {
        ExecutionHandle execution = startAndAwaitApproval("rollback");
        runtime.taskAnswers().faults().failNext("SendTaskSuccess", 10_000, StepFunctionsErrors::throttled);

        assertEquals(503, decide("approve", "Ana", "dashboards flat").getStatusCode());
        runtime.runToEnd(execution);

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution.cause().orElse(""));
        assertEquals("2", alias().functionVersion());
        assertTrue(execution.history().toString().contains("Ana"),
                "the approval the time-out step applied is in the history");
        APIGatewayProxyResponseEvent shown = decide("approve", "Ana", "dashboards flat");
        assertEquals(200, shown.getStatusCode(), shown.getBody());
        assertTrue(shown.getBody().contains("already approved by Ana"), shown.getBody());
    }

    @Test
    void aDeliveredApprovalWhoseDeliveredMarkWasLostIsNeverShownExpired() {
        ExecutionHandle execution = startAndAwaitApproval("rollback");
        runtime.taskAnswers().faults().failNext("SendTaskSuccess", 1, StepFunctionsErrors::throttled);
        assertEquals(503, decide("approve", "Ana", "dashboards flat").getStatusCode());
        // A minute later (the page's own delivery attempt is over by then), well before the approval times out.
        Instant later = aws.clock().instant().plusSeconds(60);
        aws.clock().schedule(later, () -> { });
        aws.clock().runUntil(() -> !aws.clock().instant().isBefore(later));

        // The sweeper delivers it, and the write that records the delivery fails.
        aws.dynamoDb().faults().failNext("UpdateItem", 1, DynamoDbErrors::internalError);
        assertEquals(1, runtime.sweeper().sweep(quiet("Sweep")).at("/decisions/delivered").asInt());
        runtime.runToEnd(execution);
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution.cause().orElse(""));

        // The next attempt finds the task closed; the history says it had this approval, so it stays approved.
        assertEquals(1, runtime.sweeper().sweep(quiet("Sweep")).at("/decisions/delivered").asInt());
        APIGatewayProxyResponseEvent shown = decide("approve", "Ana", "dashboards flat");
        assertEquals(200, shown.getStatusCode(), shown.getBody());
        assertTrue(shown.getBody().contains("already approved by Ana"), shown.getBody());
        assertEquals(0, runtime.sweeper().sweep(quiet("Sweep")).at("/decisions/expired").asInt());
    }
}
