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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import dev.rollout.local.time.VirtualClock;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/** Route 53 weighted rollouts between two Regions: the real state machine and handlers on the in-memory Route 53. */
class Route53ScenarioTest {
    private static final Path ROOT = ProjectRoot.path();
    private static final String ZONE = "Z0123456789ABCDEFGHIJ";
    private static final Pattern SERVED = Pattern.compile("([a-z0-9-]+) (\\d+) req");

    private static ObjectNode shipped(String name) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(ROOT.resolve("events/scenarios").resolve(name).toFile());
    }

    private static Simulation simulation(String name, List<String> lines) throws Exception {
        return new Simulation(ROOT, Scenario.read(shipped(name)), new VirtualClock(Simulation.START), null, lines::add);
    }

    /** The weight of each record set of api.example.com A, by Region. */
    private static Map<String, Long> weights(LocalAws aws) {
        Map<String, Long> weights = new TreeMap<>();
        for (ResourceRecordSet record : aws.route53().listResourceRecordSets(request -> request.hostedZoneId(ZONE))
                .resourceRecordSets()) {
            weights.put(record.setIdentifier(), record.weight());
        }
        return weights;
    }

    @Test
    void aHealthyShiftFromOneRegionToTheOtherPromotesAndSwapsTheWeights() throws Exception {
        List<String> lines = new ArrayList<>();
        Simulation simulation = simulation("route53-region-shift-healthy.json", lines);
        Simulation.Result result = simulation.run();

        assertEquals(Outcome.PROMOTED, result.outcome(), String.join("\n", lines));
        assertEquals(Map.of("eu-west-1", 0L, "us-east-1", 255L), weights(simulation.aws()));
        assertEquals("record set us-east-1 100%", result.finalAlias());
        assertTrue(lines.stream().anyMatch(line -> line.contains("Shift    record set eu-west-1 90%, record set"
                + " us-east-1 10%")), String.join("\n", lines));
    }

    @Test
    void aThrottledFirstShiftIsRetriedWithinTheSameSecondAndStillPromotes() throws Exception {
        // The retry comes less than a second after the rollout began: the health-check window is still a minute.
        ObjectNode scenario = shipped("route53-region-shift-healthy.json");
        scenario.putArray("faults").addObject().put("service", "route53").put("operation", "ChangeResourceRecordSets")
                .put("times", 1).put("error", "throttled");
        List<String> lines = new ArrayList<>();
        Simulation.Result result = new Simulation(ROOT, Scenario.read(scenario), new VirtualClock(Simulation.START),
                null, lines::add).run();

        assertEquals(Outcome.PROMOTED, result.outcome(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.contains("failed with Rollout.Throttled")),
                String.join("\n", lines));
    }

    @Test
    void aRegionWhoseHealthCheckFailsMidShiftIsRolledBackAndNamed() throws Exception {
        List<String> lines = new ArrayList<>();
        Simulation simulation = simulation("route53-region-health-check-fails.json", lines);
        Simulation.Result result = simulation.run();

        assertEquals(Outcome.ROLLED_BACK, result.outcome(), String.join("\n", lines));
        assertEquals("Rollout.HealthCheckFailed", result.execution().error().orElse(""));
        assertEquals(Map.of("eu-west-1", 255L, "us-east-1", 0L), weights(simulation.aws()));
        String cause = result.execution().cause().orElse("");
        assertTrue(cause.contains("us-east-1"), cause);
        assertTrue(simulation.aws().sns().outbox().stream().anyMatch(message -> message.message()
                .contains("record set \"us-east-1\" fails its Route 53 health check")), "the notice names the Region");
    }

    @Test
    void aWeightChangedBySomeoneElseStopsTheRolloutAndIsLeftAsTheySetIt() throws Exception {
        List<String> lines = new ArrayList<>();
        Simulation simulation = simulation("route53-weight-changed-by-someone-else.json", lines);
        Simulation.Result result = simulation.run();

        assertEquals(Outcome.STOPPED, result.outcome(), String.join("\n", lines));
        assertEquals("Rollout.Conflict", result.execution().error().orElse(""));
        // The rollout's 10% step set eu-west-1 to 90; the person set us-east-1 to 100: both stay.
        assertEquals(Map.of("eu-west-1", 90L, "us-east-1", 100L), weights(simulation.aws()));
    }

    @Test
    void clientsFollowANewWeightOnlyOnceRoute53IsInSyncAndTheirCachedAnswersHaveExpired() throws Exception {
        LocalAws aws = LocalAws.create(Simulation.START);
        Scenario scenario = Scenario.read(shipped("route53-region-shift-healthy.json"));
        List<String> notes = new ArrayList<>();
        ScenarioDns dns = ScenarioWorld.build(scenario, aws, Simulation.START,
                new ProgressReport(aws, scenario, Simulation.START, notes::add)).orElseThrow();
        aws.route53().changeResourceRecordSets(request -> request.hostedZoneId(ZONE).changeBatch(batch -> batch
                .changes(upsert("eu-west-1", 128), upsert("us-east-1", 128))));

        List<Map<String, Long>> minutes = new ArrayList<>();
        for (int minute = 0; minute < 3; minute++) {
            aws.clock().after(Duration.ofMinutes(1), () -> {
                dns.minute(600);
                minutes.add(served(dns.trafficSinceLastReport()));
            });
            aws.clock().runUntilIdle();
        }

        // Minute 1: the change is PENDING, every name server still answers eu-west-1 alone.
        assertEquals(0L, minutes.get(0).get("us-east-1"));
        // Minute 2: in sync; each resolver asks again as its cached answer expires, one after another.
        long second = minutes.get(1).get("us-east-1");
        assertTrue(second > 100 && second < 200, "about a quarter: " + minutes);
        // Minute 3: every cache has expired since: the weights hold.
        assertEquals(300L, minutes.get(2).get("us-east-1"), minutes.toString());
    }

    @Test
    void aFleetRefusesAScenarioWithDnsSinceItsCopiesWouldShareOneRecord() throws Exception {
        IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> new Fleet(ROOT, shipped("route53-region-shift-healthy.json"), 2,
                        Duration.ofMinutes(1), 1_000));
        assertTrue(refused.getMessage().contains("without dns"), refused.getMessage());
    }

    private software.amazon.awssdk.services.route53.model.Change upsert(String region, long weight) {
        return software.amazon.awssdk.services.route53.model.Change.builder().action(ChangeAction.UPSERT)
                .resourceRecordSet(ResourceRecordSet.builder().name("api.example.com").type("A")
                        .setIdentifier(region).weight(weight).healthCheckId(healthCheck(region))
                        .aliasTarget(target -> target.hostedZoneId(ScenarioDns.SIMULATED_ENDPOINT_ZONE)
                                .dnsName(endpoint(region)).evaluateTargetHealth(false)).build()).build();
    }

    private static String healthCheck(String region) {
        return region.equals("eu-west-1") ? "4b1f8a5e-0c2d-4e6f-9a1b-2c3d4e5f6a7b"
                : "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";
    }

    private static String endpoint(String region) {
        return region.equals("eu-west-1") ? "d-eu1a2b3c4d.execute-api.eu-west-1.amazonaws.com"
                : "d-us1a2b3c4d.execute-api.us-east-1.amazonaws.com";
    }

    private static Map<String, Long> served(String line) {
        Map<String, Long> served = new TreeMap<>();
        Matcher matcher = SERVED.matcher(line);
        while (matcher.find()) {
            served.put(matcher.group(1), Long.parseLong(matcher.group(2)));
        }
        return served;
    }
}
