package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.time.VirtualClock;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The alias-style guarantees on Route 53 weighted records, through the real state machine and handlers: a stopped
 * rollout is restored to its starting weights by the same Restore the template runs on status changes, and a second
 * rollout of the same record is refused before it moves anything.
 */
class Route53SafetyScenarioTest {
    private static final Path ROOT = ProjectRoot.path();
    private static final String ZONE = "Z0123456789ABCDEFGHIJ";

    private static ObjectNode shipped() throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(ROOT.resolve("events/scenarios/route53-region-shift-healthy.json")
                .toFile());
    }

    private static Simulation simulation(ObjectNode scenario, List<String> lines) throws Exception {
        return new Simulation(ROOT, Scenario.read(scenario), new VirtualClock(Simulation.START), null, lines::add);
    }

    private static Map<String, Long> weights(LocalAws aws) {
        Map<String, Long> weights = new TreeMap<>();
        for (ResourceRecordSet record : aws.route53().listResourceRecordSets(request -> request.hostedZoneId(ZONE))
                .resourceRecordSets()) {
            if (record.setIdentifier() != null) {
                weights.put(record.setIdentifier(), record.weight());
            }
        }
        return weights;
    }

    @Test
    void aRolloutStoppedMidShiftIsRestoredToItsStartingWeights() throws Exception {
        ObjectNode scenario = shipped();
        scenario.putObject("stop").put("at", "4m");
        List<String> lines = new ArrayList<>();
        Simulation simulation = simulation(scenario, lines);
        Simulation.Result result = simulation.run();

        assertEquals(Outcome.ABORTED, result.outcome(), String.join("\n", lines));
        assertEquals(Map.of("eu-west-1", 255L, "us-east-1", 0L), weights(simulation.aws()),
                "the starting weights exactly, not 100 and 0");
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("+00:04:00  Restore  record set eu-west-1 100%")),
                String.join("\n", lines));
    }

    @Test
    void aSecondRolloutOfTheSameRecordIsRefusedBeforeItMovesAnything() throws Exception {
        ObjectNode scenario = shipped();
        List<String> lines = new ArrayList<>();
        Simulation simulation = simulation(scenario, lines);
        AtomicReference<ExecutionHandle> second = new AtomicReference<>();
        // Two minutes in, someone starts a rollout of the same record, the other way round.
        ObjectNode reverse = (ObjectNode) scenario.get("rollout").deepCopy();
        ((ObjectNode) reverse.get("target")).put("from", "us-east-1").put("to", "eu-west-1");
        simulation.aws().clock().schedule(Simulation.START.plus(Duration.ofMinutes(2)),
                () -> second.set(simulation.runtime().start("reverse", reverse)));
        Simulation.Result result = simulation.run();
        simulation.runtime().runToEnd(second.get());

        assertEquals(Outcome.PROMOTED, result.outcome(), String.join("\n", lines));
        assertEquals(ExecutionStatus.FAILED, second.get().status());
        assertEquals("Rollout.Conflict", second.get().error().orElse(""), () -> second.get().cause().orElse(""));
        assertEquals(Map.of("eu-west-1", 0L, "us-east-1", 255L), weights(simulation.aws()),
                "the first rollout's promotion, untouched by the second");
    }
}
