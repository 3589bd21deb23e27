package dev.rollout.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.InvalidInput;
import Rollout.Transient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.rollout.aws.Stages;
import dev.rollout.aws.Targets;
import dev.rollout.domain.Routing;
import dev.rollout.handlers.Json;
import dev.rollout.handlers.Prepare;
import dev.rollout.handlers.ShiftTraffic;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.GetStageResponse;
import software.amazon.awssdk.services.apigateway.model.IntegrationType;

/**
 * The API Gateway stage canary adapter against moto: GetStage, GetDeployment and UpdateStage (a JSON PATCH) as the
 * SDK really sends them.
 *
 * <p>What moto 5.2 does not do, and where it is checked instead: moto keeps no {@code canarySettings} on a stage
 * (GetStage never returns them, and {@code /canarySettings/...} patch paths are dropped or, for
 * {@code /canarySettings/deploymentId}, applied to the stage's own deployment); it knows no {@code copy} operation
 * (it sets the stage's deployment to the operation's absent value). The canary's share, its variables, promotion by
 * copy and removal are therefore checked against the in-memory API Gateway ({@code ApiCanaryScenarioTest}), which
 * keeps API Gateway's rules; here the requests themselves are checked: moto parses every one of them.
 */
class StageCanaryOverHttpTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    private ApiGatewayClient apiGateway;
    private String api;
    private String first;
    private String second;

    @BeforeEach
    void api() {
        apiGateway = MOTO.apiGateway();
        api = apiGateway.createRestApi(request -> request.name("greeter-api")).id();
        String root = apiGateway.getResources(request -> request.restApiId(api)).items().get(0).id();
        // A deployment needs a method, as in AWS.
        apiGateway.putMethod(request -> request.restApiId(api).resourceId(root).httpMethod("GET")
                .authorizationType("NONE"));
        apiGateway.putIntegration(request -> request.restApiId(api).resourceId(root).httpMethod("GET")
                .type(IntegrationType.MOCK));
        first = apiGateway.createDeployment(request -> request.restApiId(api)).id();
        second = apiGateway.createDeployment(request -> request.restApiId(api)).id();
        apiGateway.createStage(request -> request.restApiId(api).stageName("prod").deploymentId(first)
                .variables(Map.of("lambdaAlias", "live")));
    }

    private ObjectNode input(String deployment) {
        ObjectNode input = Json.object();
        input.putObject("target").put("type", "ApiGatewayCanary").put("restApiId", api).put("stage", "prod")
                .put("deploymentId", deployment).putObject("stageVariableOverrides").put("lambdaAlias", "next");
        input.put("strategy", "Canary10Percent5Minutes");
        return input;
    }

    private Prepare prepare() {
        return new Prepare(MOTO.lambda(), apiGateway, MOTO.cloudWatch(), Clock.systemUTC());
    }

    @Test
    void prepareRecordsTheStagesDeploymentAndAFingerprintOfItsRouting() {
        JsonNode output = prepare().handle(input(second));
        assertEquals(first, output.at("/rollout/fromVersion").asText());
        assertEquals(second, output.at("/rollout/toVersion").asText());
        assertEquals("ApiGatewayCanary", output.at("/rollout/target/type").asText());
        assertEquals(new Stages(apiGateway).read(api, "prod").revision(), output.path("revisionId").asText());
        assertEquals("deployment " + first + " 100%", output.path("routing").asText());
    }

    @Test
    void aMissingStageIsNamedAsAnInputProblem() {
        // A 404 NotFoundException on the wire, read as "does not exist", not as a failure.
        ObjectNode wrongStage = input(second);
        ((ObjectNode) wrongStage.get("target")).put("stage", "staging");
        InvalidInput noStage = assertThrows(InvalidInput.class, () -> prepare().handle(wrongStage));
        assertTrue(noStage.problems().get(0).startsWith("target.stage: REST API " + api + " has no stage \"staging\""),
                noStage.problems()::toString);
    }

    /**
     * In AWS, GetDeployment of an unknown id is a 404 NotFoundException, which Prepare names as an input problem
     * ({@code ApiCanaryScenarioTest} checks that on the in-memory API Gateway). moto 5.2 answers 500, which the
     * adapter, rightly for AWS, treats as a failure on AWS's side worth retrying.
     */
    @Test
    void motoAnswersAnUnknownDeploymentWithA500SoPrepareTakesItForATransientFailure() {
        Transient failed = assertThrows(Transient.class, () -> prepare().handle(input("nothere42")));
        assertTrue(failed.getMessage().contains("GetDeployment " + api + " nothere42"), failed.getMessage());
    }

    @Test
    void motoAcceptsTheCanaryPatchButKeepsNoCanarySoItsShareIsCheckedInMemory() {
        JsonNode prepared = prepare().handle(input(second));
        ObjectNode shift = Json.object();
        shift.set("rollout", prepared.get("rollout"));
        shift.put("weight", 10);
        shift.put("revisionId", prepared.path("revisionId").asText());
        JsonNode output = new ShiftTraffic(new Targets(MOTO.lambda(), apiGateway), Clock.systemUTC()).handle(shift);

        GetStageResponse stage = apiGateway.getStage(request -> request.restApiId(api).stageName("prod"));
        // In AWS: deployment first, canary on second with 10% and lambdaAlias=next. moto: no canary at all, and the
        // canary's deployment id landed on the stage itself.
        assertNull(stage.canarySettings());
        assertEquals(second, stage.deploymentId());
        assertEquals("deployment " + second + " 100%", output.path("routing").asText());
        Routing read = new Stages(apiGateway).read(api, "prod");
        assertEquals(read.revision(), output.path("revisionId").asText());
    }
}
