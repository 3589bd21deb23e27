package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.InvalidInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollout.local.LocalContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every function logs JSON lines in Powertools' shape with the keys one Logs Insights query follows a rollout by:
 * execution id, state, function, alias, versions and outcome.
 */
class StructuredLogTest {
    private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:Rollout:orders-live-v2";

    private final World world = new World();
    private final RecordingLogger logger = new RecordingLogger();

    @Test
    void aTaskLogsOneLineNamingItsExecutionStateRolloutAndOutcome() throws Exception {
        JsonNode prepared = world.prepared();
        ObjectNode input = TaskInputs.shift(prepared, 10, prepared.path("revisionId").asText());
        input.put("executionId", EXECUTION);

        invoke(new ShiftTraffic(world.targets, world.cloudWatch, world.clock), "rollout-ShiftTrafficFunction", input);

        JsonNode line = onlyLine();
        assertEquals("INFO", line.path("level").asText());
        assertEquals("lambda-rollout", line.path("service").asText());
        assertEquals("rollout-ShiftTrafficFunction", line.path("function_name").asText());
        assertTrue(line.path("function_request_id").isTextual() && line.path("cold_start").isBoolean(), line::toString);
        assertEquals(EXECUTION, line.path("execution_id").asText());
        assertEquals("ShiftTraffic", line.path("state").asText());
        assertEquals("orders", line.path("target_function").asText());
        assertEquals("live", line.path("alias").asText());
        assertEquals("1", line.path("from_version").asText());
        assertEquals("2", line.path("to_version").asText());
        // A shift judges the window since the last check first: its outcome is that verdict.
        assertEquals("healthy", line.path("outcome").asText());
        assertEquals("ShiftTraffic: version 1 90%, version 2 10%", line.path("message").asText());
        assertTrue(line.path("timestamp").asText().startsWith("20"), line::toString);
    }

    @Test
    void aRefusalIsAnErrorLineWhoseOutcomeIsTheStepFunctionsErrorName() {
        ObjectNode input = TaskInputs.request("orders", World.ALARM, "Linear10PercentEvery1Minute");
        input.put("targetVersion", "9");

        assertThrows(InvalidInput.class,
                () -> invoke(new Prepare(world.lambda, world.apiGateway, world.cloudWatch, world.clock),
                        "rollout-PrepareFunction", input));

        JsonNode line = onlyLine();
        assertEquals("ERROR", line.path("level").asText());
        assertEquals("Rollout.InvalidInput", line.path("outcome").asText());
        assertEquals("Prepare", line.path("state").asText());
        assertEquals("orders", line.path("target_function").asText());
        assertEquals("9", line.path("to_version").asText());
        assertTrue(line.path("message").asText().startsWith("Prepare failed: Invalid rollout input"), line::toString);
    }

    @Test
    void aStageCanaryIsLoggedByItsKindItsApiAndItsStage() throws Exception {
        world.apiGateway.addRestApi("a1b2c3d4e5", "orders-api", World.FUNCTION, "lambdaAlias");
        world.apiGateway.addDeployment("a1b2c3d4e5", "d1", 0);
        world.apiGateway.addDeployment("a1b2c3d4e5", "d2", 0);
        world.apiGateway.addStage("a1b2c3d4e5", "prod", "d1", java.util.Map.of("lambdaAlias", "live"));
        ObjectNode input = Json.object();
        input.putObject("target").put("type", "ApiGatewayCanary").put("restApiId", "a1b2c3d4e5").put("stage", "prod")
                .put("deploymentId", "d2");
        input.put("strategy", "AllAtOnce");

        invoke(new Prepare(world.lambda, world.apiGateway, world.cloudWatch, world.clock), "rollout-PrepareFunction",
                input);

        JsonNode line = onlyLine();
        assertEquals("ApiGatewayCanary", line.path("target").asText());
        assertEquals("a1b2c3d4e5", line.path("rest_api_id").asText());
        assertEquals("prod", line.path("stage").asText());
        assertEquals("", line.path("target_function").asText());
        assertEquals("d1", line.path("from_version").asText());
        assertEquals("d2", line.path("to_version").asText());
    }

    @Test
    void aVerdictIsItsOutcome() {
        assertEquals("healthy", TaskHandler.outcome(Json.object().put("healthy", true)));
        assertEquals("ROLLED_BACK", TaskHandler.outcome(Json.object().put("phase", "ROLLED_BACK")));
        assertEquals("skipped", TaskHandler.outcome(Json.object().put("outcome", "skipped")));
        assertEquals("succeeded", TaskHandler.outcome(Json.object().put("routing", "version 2 100%")));
    }

    private void invoke(TaskHandler handler, String functionName, JsonNode input) throws Exception {
        handler.handleRequest(new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(input)),
                new ByteArrayOutputStream(), new LocalContext(functionName, logger));
    }

    private JsonNode onlyLine() {
        List<String> lines = logger.lines();
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).endsWith("\n") && lines.get(0).indexOf('\n') == lines.get(0).length() - 1,
                "one line: " + lines.get(0));
        try {
            return Json.MAPPER.readTree(lines.get(0));
        } catch (java.io.IOException notJson) {
            throw new AssertionError("not a JSON line: " + lines.get(0), notJson);
        }
    }
}
