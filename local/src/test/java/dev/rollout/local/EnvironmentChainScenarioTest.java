package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.rollout.ProjectRoot;
import dev.rollout.aws.Aliases;
import dev.rollout.domain.RolloutTrigger;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.HistoryEventType;
import dev.rollout.local.aws.PublishedMessage;
import dev.rollout.local.time.VirtualClock;
import org.junit.jupiter.api.Test;

/**
 * Environment chains: a published version moves through dev, test and prod, one execution of the real state machine
 * per environment, each started by ContinueChain from the previous one's ending.
 */
class EnvironmentChainScenarioTest {
    private static final Path ROOT = ProjectRoot.path();

    private static ObjectNode shipped(String name) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(ROOT.resolve("events/scenarios").resolve(name).toFile());
    }

    private static Simulation simulation(ObjectNode scenario, List<String> lines) throws Exception {
        return new Simulation(ROOT, Scenario.read(scenario), new VirtualClock(Simulation.START), null, lines::add);
    }

    private static String alias(Simulation simulation, String name) {
        return new Aliases(simulation.aws().lambda()).read("orders", name).describe();
    }

    private static List<String> names(Simulation simulation) {
        return simulation.runtime().stepFunctions().executions().stream().map(ExecutionHandle::name).toList();
    }

    @Test
    void aPublishedVersionMovesThroughDevTestAndProdAndEndsPromotedInAllThree() throws Exception {
        List<String> lines = new ArrayList<>();
        Simulation simulation = simulation(shipped("environment-chain.json"), lines);
        Simulation.Result result = simulation.run();

        assertEquals(Outcome.PROMOTED, result.outcome(), lines::toString);
        assertEquals(0, result.outcome().exitCode());
        for (String environment : List.of("dev", "test", "prod")) {
            assertEquals("version 2 100%", alias(simulation, environment), environment);
        }
        assertEquals(List.of(RolloutTrigger.executionName("orders", "dev", "2"),
                RolloutTrigger.executionName("orders", "test", "2"),
                RolloutTrigger.executionName("orders", "prod", "2")), names(simulation));
        assertEquals("dev version 2 100%, test version 2 100%, prod version 2 100%", result.finalAlias());
        assertTrue(lines.stream().anyMatch(line -> line.contains("Prepare  version 1 -> 2 with AllAtOnce")), lines::toString);
    }

    @Test
    void eachEnvironmentTakesItsOwnStrategyAndProdWaitsForApprovalBeforeAnyOfItsTrafficMoves() throws Exception {
        List<String> lines = new ArrayList<>();
        Simulation simulation = simulation(shipped("environment-chain.json"), lines);
        simulation.run();

        List<ExecutionHandle> executions = simulation.runtime().stepFunctions().executions();
        assertEquals("AllAtOnce", prepared(executions.get(0)).path("strategy").asText());
        assertEquals("Canary10Percent5Minutes", prepared(executions.get(1)).path("strategy").asText());
        JsonNode prod = prepared(executions.get(2));
        assertEquals("Approval", prod.at("/steps/0/type").asText(), prod.toString());
        assertEquals("Shift", prod.at("/steps/1/type").asText(), prod.toString());
        // In the timeline, prod's first shift comes only after the approval.
        int approved = indexOf(lines, "Approval approved by dana");
        int prodPrepared = indexOf(lines, "next: prod");
        int prodShift = -1;
        for (int i = prodPrepared; i < lines.size(); i++) {
            if (lines.get(i).contains("Shift ")) {
                prodShift = i;
                break;
            }
        }
        assertTrue(prodPrepared < approved && approved < prodShift, lines::toString);
    }

    @Test
    void aFailureInTestStopsTheChainThereSaysWhereAndNeverStartsProd() throws Exception {
        List<String> lines = new ArrayList<>();
        Simulation simulation = simulation(shipped("environment-chain-stops-in-test.json"), lines);
        Simulation.Result result = simulation.run();

        assertEquals(Outcome.ROLLED_BACK, result.outcome(), lines::toString);
        assertEquals("Rollout.VersionUnhealthy", result.execution().error().orElse(""));
        assertEquals("version 2 100%", alias(simulation, "dev"));
        assertEquals("version 1 100%", alias(simulation, "test"));
        assertEquals("version 1 100%", alias(simulation, "prod"));
        assertEquals(2, names(simulation).size(), names(simulation)::toString);
        assertTrue(lines.stream().anyMatch(line -> line.contains("Chain    the chain dev -> test -> prod stopped at test"
                + " (Rollout.VersionUnhealthy); not started: prod")), lines::toString);
        PublishedMessage notice = simulation.aws().sns().outbox().stream()
                .filter(message -> message.subject() != null
                        && message.subject().startsWith("Environment chain stopped at test"))
                .findFirst().orElseThrow(() -> new AssertionError(simulation.aws().sns().outbox().toString()));
        assertTrue(notice.message().contains("Promoted in:  dev\n"), notice.message());
        assertTrue(notice.message().contains("Not started:  prod\n"), notice.message());
        assertEquals("CHAIN_STOPPED", notice.messageAttributes().get("phase").stringValue());
    }

    @Test
    void aRolloutRefusedInDevStopsTheChainThereOnceWithoutALostStart() throws Exception {
        ObjectNode scenario = shipped("environment-chain.json");
        ((ObjectNode) scenario.get("tags")).put("rollout:dev:strategy", "Fast");
        scenario.remove("approvals");
        List<String> lines = new ArrayList<>();
        Simulation simulation = simulation(scenario, lines);
        Simulation.Result result = simulation.run();

        assertEquals(Outcome.INVALID_INPUT, result.outcome(), lines::toString);
        assertEquals(List.of(RolloutTrigger.executionName("orders", "dev", "2")), names(simulation));
        assertTrue(lines.stream().noneMatch(line -> line.contains("attempt")), "ContinueChain failed: " + lines);
        assertTrue(lines.stream().anyMatch(line -> line.contains("Chain    the chain dev -> test -> prod stopped at dev"
                + " (Rollout.InvalidInput); not started: test, prod")), lines::toString);
        for (String environment : List.of("dev", "test", "prod")) {
            assertEquals("version 1 100%", alias(simulation, environment), environment);
        }
    }

    @Test
    void theSameEndingDeliveredAgainStartsNothing() throws Exception {
        Simulation simulation = simulation(shipped("environment-chain.json"), new ArrayList<>());
        simulation.run();
        ExecutionHandle dev = simulation.runtime().stepFunctions().executions().get(0);
        JsonNode ending = ExecutionEndings.statusChangeEvent(simulation.aws(), dev,
                simulation.runtime().stepFunctions().stateMachineArn());

        JsonNode answer = simulation.environmentChain().orElseThrow().deliver(ending).orElseThrow();

        assertEquals("alreadyStarted", answer.path("outcome").asText(), answer.toString());
        assertEquals(RolloutTrigger.executionName("orders", "test", "2"), answer.path("executionName").asText());
        assertEquals(3, names(simulation).size(), names(simulation)::toString);
    }

    @Test
    void aRejectedProdApprovalLeavesProdUntouchedAndStopsTheChainAtItsLastEnvironment() throws Exception {
        ObjectNode scenario = shipped("environment-chain.json");
        ((ObjectNode) scenario.at("/approvals/0")).put("answer", "reject").put("comment", "not this week");
        List<String> lines = new ArrayList<>();
        Simulation simulation = simulation(scenario, lines);
        Simulation.Result result = simulation.run();

        assertEquals(Outcome.ROLLED_BACK, result.outcome(), lines::toString);
        assertEquals("Rollout.Rejected", result.execution().error().orElse(""));
        assertEquals("version 2 100%", alias(simulation, "test"));
        assertEquals("version 1 100%", alias(simulation, "prod"));
        int prodStarted = indexOf(lines, "next: prod");
        assertTrue(lines.subList(prodStarted, lines.size()).stream().noneMatch(line -> line.contains("Shift ")),
                "no prod traffic moved: " + lines);
        assertTrue(lines.stream().anyMatch(line -> line.contains("stopped at prod (Rollout.Rejected); not started:"
                + " none")), lines::toString);
    }

    @Test
    void anEndingOfAnotherStateMachineOrOfAFunctionWithoutAChainStartsNothing() throws Exception {
        Simulation simulation = simulation(shipped("environment-chain.json"), new ArrayList<>());
        simulation.run();
        ExecutionHandle dev = simulation.runtime().stepFunctions().executions().get(0);
        ExecutionEndings chain = simulation.environmentChain().orElseThrow();
        String stateMachineArn = simulation.runtime().stepFunctions().stateMachineArn();

        ObjectNode other = ExecutionEndings.statusChangeEvent(simulation.aws(), dev, stateMachineArn);
        ((ObjectNode) other.get("detail")).put("stateMachineArn", stateMachineArn + "-other");
        assertTrue(chain.deliver(other).isEmpty(), "the rule names this state machine only");

        String function = simulation.aws().lambda().getFunction(request -> request.functionName("orders"))
                .configuration().functionArn();
        simulation.aws().lambda().untagResource(request -> request.resource(function)
                .tagKeys("rollout:environments"));
        JsonNode answer = chain.deliver(ExecutionEndings.statusChangeEvent(simulation.aws(), dev, stateMachineArn))
                .orElseThrow();
        assertEquals("skipped", answer.path("outcome").asText(), answer.toString());
        assertTrue(answer.path("reason").asText().contains("is not an environment of a chain"), answer.toString());
        assertEquals(3, names(simulation).size());
    }

    private static JsonNode prepared(ExecutionHandle execution) {
        return execution.history().stream()
                .filter(event -> event.type() == HistoryEventType.TASK_STATE_EXITED)
                .map(event -> event.details(EventDetails.StateExited.class))
                .filter(exited -> exited.name().equals("Prepare"))
                .map(StateOutput::of)
                .findFirst().orElseThrow().path("rollout");
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line contains \"" + text + "\": " + lines);
    }
}
