package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import dev.rollout.ProjectRoot;
import dev.rollout.domain.Durations;
import dev.rollout.domain.Strategies;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.HistoryEvent;
import dev.rollout.local.asl.HistoryEventType;
import dev.rollout.local.time.VirtualClock;

/**
 * Watching continuously: an alarm interrupts any wait (a bake, an approval, the final bake) through its state-change
 * event, and a healthy traffic step costs three state transitions.
 */
class WatchScenarioTest {
    private static final Path ROOT = ProjectRoot.path();
    private static final Duration WITHIN = Duration.ofSeconds(60);

    static Stream<String> presets() {
        return Strategies.predefinedNames().stream();
    }

    @ParameterizedTest(name = "{0} restores the old version within a minute of its alarm, whatever its bake")
    @MethodSource("presets")
    void everyPresetRestoresTheOldVersionWithinAMinuteOfTheAlarm(String strategy) throws Exception {
        PresetFigures.Figures figures = PresetFigures.measure(ROOT, strategy);
        assertEquals(Outcome.PROMOTED, figures.healthyOutcome());
        assertEquals(Outcome.ROLLED_BACK, figures.failingOutcome());
        Duration reaction = figures.alarmToRestored().orElseThrow();
        assertTrue(reaction.compareTo(WITHIN) <= 0, strategy + " took " + reaction + " from alarm to restored");
    }

    @ParameterizedTest(name = "{0} costs at most three transitions per traffic step, 36 in all")
    @MethodSource("presets")
    void aHealthyLinearRolloutCostsThreeTransitionsPerStep(String strategy) throws Exception {
        Simulation.Result result = run(PresetFigures.world(strategy, false));
        assertEquals(Outcome.PROMOTED, result.outcome());
        if (strategy.startsWith("Linear")) {
            assertTrue(result.execution().stateTransitions() <= 36, result.execution().stateTransitions() + " transitions");
        }
        // From one shift to the next: NextStep, ShiftTraffic, Bake.
        List<Integer> shifts = new ArrayList<>();
        List<HistoryEvent> entered = result.execution().history().stream()
                .filter(event -> event.type().name().endsWith("_STATE_ENTERED"))
                .toList();
        for (int i = 0; i < entered.size(); i++) {
            if (entered.get(i).details(EventDetails.StateEntered.class).name().equals("ShiftTraffic")) {
                shifts.add(i);
            }
        }
        for (int i = 1; i < shifts.size(); i++) {
            assertEquals(3, shifts.get(i) - shifts.get(i - 1), strategy + ": states entered between shifts");
        }
    }

    @Test
    void anAlarmDuringAnApprovalWaitRollsBackWithoutWaitingForAnAnswer() throws Exception {
        ObjectNode scenario = PresetFigures.world("Canary10Percent5Minutes", false);
        scenario.withObjectProperty("rollout").putObject("approval").put("timeout", "24h");
        scenario.putArray("changes").addObject().put("at", "30m").put("version", "2").put("errorRate", 0.25);
        scenario.putArray("approvals").addObject().put("answer", "none");
        Simulation.Result result = run(scenario);
        assertEquals(Outcome.ROLLED_BACK, result.outcome(), result.decisions()::toString);
        assertEquals("Rollout.AlarmTriggered", result.execution().error().orElse(""));
        assertEquals("version 1 100%", result.finalAlias());
        // The minute of traffic that ends at 30m already fails: alarmed at 30m and restored at once, not after the
        // 24 hours the approval could take.
        assertEquals("30m", Durations.format(result.simulated()));
        assertEquals("RequestApproval", failedState(result));
    }

    @Test
    void anAlarmDuringTheFinalBakeRollsTheWholeAliasBack() throws Exception {
        ObjectNode scenario = PresetFigures.world("Linear10PercentEvery1Minute", false);
        scenario.putArray("changes").addObject().put("at", "12m").put("version", "2").put("errorRate", 0.25);
        scenario.withObjectProperty("rollout").put("finalBake", "30m");
        Simulation.Result result = run(scenario);
        assertEquals(Outcome.ROLLED_BACK, result.outcome(), result.decisions()::toString);
        assertEquals("version 1 100%", result.finalAlias());
        // Promoted at 9m; the failure shows in the traffic that ends at 12m, well inside the 30-minute final bake.
        assertEquals("12m", Durations.format(result.simulated()));
        assertEquals("FinalBake", failedState(result));
        assertTrue(result.decisions().stream().anyMatch(line -> line.contains("Promote  version 2 100%")),
                result.decisions()::toString);
    }

    @Test
    void aFinalBakeOfZeroEndsTheRolloutAtPromotion() throws Exception {
        ObjectNode scenario = PresetFigures.world("Canary10Percent5Minutes", false);
        scenario.withObjectProperty("rollout").put("finalBake", 0);
        Simulation.Result result = run(scenario);
        assertEquals(Outcome.PROMOTED, result.outcome());
        assertEquals("5m", Durations.format(result.simulated()));
        assertTrue(result.execution().history().stream().noneMatch(event -> event.type() == HistoryEventType
                .TASK_STATE_ENTERED && event.details(EventDetails.StateEntered.class).name().equals("FinalBake")));
    }

    @Test
    void aStepListWithShiftsNoPauseFollowsMovesStraightOnAndStillChecksEveryWindow() throws Exception {
        ObjectNode scenario = PresetFigures.world("AllAtOnce", false);
        JsonNode steps = Json.MAPPER.valueToTree(List.of(
                Json.object().put("setWeight", 10),
                Json.object().put("setWeight", 20),
                Json.object().set("pause", Json.object().put("duration", "0s")),
                Json.object().set("pause", Json.object().put("duration", "2m")),
                Json.object().put("setWeight", 50)));
        scenario.withObjectProperty("rollout").set("strategy", Json.object().put("type", "Steps").set("steps", steps));
        Simulation.Result result = run(scenario);
        assertEquals(Outcome.PROMOTED, result.outcome(), result.decisions()::toString);
        assertEquals("2m", Durations.format(result.simulated()));
        List<String> states = result.execution().history().stream()
                .filter(event -> event.type().name().endsWith("_STATE_ENTERED"))
                .map(event -> event.details(EventDetails.StateEntered.class).name())
                .toList();
        assertEquals(List.of("Prepare", "NotifyStarted", "NextStep", "ShiftTrafficWithoutBake", "NextStep",
                "ShiftTrafficWithoutBake", "NextStep", "NextStep", "Bake", "NextStep", "ShiftTrafficWithoutBake",
                "NextStep", "Promote", "AfterPromote", "NotifyPromoted", "Promoted"), states);
    }

    @Test
    void theAlarmsStateChangeEventReachesTheRuleAsCloudWatchSendsIt() throws Exception {
        Simulation simulation = new Simulation(ROOT, Scenario.read(PresetFigures.world("Canary10Percent30Minutes", true)),
                new VirtualClock(Simulation.START), null, line -> { });
        simulation.run();
        // The rule saw the alarm entering ALARM (not its earlier INSUFFICIENT_DATA -> OK change), in AWS's shape.
        List<JsonNode> delivered = simulation.runtime().alarmReactions().delivered();
        assertEquals(1, delivered.size(), delivered::toString);
        JsonNode event = delivered.get(0);
        assertEquals("aws.cloudwatch", event.path("source").asText());
        assertEquals("CloudWatch Alarm State Change", event.path("detail-type").asText());
        assertEquals(PresetFigures.ALARM, event.at("/detail/alarmName").asText());
        assertEquals("ALARM", event.at("/detail/state/value").asText());
        assertEquals("OK", event.at("/detail/previousState/value").asText());
        assertEquals("2026-01-05T09:01:00.000+0000", event.at("/detail/state/timestamp").asText());
        assertEquals("Errors", event.at("/detail/configuration/metrics/0/metricStat/metric/name").asText());
        assertEquals("arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + PresetFigures.ALARM,
                event.at("/resources/0").asText());
    }

    private static String failedState(Simulation.Result result) {
        String entered = "";
        for (HistoryEvent event : result.execution().history()) {
            if (event.type() == HistoryEventType.TASK_STATE_ENTERED) {
                entered = event.details(EventDetails.StateEntered.class).name();
            } else if (event.type() == HistoryEventType.TASK_FAILED) {
                return entered;
            }
        }
        return "";
    }

    private static Simulation.Result run(JsonNode scenario) throws Exception {
        return new Simulation(ROOT, Scenario.read(scenario), new VirtualClock(Simulation.START), null, line -> { }).run();
    }
}
