package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import dev.rollout.handlers.Json;
import dev.rollout.local.aws.RequestRates;
import org.junit.jupiter.api.Test;

class FleetTest {
    private static final Path ROOT = Path.of(System.getProperty("rollout.root", ".."));

    private static JsonNode scenario(String name) throws IOException {
        return Json.MAPPER.readTree(ROOT.resolve("events/scenarios").resolve(name).toFile());
    }

    @Test
    void everyHealthyRolloutOfAFleetPromotesAndNoAliasIsLeftSplit() throws IOException {
        Fleet.Result result = new Fleet(ROOT, scenario("canary-healthy.json"), 20, Duration.ofMinutes(1), 5_000).run();
        assertEquals(Map.of(Outcome.PROMOTED, 20), result.outcomes());
        assertEquals(0, result.splitAliases());
        assertEquals(20, result.durations().size());
    }

    @Test
    void everyFailingRolloutOfAFleetRollsBack() throws IOException {
        Fleet.Result result = new Fleet(ROOT, scenario("alarm-mid-rollout.json"), 20, Duration.ofMinutes(1), 5_000).run();
        assertEquals(Map.of(Outcome.ROLLED_BACK, 20), result.outcomes());
        assertEquals(0, result.splitAliases());
        assertEquals(20, result.reactions().size(), "each rolled back after its alarm fired");
        assertTrue(result.reactions().get(19).compareTo(Duration.ofMinutes(1)) <= 0,
                "unthrottled, every rollback comes within a minute of its alarm: " + result.reactions());
    }

    @Test
    void rolloutsThrottledByEachOtherStillAllRollBackWhole() throws IOException {
        // All at the same instant: far beyond the 15 Lambda control-plane calls and 9 DescribeAlarms a second.
        Fleet.Result result = new Fleet(ROOT, scenario("alarm-mid-rollout.json"), 150, Duration.ZERO, 1_000).run();
        long throttled = result.usage().stream().mapToLong(RequestRates.ApiUsage::throttles).sum();
        assertTrue(throttled > 100, "the quotas must bite for this test to mean anything: " + throttled);
        assertEquals(Map.of(Outcome.ROLLED_BACK, 150), result.outcomes());
        assertEquals(Map.of("ROLLED_BACK by Rollout.AlarmTriggered", 150), result.endedBy(),
                "each rolled back for its own alarm, none for another's throttling");
        assertEquals(0, result.splitAliases());
    }

    @Test
    void callsPerRolloutDoNotGrowWithTheFleetWhileNothingIsThrottled() throws IOException {
        Map<String, Double> one = perRollout(new Fleet(ROOT, scenario("linear-healthy.json"), 1, Duration.ZERO, 5_000).run());
        Fleet.Result ten = new Fleet(ROOT, scenario("linear-healthy.json"), 10, Duration.ofMinutes(1), 5_000).run();
        assertEquals(0, ten.usage().stream().mapToLong(RequestRates.ApiUsage::throttles).sum());
        assertEquals(one, perRollout(ten));
    }

    @Test
    void callsServedPerRolloutDoNotGrowWhenTheFleetIsThrottled() throws IOException {
        Map<String, Double> one = servedPerRollout(new Fleet(ROOT, scenario("canary-healthy.json"), 1, Duration.ZERO,
                5_000).run());
        // All at the same instant: far beyond the 9 DescribeAlarms a second.
        Fleet.Result fleet = new Fleet(ROOT, scenario("canary-healthy.json"), 150, Duration.ZERO, 5_000).run();
        long throttled = fleet.usage().stream().mapToLong(RequestRates.ApiUsage::throttles).sum();
        assertTrue(throttled > 100, "the quotas must bite for this test to mean anything: " + throttled);
        assertEquals(Map.of(Outcome.PROMOTED, 150), fleet.outcomes());
        assertEquals(one, servedPerRollout(fleet), "a throttled task, retried, makes no call again that was served");
    }

    @Test
    void eachCopyGetsItsOwnFunctionAndAlarmsNamedAfterItsNumber() throws IOException {
        JsonNode document = scenario("alarm-mid-rollout.json");
        JsonNode copy = Fleet.numbered(document, Scenario.read(document), 7, 300);
        assertEquals("orders-0007", copy.path("function").asText());
        assertEquals("orders-0007", copy.at("/rollout/functionName").asText());
        String alarm = copy.at("/alarms/0/name").asText();
        assertTrue(alarm.endsWith("-0007"), alarm);
        assertEquals(alarm, copy.at("/rollout/alarms/0").asText());
        assertEquals(document.path("description"), copy.path("description"));
    }

    @Test
    void aFleetRefusesScenariosWithFaults() throws IOException {
        ObjectNode document = (ObjectNode) scenario("canary-healthy.json");
        document.putArray("faults").addObject().put("service", "lambda").put("operation", "UpdateAlias")
                .put("times", 1).put("error", "throttled");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new Fleet(ROOT, document, 2, Duration.ZERO, 1_000));
        assertTrue(refused.getMessage().contains("without faults"), refused.getMessage());
    }

    @Test
    void aFleetRefusesAScenarioWithAnEnvironmentChainWhichItCouldOnlyStartInItsFirstEnvironment() throws IOException {
        JsonNode document = scenario("environment-chain.json");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new Fleet(ROOT, document, 2, Duration.ZERO, 1_000));
        assertTrue(refused.getMessage().contains("environment chain"), refused.getMessage());
    }

    @Test
    void simulatePrintsTheCountOfEachOutcomeAndTheCostPerRollout() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Simulate.run(new String[] {"--fleet", "5", "--concurrency", "5000",
                ROOT.resolve("events/scenarios/canary-healthy.json").toString()}, ROOT,
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, printed);
        assertTrue(printed.contains("Outcomes:      PROMOTED 5"), printed);
        assertTrue(printed.contains("Split aliases: 0"), printed);
        assertTrue(printed.contains("cloudwatch DescribeAlarms"), printed);
        assertTrue(printed.contains("Wall time:"), printed);
    }

    @Test
    void fleetOptionsWithoutAFleetAreAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Simulate.run(new String[] {"--spread", "5m", ROOT.resolve("events/scenarios/canary-healthy.json")
                .toString()}, ROOT, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
                StandardCharsets.UTF_8));
        assertEquals(Outcome.USAGE_ERROR, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("give --fleet N too"), err::toString);
    }

    private static Map<String, Double> servedPerRollout(Fleet.Result result) {
        return result.usage().stream().collect(Collectors.toMap(api -> api.service() + " " + api.operation(),
                api -> (double) (api.calls() - api.throttles()) / result.size()));
    }

    private static Map<String, Double> perRollout(Fleet.Result result) {
        return result.usage().stream().collect(Collectors.toMap(api -> api.service() + " " + api.operation(),
                api -> (double) api.calls() / result.size()));
    }
}
