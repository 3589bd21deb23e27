package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.aws.PublishedMessage;
import dev.rollout.local.time.VirtualClock;

/** The real state machine with the real handlers on the embedded AWS, one rollout per test. */
class ScenarioTest {
    private static final Path ROOT = ProjectRoot.path();

    /** A world with function orders, versions 1..3 healthy, live on 1, and an alarm on version 2's errors. */
    private static ObjectNode world(Object strategy) {
        ObjectNode scenario = Json.object();
        scenario.put("function", "orders");
        scenario.putArray("versions").add(healthy()).add(healthy()).add(healthy());
        scenario.put("requestsPerMinute", 600);
        ObjectNode alarm = scenario.putArray("alarms").addObject();
        alarm.put("name", "orders-v2-errors").put("threshold", 5);
        alarm.putObject("dimensions").put("FunctionName", "orders").put("Resource", "orders:live")
                .put("ExecutedVersion", "2");
        ObjectNode rollout = scenario.putObject("rollout");
        rollout.put("functionName", "orders").put("targetVersion", "2");
        rollout.set("strategy", Json.MAPPER.valueToTree(strategy));
        rollout.putArray("alarms").add("orders-v2-errors");
        return scenario;
    }

    private static ObjectNode healthy() {
        return Json.object().put("errorRate", 0.0).put("latencyMs", 80);
    }

    private record Run(Simulation.Result result, List<String> subjects, String alias) {
        String error() {
            return result.execution().error().orElse("");
        }
    }

    private static Run run(JsonNode scenario) throws Exception {
        List<String> lines = new ArrayList<>();
        Simulation simulation = new Simulation(ROOT, Scenario.read(scenario), new VirtualClock(Simulation.START), null,
                lines::add);
        Simulation.Result result = simulation.run();
        List<String> subjects = simulation.aws().sns().outbox().stream().map(PublishedMessage::subject).toList();
        return new Run(result, subjects, result.finalAlias());
    }

    static Stream<Arguments> promotingStrategies() {
        return Stream.of(
                Arguments.of("a linear preset promotes after nine healthy minutes and watches one more",
                        "Linear10PercentEvery1Minute", "10m"),
                Arguments.of("a canary preset with the CodeDeploy prefix promotes after its bake and bakes as long again",
                        "CodeDeployDefault.LambdaCanary10Percent5Minutes", "10m"),
                Arguments.of("all at once promotes without waiting, then watches for ten minutes", "AllAtOnce", "10m"),
                Arguments.of("a custom time-based canary promotes after its interval and watches one more",
                        Json.object().put("type", "TimeBasedCanary").put("percentage", 20).put("intervalMinutes", 3), "6m"),
                Arguments.of("a custom time-based linear rollout promotes after its increments and watches one more",
                        Json.object().put("type", "TimeBasedLinear").put("percentage", 25).put("intervalMinutes", 2), "8m"),
                Arguments.of("an explicit step list promotes after its pauses, with no final bake unless it asks", Json.MAPPER.createObjectNode()
                        .put("type", "Steps").set("steps", Json.MAPPER.valueToTree(List.of(
                                Json.object().put("setWeight", 5),
                                Json.object().set("pause", Json.object().put("duration", "2m")),
                                Json.object().put("setWeight", 50),
                                Json.object().set("pause", Json.object().put("duration", 90))))), "3m30s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("promotingStrategies")
    void eachStrategyFamilyPromotesAHealthyVersion(String sentence, Object strategy, String took) throws Exception {
        Run run = run(world(strategy));
        assertEquals(Outcome.PROMOTED, run.result().outcome(), run.result().decisions()::toString);
        assertEquals(ExecutionStatus.SUCCEEDED, run.result().execution().status());
        assertEquals("version 2 100%", run.alias());
        assertEquals(took, dev.rollout.domain.Durations.format(run.result().simulated()));
        assertEquals(List.of("Rollout started: orders:live 1 -> 2", "Rollout promoted: orders:live 1 -> 2"),
                run.subjects());
    }

    @Test
    void anAlarmFiringMidRolloutRollsBack() throws Exception {
        ObjectNode scenario = world("Linear10PercentEvery1Minute");
        scenario.putArray("changes").addObject().put("at", "4m").put("version", "2").put("errorRate", 0.25);
        Run run = run(scenario);
        assertEquals(Outcome.ROLLED_BACK, run.result().outcome());
        assertEquals(ExecutionStatus.FAILED, run.result().execution().status());
        assertEquals("Rollout.AlarmTriggered", run.error());
        assertTrue(run.result().execution().cause().orElse("").contains("alarm orders-v2-errors is in ALARM"));
        assertEquals("version 1 100%", run.alias());
        assertEquals(List.of("Rollout started: orders:live 1 -> 2", "Rollout rolled back: orders:live 1 -> 2"),
                run.subjects());
    }

    @Test
    void anAlarmThatFiresAndClearsInsideOneBakeWindowRollsBackWhenItFiresNotWhenTheBakeEnds() throws Exception {
        ObjectNode scenario = world("Canary10Percent10Minutes");
        scenario.putArray("changes")
                .add(Json.object().put("at", "2m").put("version", "2").put("errorRate", 0.5))
                .add(Json.object().put("at", "3m").put("version", "2").put("errorRate", 0.0));
        Run run = run(scenario);
        assertEquals(Outcome.ROLLED_BACK, run.result().outcome(), run.result().decisions()::toString);
        assertEquals("Rollout.AlarmTriggered", run.error());
        assertTrue(run.result().execution().cause().orElse("")
                        .contains("alarm orders-v2-errors entered ALARM at 2026-01-05T09:02:00.000+0000 (from OK)"),
                run.result().execution().cause().orElse(""));
        // The alarm's state-change event interrupts the ten-minute bake the minute the alarm fires.
        assertEquals("2m", dev.rollout.domain.Durations.format(run.result().simulated()));
        assertEquals("version 1 100%", run.alias());
    }

    @Test
    void aMissingTargetVersionIsRefusedBeforeAnythingMoves() throws Exception {
        ObjectNode scenario = world("AllAtOnce");
        scenario.withObjectProperty("rollout").put("targetVersion", "7");
        Run run = run(scenario);
        assertEquals(Outcome.INVALID_INPUT, run.result().outcome());
        assertEquals("Rollout.InvalidInput", run.error());
        assertTrue(run.result().execution().cause().orElse("").contains("targetVersion: version 7 of orders does not exist"));
        assertEquals("version 1 100%", run.alias());
        assertEquals(List.of("Rollout refused: orders:live version 7"), run.subjects());
    }

    @Test
    void anInputWithMixedProblemsIsRefusedOnceNamingEveryField() throws Exception {
        ObjectNode scenario = world(Json.MAPPER.readTree("{\"type\": \"Steps\", \"steps\": [{\"setWeight\": 10},"
                + " {\"pause\": {\"duration\": \"9999999999999999d\"}}]}"));
        ObjectNode rollout = scenario.withObjectProperty("rollout");
        rollout.put("targetVersion", "7");
        rollout.putArray("alarms").add("orders-v2-errors").add("orders-latency");
        Run run = run(scenario);
        assertEquals(Outcome.INVALID_INPUT, run.result().outcome());
        assertEquals("Rollout.InvalidInput", run.error());
        String cause = run.result().execution().cause().orElse("");
        for (String problem : List.of("strategy.steps[1].pause.duration: ",
                "targetVersion: version 7 of orders does not exist",
                "alarms[1]: no CloudWatch alarm named \"orders-latency\"")) {
            assertTrue(cause.contains(problem), problem + " in " + cause);
        }
        assertEquals("version 1 100%", run.alias());
        assertEquals(List.of("Rollout refused: orders:live version 7"), run.subjects());
        // Restore, told of the failed execution, finds nothing prepared and leaves the report to the state machine.
        assertTrue(run.result().decisions().stream().noneMatch(line -> line.contains("Restore")),
                run.result().decisions()::toString);
    }

    @Test
    void aTargetEqualToTheCurrentVersionIsRefused() throws Exception {
        ObjectNode scenario = world("AllAtOnce");
        scenario.withObjectProperty("rollout").put("targetVersion", "1");
        Run run = run(scenario);
        assertEquals(Outcome.INVALID_INPUT, run.result().outcome());
        assertTrue(run.result().execution().cause().orElse("").contains("already serves version 1"));
        assertEquals("version 1 100%", run.alias());
    }

    @Test
    void anAliasAlreadySplitIsAConflictAndStaysAsItWas() throws Exception {
        ObjectNode scenario = world("AllAtOnce");
        scenario.putObject("extraRouting").put("3", 0.2);
        Run run = run(scenario);
        assertEquals(Outcome.REFUSED, run.result().outcome());
        assertEquals("Rollout.Conflict", run.error());
        assertEquals("version 1 80%, version 3 20%", run.alias());
        assertEquals(List.of("Rollout refused: orders:live version 2"), run.subjects());
    }

    @Test
    void throttledAliasUpdatesAreRetriedAndTheRolloutStillPromotes() throws Exception {
        ObjectNode scenario = world("Canary10Percent5Minutes");
        scenario.putArray("faults").addObject().put("service", "lambda").put("operation", "UpdateAlias")
                .put("times", 3).put("error", "throttled");
        Run run = run(scenario);
        assertEquals(Outcome.PROMOTED, run.result().outcome(), run.result().decisions()::toString);
        assertEquals("version 2 100%", run.alias());
        long retries = run.result().decisions().stream().filter(line -> line.contains("failed with Rollout.Throttled")).count();
        assertEquals(3, retries);
    }

    @Test
    void aRollbackThatFailsAtFirstSucceedsOnRetry() throws Exception {
        ObjectNode scenario = world("Linear10PercentEvery1Minute");
        scenario.putArray("changes").addObject().put("at", "2m").put("version", "2").put("errorRate", 1.0);
        scenario.putArray("faults").addObject().put("operation", "UpdateAlias").put("times", 2)
                .put("error", "serviceError").put("during", "Rollback");
        Run run = run(scenario);
        assertEquals(Outcome.ROLLED_BACK, run.result().outcome(), run.result().decisions()::toString);
        assertEquals("Rollout.AlarmTriggered", run.error());
        assertEquals("version 1 100%", run.alias());
        assertEquals(2, run.result().decisions().stream().filter(line -> line.contains("Rollback failed with")).count());
    }

    private static ObjectNode withApproval(String answer) {
        ObjectNode scenario = world("Canary10Percent5Minutes");
        scenario.withObjectProperty("rollout").putObject("approval").put("timeout", "1h");
        scenario.putArray("approvals").addObject().put("answer", answer).put("after", "20m").put("by", "dana")
                .put("comment", "checked the dashboards");
        return scenario;
    }

    @Test
    void anApprovedRolloutPromotesAndRecordsWhoApproved() throws Exception {
        Run run = run(withApproval("approve"));
        assertEquals(Outcome.PROMOTED, run.result().outcome(), run.result().decisions()::toString);
        assertEquals("version 2 100%", run.alias());
        // Five minutes' bake, the twenty minutes until dana approves, and the five-minute final bake.
        assertEquals("30m", dev.rollout.domain.Durations.format(run.result().simulated()));
        assertTrue(run.result().execution().history().toString().contains("checked the dashboards"));
        assertTrue(run.subjects().get(1).startsWith("Approval needed"), run.subjects().toString());
    }

    @Test
    void aRejectedRolloutRollsBackWithRolloutRejected() throws Exception {
        Run run = run(withApproval("reject"));
        assertEquals(Outcome.ROLLED_BACK, run.result().outcome(), run.result().decisions()::toString);
        assertEquals("Rollout.Rejected", run.error());
        assertTrue(run.result().execution().cause().orElse("").contains("dana"), run.result().execution().cause().orElse(""));
        assertEquals("version 1 100%", run.alias());
    }

    @Test
    void anApprovalNobodyAnswersTimesOutAndRollsBack() throws Exception {
        Run run = run(withApproval("none"));
        assertEquals(Outcome.ROLLED_BACK, run.result().outcome(), run.result().decisions()::toString);
        assertEquals("Rollout.ApprovalTimedOut", run.error());
        assertEquals("1h5m", dev.rollout.domain.Durations.format(run.result().simulated()));
        assertEquals("version 1 100%", run.alias());
    }

    @Test
    void publishingAVersionStartsARolloutWithTheFunctionsTagSettings() throws Exception {
        ObjectNode scenario = world("AllAtOnce");
        scenario.remove("rollout");
        scenario.put("trigger", "publish");
        scenario.putObject("tags").put("rollout:strategy", "Canary10Percent10Minutes")
                .put("rollout:alarms", "orders-v2-errors");
        Run run = run(scenario);
        assertEquals(Outcome.PROMOTED, run.result().outcome(), run.result().decisions()::toString);
        assertEquals("20m", dev.rollout.domain.Durations.format(run.result().simulated()));
        assertTrue(run.result().decisions().get(0).contains("Publish  version 3: started orders-live-v3-"),
                run.result().decisions().get(0));
        assertEquals("version 3 100%", run.alias());
    }

    @Test
    void theShippedScenariosBehaveAsTheirDescriptionsSay() throws Exception {
        assertEquals(Outcome.PROMOTED, run(read("linear-healthy.json")).result().outcome());
        assertEquals(Outcome.PROMOTED, run(read("canary-healthy.json")).result().outcome());
        assertEquals(Outcome.ROLLED_BACK, run(read("alarm-mid-rollout.json")).result().outcome());
        assertEquals(Outcome.PROMOTED, run(read("approval-approved.json")).result().outcome());
        assertEquals(Outcome.PROMOTED, run(read("publish-with-tags.json")).result().outcome());
        assertEquals(Outcome.PROMOTED, run(read("low-traffic-healthy.json")).result().outcome());
        assertEquals(Outcome.ROLLED_BACK, run(read("metrics-rollback-no-alarm.json")).result().outcome());
        assertEquals(Outcome.ROLLED_BACK, run(read("pre-traffic-hook-fails.json")).result().outcome());
        assertEquals(Outcome.ROLLED_BACK, run(read("post-traffic-hook-fails.json")).result().outcome());
        assertEquals(Outcome.PROMOTED, run(read("appspec-with-hooks.json")).result().outcome());
    }

    private static JsonNode read(String name) throws Exception {
        return Json.MAPPER.readTree(ROOT.resolve("events/scenarios").resolve(name).toFile());
    }
}
