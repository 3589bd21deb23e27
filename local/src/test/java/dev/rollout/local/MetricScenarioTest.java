package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import dev.rollout.local.time.VirtualClock;

/** The new version judged by its own metrics against the old version's, with no alarm written. */
class MetricScenarioTest {
    private static final Path ROOT = ProjectRoot.path();

    /** Function orders, 600 requests a minute, a canary to version 2 that watches no alarm at all. */
    private static ObjectNode unwatched(String strategy) {
        ObjectNode scenario = PresetFigures.world(strategy, false);
        scenario.remove("alarms");
        ((ObjectNode) scenario.get("rollout")).remove("alarms");
        return scenario;
    }

    private static Simulation.Result run(JsonNode scenario) throws Exception {
        return new Simulation(ROOT, Scenario.read(scenario), new VirtualClock(Simulation.START), null, line -> { }).run();
    }

    @Test
    void aFailingVersionWithNoAlarmIsRolledBackByItsOwnErrorRate() throws Exception {
        ObjectNode scenario = unwatched("Linear10PercentEvery3Minutes");
        scenario.putArray("changes").addObject().put("at", "1m").put("version", "2").put("errorRate", 0.2);
        Simulation.Result result = run(scenario);
        assertEquals(Outcome.ROLLED_BACK, result.outcome(), result.decisions()::toString);
        assertEquals("Rollout.VersionUnhealthy", result.execution().error().orElse(""));
        assertEquals("version 1 100%", result.finalAlias());
        String cause = result.execution().cause().orElse("");
        assertTrue(cause.contains("metrics failed (error rate 20% is above the 5% ceiling): v2 120 req, 20.0% errors"),
                cause);
        assertTrue(result.decisions().stream().anyMatch(line -> line.contains("Health ")
                && line.contains("failed with Rollout.VersionUnhealthy")), result.decisions()::toString);
    }

    @Test
    void aSlowerVersionIsRolledBackByItsP99() throws Exception {
        ObjectNode scenario = unwatched("Canary10Percent5Minutes");
        scenario.putArray("changes").addObject().put("at", "1m").put("version", "2").put("latencyMs", 400)
                .put("errorRate", 0.0);
        Simulation.Result result = run(scenario);
        assertEquals(Outcome.ROLLED_BACK, result.outcome(), result.decisions()::toString);
        assertTrue(result.execution().cause().orElse("").contains("p99 400 ms is more than 2 times v1's 80 ms"),
                result.execution().cause().orElse(""));
    }

    @Test
    void aHealthyLowTrafficFunctionIsPromotedAndItsWindowsReportedInconclusive() throws Exception {
        ObjectNode scenario = unwatched("Canary10Percent5Minutes");
        scenario.put("requestsPerMinute", 20);
        // One failure among a handful of requests must not roll a healthy version back.
        scenario.putArray("versions").add(Json.object().put("errorRate", 0.02).put("latencyMs", 80))
                .add(Json.object().put("errorRate", 0.02).put("latencyMs", 75));
        Simulation.Result result = run(scenario);
        assertEquals(Outcome.PROMOTED, result.outcome(), result.decisions()::toString);
        List<String> health = result.decisions().stream().filter(line -> line.contains("Health ")).toList();
        assertTrue(health.stream().anyMatch(line -> line.contains("metrics inconclusive (")
                && line.contains("fewer than the 100 needed to judge")), health::toString);
    }

    @Test
    void aRolloutCanLowerTheEvidenceItNeedsAndTheTimelineShowsTheNumbersOfBothVersions() throws Exception {
        ObjectNode scenario = unwatched("Canary10Percent5Minutes");
        scenario.put("requestsPerMinute", 100);
        ((ObjectNode) scenario.get("rollout")).putObject("metrics").put("minInvocations", 20);
        Simulation.Result result = run(scenario);
        assertEquals(Outcome.PROMOTED, result.outcome());
        assertTrue(result.decisions().stream().anyMatch(line -> line.contains("metrics passed: v2 40 req, 0.0% errors,"
                + " 0 throttled, p99 75 ms vs v1 360 req, 0.0% errors, 0 throttled, p99 80 ms")),
                result.decisions()::toString);
    }

    @Test
    void aRolloutThatTurnsMetricJudgementOffIsStillShownTheNumbers() throws Exception {
        ObjectNode scenario = unwatched("Canary10Percent5Minutes");
        scenario.putArray("changes").addObject().put("at", "1m").put("version", "2").put("errorRate", 0.2);
        ((ObjectNode) scenario.get("rollout")).putObject("metrics").put("enabled", false);
        Simulation.Result result = run(scenario);
        assertEquals(Outcome.PROMOTED, result.outcome(), result.decisions()::toString);
        assertTrue(result.decisions().stream().anyMatch(line -> line.contains("metrics failed (error rate 20%")),
                result.decisions()::toString);
    }

    @Test
    void aThresholdToleratesThatManyFailedWindowsCountsThemAndRollsBackAtTheNext() throws Exception {
        ObjectNode scenario = unwatched("Linear10PercentEvery3Minutes");
        scenario.putArray("changes").addObject().put("at", "1m").put("version", "2").put("errorRate", 0.2);
        ((ObjectNode) scenario.get("rollout")).putObject("metrics").put("threshold", 1);
        Simulation.Result result = run(scenario);
        assertEquals(Outcome.ROLLED_BACK, result.outcome(), result.decisions()::toString);
        // The first failed window (0m-3m) is tolerated and shown; the rollout shifts on; the second rolls back.
        assertTrue(result.decisions().stream().anyMatch(line -> line.startsWith("+00:03:00  Health")
                && line.contains("metrics failed (error rate 20% is above the 5% ceiling)")
                && line.contains("(1 failed window of 1 tolerated, 0 inconclusive)")), result.decisions()::toString);
        assertTrue(result.decisions().stream().anyMatch(line -> line.startsWith("+00:03:00  Shift    version 1 80%")),
                result.decisions()::toString);
        assertEquals("6m", dev.rollout.domain.Durations.format(result.simulated()));
        assertTrue(result.execution().cause().orElse("").contains("(2 failed windows of 1 tolerated, 0 inconclusive)"),
                result.execution().cause().orElse(""));
    }
}
