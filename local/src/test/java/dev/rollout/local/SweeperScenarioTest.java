package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import dev.rollout.local.time.VirtualClock;

/**
 * A rollback that keeps failing past the state machine's retries and Restore's: the alias stays split only until
 * the incident ends, then the scheduled sweeper restores it within two of its rounds (10 minutes), SNS down or not.
 */
class SweeperScenarioTest {
    private static final Path ROOT = ProjectRoot.path();

    /** The shipped alarm scenario, with every UpdateAlias failing from the rollback on (and SNS down, if asked). */
    private static ObjectNode rollbackThatKeepsFailing(boolean snsDown) throws Exception {
        ObjectNode scenario = (ObjectNode) Json.MAPPER.readTree(
                ROOT.resolve("events/scenarios/alarm-mid-rollout.json").toFile());
        scenario.putArray("faults").addObject().put("service", "lambda").put("operation", "UpdateAlias")
                .put("times", 10_000).put("error", "serviceError").put("during", "Rollback");
        if (snsDown) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) scenario.get("faults")).addObject().put("service", "sns")
                    .put("operation", "Publish").put("times", 10_000).put("error", "serviceError")
                    .put("during", "Rollback");
        }
        return scenario;
    }

    private record Recovery(Duration splitAfterRecovery, List<String> lines, Simulation simulation) {
    }

    private static Recovery runUntilRecovered(boolean snsDown) throws Exception {
        List<String> lines = new ArrayList<>();
        Simulation simulation = new Simulation(ROOT, Scenario.read(rollbackThatKeepsFailing(snsDown)),
                new VirtualClock(Simulation.START), null, lines::add);
        Simulation.Result result = simulation.run();
        assertEquals(Outcome.STUCK, result.outcome(), "while UpdateAlias fails, the alias cannot be whole: "
                + String.join("\n", lines));
        assertTrue(result.finalAlias().contains("version 2"), result.finalAlias());

        LocalAws aws = simulation.aws();
        aws.lambda().faults().recover("UpdateAlias");
        Instant recovered = aws.clock().instant();
        aws.clock().runUntil(() -> aliasIsWhole(aws) || aws.clock().instant().isAfter(recovered.plusSeconds(3600)));
        return new Recovery(Duration.between(recovered, aws.clock().instant()), lines, simulation);
    }

    private static boolean aliasIsWhole(LocalAws aws) {
        return aws.lambda().getAlias(request -> request.functionName("orders").name("live")).routingConfig() == null
                || aws.lambda().getAlias(request -> request.functionName("orders").name("live")).routingConfig()
                .additionalVersionWeights().isEmpty();
    }

    @Test
    void theSweeperRestoresAnAliasLeftSplitWithinTenMinutesOfTheIncidentsEnd() throws Exception {
        Recovery recovery = runUntilRecovered(false);

        assertTrue(aliasIsWhole(recovery.simulation().aws()), String.join("\n", recovery.lines()));
        assertFalse(recovery.splitAfterRecovery().compareTo(Duration.ofMinutes(10)) > 0,
                "split for " + recovery.splitAfterRecovery() + " after the incident ended");
        assertEquals("1", recovery.simulation().aws().lambda()
                .getAlias(request -> request.functionName("orders").name("live")).functionVersion());
        assertTrue(recovery.lines().stream().anyMatch(line -> line.contains("Sweep    version 1 100% | RESTORE")),
                String.join("\n", recovery.lines()));
        assertEquals("Rollout rolled back: orders:live 1 -> 2", recovery.simulation().aws().sns().outbox()
                .get(recovery.simulation().aws().sns().outbox().size() - 1).subject());
    }

    @Test
    void withSnsDownTooTheAliasIsStillRestoredAndTheMetricSaysNobodyWasTold() throws Exception {
        Recovery recovery = runUntilRecovered(true);

        assertTrue(aliasIsWhole(recovery.simulation().aws()), String.join("\n", recovery.lines()));
        assertFalse(recovery.splitAfterRecovery().compareTo(Duration.ofMinutes(10)) > 0,
                "split for " + recovery.splitAfterRecovery() + " after the incident ended");
        assertTrue(recovery.lines().stream().anyMatch(line -> line.contains("left stuck; the StuckRollouts metric")),
                String.join("\n", recovery.lines()));
    }

    @Test
    void theSweeperRemovesAStageCanaryLeftBehindOnceItsRolloutEnded() throws Exception {
        ObjectNode scenario = (ObjectNode) Json.MAPPER.readTree(
                ROOT.resolve("events/scenarios/api-canary-failing.json").toFile());
        scenario.putArray("faults").addObject().put("service", "apigateway").put("operation", "UpdateStage")
                .put("times", 10_000).put("error", "serviceError").put("during", "Rollback");
        List<String> lines = new ArrayList<>();
        Simulation simulation = new Simulation(ROOT, Scenario.read(scenario), new VirtualClock(Simulation.START), null,
                lines::add);
        Simulation.Result result = simulation.run();
        LocalAws aws = simulation.aws();
        assertEquals(Outcome.STUCK, result.outcome(), String.join("\n", lines));
        assertTrue(canaryLeft(aws), "while UpdateStage fails, the canary stays");

        aws.apiGateway().faults().recover("UpdateStage");
        Instant recovered = aws.clock().instant();
        aws.clock().runUntil(() -> !canaryLeft(aws) || aws.clock().instant().isAfter(recovered.plusSeconds(3600)));
        assertFalse(canaryLeft(aws), String.join("\n", lines));
        Duration left = Duration.between(recovered, aws.clock().instant());
        assertFalse(left.compareTo(Duration.ofMinutes(10)) > 0, "canary left for " + left + " after the incident");
        assertTrue(lines.stream().anyMatch(line -> line.contains("Sweep") && line.contains("RESTORE")),
                String.join("\n", lines));
        assertEquals("d1", aws.apiGateway().getStage(request -> request.restApiId("a1b2c3d4e5").stageName("prod"))
                .deploymentId());
    }

    private static boolean canaryLeft(LocalAws aws) {
        return aws.apiGateway().getStage(request -> request.restApiId("a1b2c3d4e5").stageName("prod"))
                .canarySettings() != null;
    }

    @Test
    void theSweeperPutsBackWeightedRecordsLeftMovedOnceItsRolloutEnded() throws Exception {
        ObjectNode scenario = (ObjectNode) Json.MAPPER.readTree(
                ROOT.resolve("events/scenarios/route53-region-health-check-fails.json").toFile());
        scenario.putArray("faults").addObject().put("service", "route53").put("operation", "ChangeResourceRecordSets")
                .put("times", 10_000).put("error", "serviceError").put("during", "Rollback");
        List<String> lines = new ArrayList<>();
        Simulation simulation = new Simulation(ROOT, Scenario.read(scenario), new VirtualClock(Simulation.START), null,
                lines::add);
        Simulation.Result result = simulation.run();
        LocalAws aws = simulation.aws();
        assertEquals(Outcome.STUCK, result.outcome(), String.join("\n", lines));
        assertTrue(weight(aws, "us-east-1") > 0, "while ChangeResourceRecordSets fails, us-east-1 keeps its queries");

        aws.route53().faults().recover("ChangeResourceRecordSets");
        Instant recovered = aws.clock().instant();
        aws.clock().runUntil(() -> weight(aws, "us-east-1") == 0
                || aws.clock().instant().isAfter(recovered.plusSeconds(3600)));
        assertEquals(0, weight(aws, "us-east-1"), String.join("\n", lines));
        assertEquals(255, weight(aws, "eu-west-1"), String.join("\n", lines));
        Duration left = Duration.between(recovered, aws.clock().instant());
        assertFalse(left.compareTo(Duration.ofMinutes(10)) > 0, "records left moved for " + left + " after the incident");
        assertTrue(lines.stream().anyMatch(line -> line.contains("Sweep") && line.contains("RESTORE")),
                String.join("\n", lines));
    }

    /** The weight of the record set {@code setIdentifier} of api.example.com A. */
    private static long weight(LocalAws aws, String setIdentifier) {
        return aws.route53().listResourceRecordSets(request -> request.hostedZoneId("Z0123456789ABCDEFGHIJ")
                        .startRecordName("api.example.com").startRecordType("A")).resourceRecordSets().stream()
                .filter(set -> setIdentifier.equals(set.setIdentifier()))
                .findFirst().orElseThrow().weight();
    }

    @Test
    void theSweepersPeriodIsTheTemplatesSchedule() throws Exception {
        assertEquals(Duration.ofMinutes(5), SweeperSchedule.period(ROOT.resolve("template.yaml")));
    }
}
