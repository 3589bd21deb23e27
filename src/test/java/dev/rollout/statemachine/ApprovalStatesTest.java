package dev.rollout.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.domain.MetricRules;
import dev.rollout.domain.OnTimeout;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Step;
import dev.rollout.domain.Target;

/**
 * The approval gate in statemachine/rollout.asl.json: its structure, and its JSONata evaluated with a real
 * JSONata implementation against a plan as Prepare writes it.
 */
class ApprovalStatesTest {
    private static final Path DEFINITION = ProjectRoot.resolve("statemachine/rollout.asl.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonNode states = JSON.readTree(DEFINITION.toFile()).path("States");
    private final JsonNode requestApproval = states.path("RequestApproval");

    ApprovalStatesTest() throws IOException {
    }

    /** $rollout for a plan whose third step waits an hour for approval. */
    private static Object rollout(OnTimeout onTimeout) {
        PreparedRollout rollout = new PreparedRollout(new Target.LambdaAlias("orders", "live"), "1", "2", "Steps",
                List.of(new Step.Shift(10), new Step.Bake(300), new Step.Approval(3600, onTimeout)),
                List.of("orders-errors"), "", "2026-11-22T10:00:00Z", 0, MetricRules.DEFAULTS);
        return JSON.convertValue(rollout, Object.class);
    }

    private static Object evaluate(JsonNode field, Map<String, Object> variables) {
        String text = field.asText();
        assertTrue(text.startsWith("{%") && text.endsWith("%}"), "expected a JSONata expression, got " + text);
        Jsonata expression = Jsonata.jsonata(text.substring(2, text.length() - 2));
        Jsonata.Frame frame = expression.createFrame();
        variables.forEach(frame::bind);
        return expression.evaluate(null, frame);
    }

    private static Map<String, Object> atApprovalStep(OnTimeout onTimeout) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("rollout", rollout(onTimeout));
        variables.put("stepIndex", 2);
        variables.put("healthSince", "2026-11-22T10:05:00Z");
        return variables;
    }

    @Test
    void nextStepSendsApprovalStepsToRequestApproval() {
        Map<String, Object> variables = atApprovalStep(OnTimeout.ROLLBACK);
        List<String> matching = new ArrayList<>();
        for (JsonNode choice : states.path("NextStep").path("Choices")) {
            if (Boolean.TRUE.equals(evaluate(choice.path("Condition"), variables))) {
                matching.add(choice.path("Next").asText());
            }
        }
        assertEquals(List.of("RequestApproval"), matching);
    }

    @Test
    void requestApprovalWaitsForTheTokenUntilTheStepsTimeout() {
        assertEquals("arn:aws:states:::lambda:invoke.waitForTaskToken", requestApproval.path("Resource").asText());
        assertEquals(3600, ((Number) evaluate(requestApproval.path("TimeoutSeconds"),
                atApprovalStep(OnTimeout.ROLLBACK))).intValue());
        assertEquals("${RequestApprovalFunctionArn}", requestApproval.at("/Arguments/FunctionName").asText());
    }

    @Test
    void thePayloadCarriesTheTokenAndWhatThePageShows() {
        Map<String, Object> variables = atApprovalStep(OnTimeout.ROLLBACK);
        variables.put("states", Map.of("context", Map.of(
                "Task", Map.of("Token", "TOKEN"),
                "Execution", Map.of("Id", "arn:aws:states:us-east-1:123456789012:execution:rollout:x"),
                "State", Map.of("EnteredTime", "2026-11-22T10:05:00.123Z"))));
        Map<String, Object> payload = new HashMap<>();
        requestApproval.at("/Arguments/Payload").fields()
                .forEachRemaining(field -> payload.put(field.getKey(), evaluate(field.getValue(), variables)));

        assertEquals("TOKEN", payload.get("taskToken"));
        assertEquals("arn:aws:states:us-east-1:123456789012:execution:rollout:x", payload.get("executionId"));
        assertEquals("2026-11-22T10:05:00.123Z", payload.get("requestedAt"));
        assertEquals(2, ((Number) payload.get("stepIndex")).intValue());
        assertEquals("2026-11-22T10:05:00Z", payload.get("healthSince"));
        assertEquals(variables.get("rollout"), payload.get("rollout"));
    }

    @Test
    void anAnswerMovesOnToTheNextStepWithTheDecisionAsOutput() {
        // The next move of traffic judges the window since the last check, the approval wait included; a person's
        // promote-now answers with {"control": "promote"}, which leaves no step, so NextStep goes to Promote.
        assertEquals("NextStep", requestApproval.path("Next").asText());
        assertEquals("{% $states.result %}", requestApproval.path("Output").asText());
        assertEquals("{% $states.result.control = 'promote' ? $count($rollout.steps) : $stepIndex + 1 %}",
                requestApproval.at("/Assign/stepIndex").asText());
    }

    @Test
    void timeoutsRejectionsAndEverythingElseAreCaughtInThatOrder() {
        JsonNode catchers = requestApproval.path("Catch");
        assertEquals(3, catchers.size(), catchers.toString());
        assertEquals("[\"States.Timeout\"]", catchers.get(0).path("ErrorEquals").toString());
        assertEquals("CloseApproval", catchers.get(0).path("Next").asText());
        assertEquals("{% $states.context.State.EnteredTime %}", catchers.get(0).at("/Assign/approvalRequestedAt").asText(),
                "the time-out step finds the request by when the state was entered, as RequestApproval recorded it");
        assertEquals("[\"Rollout.Rejected\"]", catchers.get(1).path("ErrorEquals").toString());
        assertEquals("[\"States.ALL\"]", catchers.get(2).path("ErrorEquals").toString());
        for (JsonNode catcher : List.of(catchers.get(1), catchers.get(2))) {
            assertEquals("Rollback", catcher.path("Next").asText());
            assertEquals("{% $states.errorOutput %}", catcher.at("/Assign/failure").asText());
        }
    }

    @Test
    void neitherATimeoutNorARejectionIsRetried() {
        for (JsonNode retrier : requestApproval.path("Retry")) {
            for (JsonNode error : retrier.path("ErrorEquals")) {
                assertFalse(List.of("States.ALL", "States.Timeout", "Rollout.Rejected").contains(error.asText()),
                        "a person's answer or silence must not be retried: " + retrier);
            }
        }
    }

    @Test
    void theTimeOutStepClosesTheRequestAndAnUnknownAnswerRollsBack() {
        JsonNode close = states.path("CloseApproval");
        assertEquals("${CloseApprovalFunctionArn}", close.at("/Arguments/FunctionName").asText());
        assertEquals("{% $approvalRequestedAt %}", close.at("/Arguments/Payload/requestedAt").asText());
        assertEquals("OnApprovalTimeout", close.path("Next").asText());
        assertEquals("[\"States.ALL\"]", close.at("/Catch/0/ErrorEquals").toString());
        assertEquals("Rollback", close.at("/Catch/0/Next").asText());
    }

    @Test
    void aDecisionRecordedInTimeIsTheAnswerWhateverOnTimeoutSays() {
        JsonNode choices = states.path("OnApprovalTimeout").path("Choices");
        for (OnTimeout onTimeout : OnTimeout.values()) {
            Map<String, Object> approved = atApprovalStep(onTimeout);
            approved.put("states", Map.of("input",
                    Map.of("decided", true, "approved", true, "cause", "approved by Ana")));
            Map<String, Object> rejected = atApprovalStep(onTimeout);
            rejected.put("states", Map.of("input",
                    Map.of("decided", true, "approved", false, "cause", "rejected by Bo at t: no")));
            assertEquals(Boolean.TRUE, evaluate(choices.get(0).path("Condition"), approved), onTimeout.toString());
            assertEquals("NextStep", choices.get(0).path("Next").asText());
            assertEquals(Boolean.FALSE, evaluate(choices.get(0).path("Condition"), rejected), onTimeout.toString());
            assertEquals(Boolean.TRUE, evaluate(choices.get(1).path("Condition"), rejected), onTimeout.toString());
            assertEquals("Rollback", choices.get(1).path("Next").asText());
            assertEquals("Rollout.Rejected", choices.get(1).at("/Assign/failure/Error").asText());
        }
    }

    @Test
    void silenceLetsAPromoteStepGoOn() {
        JsonNode onTimeout = states.path("OnApprovalTimeout");
        JsonNode rule = onTimeout.path("Choices").get(2);
        Map<String, Object> variables = atApprovalStep(OnTimeout.PROMOTE);
        variables.put("states", Map.of("input", Map.of("decided", false)));
        for (JsonNode decidedRule : List.of(onTimeout.path("Choices").get(0), onTimeout.path("Choices").get(1))) {
            assertEquals(Boolean.FALSE, evaluate(decidedRule.path("Condition"), variables));
        }

        assertEquals(Boolean.TRUE, evaluate(rule.path("Condition"), variables));
        assertEquals("NextStep", rule.path("Next").asText());
        assertEquals("{% $stepIndex + 1 %}", rule.at("/Assign/stepIndex").asText());
    }

    @Test
    void silenceRollsARollbackStepBackAsApprovalTimedOut() {
        JsonNode onTimeout = states.path("OnApprovalTimeout");
        Map<String, Object> variables = atApprovalStep(OnTimeout.ROLLBACK);
        variables.put("states", Map.of("input", Map.of("decided", false)));
        for (JsonNode rule : onTimeout.path("Choices")) {
            assertEquals(Boolean.FALSE, evaluate(rule.path("Condition"), variables), rule.toString());
        }
        assertEquals("ApprovalTimedOut", onTimeout.path("Default").asText());

        JsonNode timedOut = states.path(onTimeout.path("Default").asText());
        assertEquals("Rollback", timedOut.path("Next").asText());
        assertEquals("Rollout.ApprovalTimedOut", timedOut.at("/Assign/failure/Error").asText());
        assertEquals("nobody approved or rejected within 3600 seconds of asking, so the rollout rolls back",
                evaluate(timedOut.at("/Assign/failure/Cause"), variables));
    }
}
