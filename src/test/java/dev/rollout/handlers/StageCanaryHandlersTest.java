package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.InsufficientEvidence;
import Rollout.VersionUnhealthy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
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
    private final Promote promote = new Promote(world.targets, world.cloudWatch, world.dynamoDb, World.LEASES, World.CONTROLS,
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
        return prepare.handle(request());
    }

    private static ObjectNode request() {
        ObjectNode input = Json.object();
        input.putObject("target").put("type", "ApiGatewayCanary").put("restApiId", API).put("stage", "prod")
                .put("deploymentId", "d2").putObject("stageVariableOverrides").put("lambdaAlias", "next")
                .put("release", "2");
        input.put("strategy", "Canary10Percent5Minutes");
        return input;
    }

    private GetStageResponse stage() {
        return world.apiGateway.getStage(request -> request.restApiId(API).stageName("prod"));
    }

    /** A shift to 10%, then a minute of {@code requests} to the stage, and Promote's input over that window. */
    private ObjectNode promotionAfter(JsonNode prepared, long requests) {
        JsonNode shifted = shift.handle(TaskInputs.shift(prepared, 10, prepared.path("revisionId").asText()));
        world.pass(Duration.ofMinutes(1));
        world.apiGateway.invokeStage(API, "prod", requests);
        world.pass(Duration.ofMinutes(1));
        return TaskInputs.withRevision(prepared, shifted.path("revisionId").asText());
    }

    @Test
    void prepareRecordsTheNameTheApisMetricsArePublishedUnder() {
        assertEquals("orders-api", prepared().at("/rollout/target/apiName").asText());
    }

    @Test
    void aStageCanarysWindowIsJudgedByItsOwnMetricsAgainstItsStages() {
        JsonNode promoted = promote.handle(promotionAfter(prepared(), 3000));
        assertEquals("PASSED", promoted.at("/metrics/outcome").asText(), promoted::toString);
        assertEquals(300, promoted.path("invocations").asLong());
        assertEquals("300 requests to the canary (deployment d2)", promoted.path("evidence").asText());
        assertEquals("prod/Canary", promoted.at("/metrics/newVersion/stage").asText());
        assertEquals(300, promoted.at("/metrics/newVersion/requests").asLong());
        assertEquals("prod", promoted.at("/metrics/oldVersion/stage").asText());
        assertEquals(3000, promoted.at("/metrics/oldVersion/requests").asLong(),
                "the stage's figures include its canary's requests");
        assertEquals("deployment d2 100%", promoted.path("routing").asText());
    }

    @Test
    void aCanaryWhose5xxRateExceedsItsStagesByMoreThanTheRuleAllowsIsUnhealthyNamingBothFigures() {
        world.apiGateway.addDeployment(API, "d2", 0.04);
        ObjectNode input = promotionAfter(prepared(), 3000);
        VersionUnhealthy unhealthy = assertThrows(VersionUnhealthy.class, () -> promote.handle(input));
        assertTrue(unhealthy.getMessage().contains("the canary (deployment d2)'s 5XXError rate 4% exceeds stage"
                + " prod's 0.4% by more than 2 points"), unhealthy.getMessage());
        assertEquals("d2", stage().canarySettings().deploymentId(), "Promote moved nothing; Rollback removes it");
    }

    @Test
    void aWindowWithoutCanaryRequestsIsNoEvidenceAndFailsARolloutThatRequiresSome() {
        JsonNode inconclusive = promote.handle(promotionAfter(prepared(), 0));
        assertEquals("INCONCLUSIVE", inconclusive.at("/metrics/outcome").asText(), inconclusive::toString);
        assertEquals("no requests to the canary (deployment d2) in this window, so it is no evidence of its health",
                inconclusive.path("evidence").asText());

        world.apiGateway.addStage(API, "prod", "d1", Map.of("lambdaAlias", "live", "colour", "blue"));
        ObjectNode request = request();
        request.put("minInvocations", 50);
        ObjectNode input = promotionAfter(prepare.handle(request), 0);
        InsufficientEvidence thin = assertThrows(InsufficientEvidence.class, () -> promote.handle(input));
        assertTrue(thin.getMessage().contains("covered no requests to the canary (deployment d2) in this window"),
                thin.getMessage());
    }

    @Test
    void canaryMetricsUnderAnotherDimensionThanTheOneReadAreNoEvidenceNeverHealthy() {
        ObjectNode request = request();
        request.put("minInvocations", 50);
        JsonNode prepared = prepare.handle(request);
        // As if API Gateway published the canary under other dimension values than the ones this rollout reads.
        ((ObjectNode) prepared.at("/rollout/target")).put("apiName", "orders-api-elsewhere");
        ObjectNode input = promotionAfter(prepared, 3000);
        InsufficientEvidence thin = assertThrows(InsufficientEvidence.class, () -> promote.handle(input));
        assertTrue(thin.getMessage().contains("covered no requests to the canary (deployment d2) in this window, so it"
                + " is no evidence of its health, fewer than the 50 this rollout requires"), thin.getMessage());
        assertEquals("d2", stage().canarySettings().deploymentId(), "Promote moved nothing; Rollback removes it");
    }

    @Test
    void aRolloutPreparedWithoutItsApisNameIsJudgedByItsAlarmsAloneAndSaysSo() {
        JsonNode prepared = prepared();
        // As a document prepared by the release before canary metrics: no apiName in its target.
        ((ObjectNode) prepared.at("/rollout/target")).remove("apiName");
        JsonNode promoted = promote.handle(promotionAfter(prepared, 3000));
        assertEquals("NOT_APPLICABLE", promoted.at("/metrics/outcome").asText(), promoted::toString);
        assertEquals("metrics not judged (stage a1b2c3d4e5/prod was prepared without its API's name, which its"
                + " metrics are published under: its alarms alone judge the window)",
                promoted.at("/metrics/summary").asText());
    }

    @Test
    void afterPromotionTheFinalBakeCountsTheStagesOwnRequestsAsItsEvidence() {
        ObjectNode request = request();
        request.put("minInvocations", 50);
        JsonNode prepared = prepare.handle(request);
        JsonNode promoted = promote.handle(promotionAfter(prepared, 3000));
        world.pass(Duration.ofMinutes(1));
        world.apiGateway.invokeStage(API, "prod", 600);
        world.pass(Duration.ofMinutes(1));
        ObjectNode input = TaskInputs.withRevision(prepared, promoted.path("revisionId").asText());
        input.put("since", promoted.path("promotedAt").asText());
        CheckHealth check = new CheckHealth(world.targets, world.cloudWatch, world.dynamoDb, World.LEASES, World.CONTROLS, world.clock);
        JsonNode checked = check.handle(input);
        assertEquals("600 requests to stage prod (deployment d2)", checked.path("evidence").asText(),
                checked::toString);
        assertEquals("PASSED", checked.at("/metrics/outcome").asText());
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
                World.LEASES, World.CONTROLS, world.clock);
        JsonNode promoted = resending.handle(TaskInputs.withRevision(prepared, shifted.path("revisionId").asText()));
        assertEquals("deployment d2 100%", promoted.path("routing").asText());
        assertEquals("d2", stage().deploymentId());
        assertNull(stage().canarySettings());
    }
}
