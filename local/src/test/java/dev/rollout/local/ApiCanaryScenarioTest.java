package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import dev.rollout.local.aws.InMemoryApiGateway;
import dev.rollout.local.time.VirtualClock;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.apigateway.model.GetStageResponse;
import software.amazon.awssdk.services.apigateway.model.Op;

/** API Gateway stage canaries: the real state machine and handlers on the in-memory API Gateway. */
class ApiCanaryScenarioTest {
    private static final Path ROOT = ProjectRoot.path();
    private static final String API = "a1b2c3d4e5";

    private static ObjectNode shipped(String name) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(ROOT.resolve("events/scenarios").resolve(name).toFile());
    }

    private static Simulation simulation(ObjectNode scenario, List<String> lines) throws Exception {
        return new Simulation(ROOT, Scenario.read(scenario), new VirtualClock(Simulation.START), null, lines::add);
    }

    private static GetStageResponse stage(Simulation simulation) {
        return simulation.aws().apiGateway().getStage(request -> request.restApiId(API).stageName("prod"));
    }

    @Test
    void aHealthyCanaryIsPromotedWithItsVariablesAndLeavesNoCanaryOnTheStage() throws Exception {
        Simulation simulation = simulation(shipped("api-canary-healthy.json"), new ArrayList<>());
        Simulation.Result result = simulation.run();
        assertEquals(Outcome.PROMOTED, result.outcome());
        GetStageResponse stage = stage(simulation);
        assertEquals("d2", stage.deploymentId());
        assertNull(stage.canarySettings());
        assertEquals(Map.of("lambdaAlias", "next"), stage.variables());
        assertEquals("deployment d2 100%", result.finalAlias());
    }

    @Test
    void withoutADeploymentIdTheRolloutDeploysTheStagesApiAndPromotesThatDeployment() throws Exception {
        ObjectNode scenario = shipped("api-canary-healthy.json");
        ((ObjectNode) scenario.at("/rollout/target")).remove("deploymentId");
        List<String> lines = new ArrayList<>();
        Simulation simulation = simulation(scenario, lines);
        Simulation.Result result = simulation.run();
        assertEquals(Outcome.PROMOTED, result.outcome(), lines::toString);
        GetStageResponse stage = stage(simulation);
        assertTrue(!stage.deploymentId().equals("d1") && !stage.deploymentId().equals("d2"), stage.toString());
        assertNull(stage.canarySettings());
        assertEquals("deployment " + stage.deploymentId() + " 100%", result.finalAlias());
        assertTrue(lines.stream().anyMatch(line -> line.contains("Prepare  deployment d1 -> " + stage.deploymentId())),
                lines::toString);
    }

    @Test
    void aCanaryWhoseRequestsFailIsRemovedAndTheStageKeepsItsDeploymentAndVariables() throws Exception {
        List<String> lines = new ArrayList<>();
        Simulation simulation = simulation(shipped("api-canary-failing.json"), lines);
        Simulation.Result result = simulation.run();
        assertEquals(Outcome.ROLLED_BACK, result.outcome());
        assertEquals("Rollout.AlarmTriggered", result.execution().error().orElse(""));
        GetStageResponse stage = stage(simulation);
        assertEquals("d1", stage.deploymentId());
        assertNull(stage.canarySettings());
        assertEquals(Map.of("lambdaAlias", "live"), stage.variables());
        assertTrue(lines.stream().anyMatch(line -> line.contains("Shift    deployment d1 90%, deployment d2 10%")),
                lines.toString());
    }

    @Test
    void aCanaryWhose5xxRateExceedsItsStagesIsRemovedByTheMetricRulesThoughNoAlarmFires() throws Exception {
        List<String> lines = new ArrayList<>();
        Simulation simulation = simulation(shipped("api-canary-metrics-rollback.json"), lines);
        Simulation.Result result = simulation.run();
        assertEquals(Outcome.ROLLED_BACK, result.outcome(), lines::toString);
        assertEquals("Rollout.VersionUnhealthy", result.execution().error().orElse(""));
        assertTrue(result.execution().cause().orElse("").contains("the canary (deployment d2)'s 5XXError rate 4.2%"
                + " exceeds stage prod's 0.4% by more than 2 points"), result.execution().cause().orElse(""));
        assertEquals("OK", simulation.aws().cloudWatch().describeAlarms(request -> request
                .alarmNames("greeter-api-canary-5xx")).metricAlarms().get(0).stateValueAsString(),
                "the canary's alarm never fired");
        GetStageResponse stage = stage(simulation);
        assertEquals("d1", stage.deploymentId());
        assertNull(stage.canarySettings());
        assertEquals(Map.of("lambdaAlias", "live"), stage.variables());
    }

    @Test
    void someoneElsesDeploymentOnTheCanaryStopsTheRolloutAndIsLeftAsTheySetIt() throws Exception {
        ObjectNode scenario = shipped("api-canary-healthy.json");
        ((ArrayNode) scenario.at("/api/deployments")).addObject().put("id", "d3");
        Simulation simulation = simulation(scenario, new ArrayList<>());
        InMemoryApiGateway apiGateway = simulation.aws().apiGateway();
        simulation.aws().clock().schedule(Simulation.START.plus(Duration.ofMinutes(2)), () -> apiGateway.updateStage(
                request -> request.restApiId(API).stageName("prod").patchOperations(operation -> operation
                        .op(Op.REPLACE).path("/canarySettings/deploymentId").value("d3"))));
        Simulation.Result result = simulation.run();
        assertEquals(Outcome.STOPPED, result.outcome());
        assertEquals("Rollout.Conflict", result.execution().error().orElse(""));
        GetStageResponse stage = stage(simulation);
        assertEquals("d1", stage.deploymentId());
        assertEquals("d3", stage.canarySettings().deploymentId());
        assertEquals(10.0, stage.canarySettings().percentTraffic());
    }

    @Test
    void someoneElsesShareOnTheCanaryStopsTheRolloutAndIsLeftAsTheySetIt() throws Exception {
        Simulation simulation = simulation(shipped("api-canary-healthy.json"), new ArrayList<>());
        InMemoryApiGateway apiGateway = simulation.aws().apiGateway();
        simulation.aws().clock().schedule(Simulation.START.plus(Duration.ofMinutes(2)), () -> apiGateway.updateStage(
                request -> request.restApiId(API).stageName("prod").patchOperations(operation -> operation
                        .op(Op.REPLACE).path("/canarySettings/percentTraffic").value("50"))));
        Simulation.Result result = simulation.run();
        assertEquals(Outcome.STOPPED, result.outcome());
        assertEquals("Rollout.Conflict", result.execution().error().orElse(""));
        GetStageResponse stage = stage(simulation);
        assertEquals("d1", stage.deploymentId());
        assertEquals("d2", stage.canarySettings().deploymentId());
        assertEquals(50.0, stage.canarySettings().percentTraffic());
    }

    @Test
    void aStageThatAlreadyHasACanaryIsAConflictBeforeAnythingMoves() throws Exception {
        ObjectNode scenario = shipped("api-canary-healthy.json");
        Simulation simulation = simulation(scenario, new ArrayList<>());
        simulation.aws().apiGateway().updateStage(request -> request.restApiId(API).stageName("prod")
                .patchOperations(operation -> operation.op(Op.REPLACE).path("/canarySettings/percentTraffic")
                        .value("5")));
        Simulation.Result result = simulation.run();
        assertEquals(Outcome.REFUSED, result.outcome());
        assertEquals("Rollout.Conflict", result.execution().error().orElse(""));
        assertEquals(5.0, stage(simulation).canarySettings().percentTraffic());
    }

    @Test
    void aDeploymentThatDoesNotExistIsInvalidInput() throws Exception {
        ObjectNode scenario = shipped("api-canary-healthy.json");
        ((ObjectNode) scenario.at("/rollout/target")).put("deploymentId", "nope42");
        Simulation simulation = simulation(scenario, new ArrayList<>());
        Simulation.Result result = simulation.run();
        assertEquals(Outcome.INVALID_INPUT, result.outcome());
        assertTrue(result.execution().cause().orElse("").contains("target.deploymentId: REST API " + API
                + " has no deployment \"nope42\""), result.execution().cause().orElse(""));
        assertNull(stage(simulation).canarySettings());
    }

    @Test
    void aStageCanaryWithMixedProblemsIsRefusedOnceNamingEveryField() throws Exception {
        ObjectNode scenario = shipped("api-canary-healthy.json");
        ((ObjectNode) scenario.at("/rollout/target")).put("deploymentId", "nope42");
        ((ObjectNode) scenario.at("/rollout")).put("strategy", "Canary99Percent");
        ((ObjectNode) scenario.at("/rollout")).putArray("alarms").add("no-such-alarm");
        Simulation simulation = simulation(scenario, new ArrayList<>());
        Simulation.Result result = simulation.run();
        assertEquals(Outcome.INVALID_INPUT, result.outcome());
        String cause = result.execution().cause().orElse("");
        for (String problem : java.util.List.of("strategy: unknown strategy \"Canary99Percent\"",
                "target.deploymentId: REST API " + API + " has no deployment \"nope42\"",
                "alarms[0]: no CloudWatch alarm named \"no-such-alarm\"")) {
            assertTrue(cause.contains(problem), problem + " in " + cause);
        }
        assertNull(stage(simulation).canarySettings());
    }
}
