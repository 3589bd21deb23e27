package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.aws.PublishedMessage;
import dev.rollout.local.time.VirtualClock;

/** Executions stopped as from the console: the template's rule on status changes makes the alias whole. */
class StopScenarioTest {
    private static final Path ROOT = ProjectRoot.path();

    private record Run(Simulation.Result result, List<String> lines, List<PublishedMessage> outbox) {
    }

    private static Run run(ObjectNode scenario) throws Exception {
        List<String> lines = new ArrayList<>();
        Simulation simulation = new Simulation(ROOT, Scenario.read(scenario), new VirtualClock(Simulation.START), null,
                lines::add);
        Simulation.Result result = simulation.run();
        return new Run(result, lines, simulation.aws().sns().outbox());
    }

    private static ObjectNode shipped() throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(ROOT.resolve("events/scenarios/stopped-mid-rollout.json").toFile());
    }

    @Test
    void theShippedScenarioStopsAtThirtyPercentAndRestoreMakesTheAliasWholeAtOnce() throws Exception {
        Run run = run(shipped());
        assertEquals(Outcome.ABORTED, run.result().outcome());
        assertEquals(ExecutionStatus.ABORTED, run.result().execution().status());
        assertEquals("version 1 100%", run.result().finalAlias());
        assertTrue(run.lines().contains("+00:02:30  Stop     StopExecution (Operator.Stopped): the execution is"
                + " ABORTED; no Catch runs"), run.lines().toString());
        String restore = run.lines().get(run.lines().size() - 1);
        assertTrue(restore.startsWith("+00:02:30  Restore  version 1 100% | RESTORE ROLLED_BACK"), restore);
        assertEquals("Rollout rolled back: orders:live 1 -> 2", run.outbox().get(run.outbox().size() - 1).subject());
    }

    @Test
    void aStopWhileWaitingForApprovalRestoresTheAliasAndTheApprovalCanNoLongerDecide() throws Exception {
        ObjectNode scenario = shipped();
        ObjectNode strategy = ((ObjectNode) scenario.get("rollout")).putObject("strategy").put("type", "Steps");
        strategy.putArray("steps").add(Json.object().put("setWeight", 40))
                .add(Json.object().set("approval", Json.object().put("timeout", "1h")));
        scenario.putArray("approvals").addObject().put("answer", "approve").put("after", "10m").put("by", "dana");
        scenario.putObject("stop").put("at", "5m");
        Run run = run(scenario);
        assertEquals(Outcome.ABORTED, run.result().outcome());
        assertEquals("version 1 100%", run.result().finalAlias());
        assertTrue(run.lines().stream().anyMatch(line -> line.startsWith("+00:05:00  Restore  version 1 100%")),
                run.lines().toString());
    }

    @Test
    void aStopBeforeAnyShiftFindsTheAliasWholeAndStillTellsPeople() throws Exception {
        ObjectNode scenario = shipped();
        ((ObjectNode) scenario.get("rollout")).put("strategy", "Canary10Percent5Minutes");
        scenario.putObject("stop").put("at", "0s");
        Run run = run(scenario);
        assertEquals(Outcome.ABORTED, run.result().outcome());
        assertEquals("version 1 100%", run.result().finalAlias());
        assertTrue(run.outbox().stream().anyMatch(message -> message.message().contains("was stopped (ABORTED)")),
                run.outbox().toString());
    }

    @Test
    void anUnfinishedRollbackIsFinishedByRestoreAfterTheExecutionFailed() throws Exception {
        ObjectNode scenario = shipped();
        scenario.remove("stop");
        scenario.putArray("changes").addObject().put("at", "2m").put("version", "2").put("errorRate", 0.5);
        scenario.putArray("faults").addObject().put("service", "lambda").put("operation", "UpdateAlias")
                .put("times", 100).put("error", "serviceError").put("during", "Rollback");
        Run run = run(scenario);
        assertEquals("Rollout.RollbackFailed", run.result().execution().error().orElseThrow());
        assertTrue(run.lines().stream().anyMatch(line -> line.contains("Restore  attempt 1 failed")),
                run.lines().toString());
        // The fault outlasts Lambda's two retries: the alias stays split, and simulate says so with its own code.
        assertEquals(Outcome.STUCK, run.result().outcome());
        assertEquals(4, run.result().outcome().exitCode());
    }
}
