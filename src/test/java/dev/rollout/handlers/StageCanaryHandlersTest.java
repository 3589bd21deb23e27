package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.rollout.aws.Targets;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.GetStageResponse;

/** The traffic handlers on an API Gateway stage canary, against the in-memory API Gateway. */
class StageCanaryHandlersTest {
    private static final String API = "a1b2c3d4e5";

    private final World world = new World();
    private final Prepare prepare = new Prepare(world.lambda, world.apiGateway, world.cloudWatch, world.clock);
    private final ShiftTraffic shift = new ShiftTraffic(world.targets, world.cloudWatch, world.clock);
    private final Promote promote = new Promote(world.targets, world.cloudWatch, world.dynamoDb, World.LEASES,
            world.clock);
    private final Rollback rollback = new Rollback(world.targets, world.clock);

    @BeforeEach
    void api() {
        world.lambda.createAlias(request -> request.functionName(World.FUNCTION).name("next").functionVersion("2"));
        world.apiGateway.addRestApi(API, "orders-api", World.FUNCTION, "lambdaAlias");
        world.apiGateway.addDeployment(API, "d1", 0);
        world.apiGateway.addDeployment(API, "d2", 0);
        world.apiGateway.addStage(API, "prod", "d1", Map.of("lambdaAlias", "live", "colour", "blue"));
    }

    private JsonNode prepared() {
        ObjectNode input = Json.object();
        input.putObject("target").put("type", "ApiGatewayCanary").put("restApiId", API).put("stage", "prod")
                .put("deploymentId", "d2").putObject("stageVariableOverrides").put("lambdaAlias", "next")
                .put("release", "2");
        input.put("strategy", "Canary10Percent5Minutes");
        return prepare.handle(input);
    }

    private GetStageResponse stage() {
        return world.apiGateway.getStage(request -> request.restApiId(API).stageName("prod"));
    }

    @Test
    void aStageCanarysWindowIsJudgedByItsAlarmsAloneAndItsVerdictSaysWhy() {
        JsonNode prepared = prepared();
        JsonNode shifted = shift.handle(TaskInputs.shift(prepared, 10, prepared.path("revisionId").asText()));
        assertEquals("NOT_APPLICABLE", shifted.at("/metrics/outcome").asText(), shifted::toString);
        assertEquals("metrics not judged (stage a1b2c3d4e5/prod serves deployments, not Lambda versions: its alarms"
                + " alone judge the window)", shifted.at("/metrics/summary").asText());
        assertEquals(0, shifted.at("/checks/failed").asLong());
    }

    @Test
    void aPromotedStageThatIsRolledBackGetsItsDeploymentAndItsVariablesBack() {
        JsonNode prepared = prepared();
        JsonNode shifted = shift.handle(TaskInputs.shift(prepared, 10, prepared.path("revisionId").asText()));
        JsonNode promoted = promote.handle(TaskInputs.withRevision(prepared, shifted.path("revisionId").asText()));
        assertEquals("deployment d2 100%", promoted.path("routing").asText());
        assertEquals(Map.of("lambdaAlias", "next", "colour", "blue", "release", "2"), stage().variables());

        JsonNode restored = rollback.handle(TaskInputs.rollback(prepared));
        assertEquals("ROLLED_BACK", restored.path("phase").asText());
        assertFalse(restored.path("alreadyRestored").asBoolean());
        GetStageResponse stage = stage();
        assertEquals("d1", stage.deploymentId());
        assertNull(stage.canarySettings());
        assertEquals(Map.of("lambdaAlias", "live", "colour", "blue"), stage.variables(),
                "the overridden variable is put back and the one the canary added is removed");
    }

    @Test
    void aRetriedShiftThatFindsItsOwnCanaryIsNoConflict() {
        JsonNode prepared = prepared();
        String revision = prepared.path("revisionId").asText();
        shift.handle(TaskInputs.shift(prepared, 10, revision));
        JsonNode again = shift.handle(TaskInputs.shift(prepared, 10, revision));
        assertEquals("deployment d1 90%, deployment d2 10%", again.path("routing").asText());
        assertEquals(Map.of("lambdaAlias", "next", "release", "2"), stage().canarySettings().stageVariableOverrides());
    }

    @Test
    void aPromotionWhoseResponseWasLostAndWhichTheSdkSentAgainIsRecognisedAsDone() {
        JsonNode prepared = prepared();
        JsonNode shifted = shift.handle(TaskInputs.shift(prepared, 10, prepared.path("revisionId").asText()));
        world.apiGateway.faults().loseResponsesTo("Promote", "UpdateStage", 1);
        Promote resending = new Promote(new Targets(world.lambda, world.apiGateway.faults()
                .resending(ApiGatewayClient.class, world.apiGateway)), world.cloudWatch, world.dynamoDb,
                World.LEASES, world.clock);
        JsonNode promoted = resending.handle(TaskInputs.withRevision(prepared, shifted.path("revisionId").asText()));
        assertEquals("deployment d2 100%", promoted.path("routing").asText());
        assertEquals("d2", stage().deploymentId());
        assertNull(stage().canarySettings());
    }
}
