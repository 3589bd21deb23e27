package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.HistoryEvent;
import dev.rollout.local.asl.HistoryEventType;
import dev.rollout.local.report.HistoryTimeline;
import dev.rollout.local.report.RolloutReport;
import dev.rollout.local.time.VirtualClock;

/**
 * A person's abort and promote-now on the real state machine, pressed on the control page of the started notice's
 * links at given simulated times: in the middle of a long bake, of an approval wait, and between two waits.
 */
class ControlScenarioTest {
    private static final Path ROOT = ProjectRoot.path();
    /** What "within seconds" allows: the page's POST and the state machine's next transitions take no longer. */
    private static final Duration WITHIN_SECONDS = Duration.ofSeconds(5);

    private record Run(Simulation.Result result, List<String> lines) {
        List<HistoryEvent> history() {
            return result.execution().history();
        }

        Instant at(HistoryEventType type, String name) {
            for (HistoryEvent event : history()) {
                if (event.type() == type && event.details(EventDetails.StateEntered.class).name().equals(name)) {
                    return event.timestamp();
                }
            }
            throw new AssertionError("no " + type + " of " + name + " in " + history());
        }

        List<String> statesEntered() {
            List<String> names = new ArrayList<>();
            for (HistoryEvent event : history()) {
                if (event.type().name().endsWith("_STATE_ENTERED")) {
                    names.add(event.details(EventDetails.StateEntered.class).name());
                }
            }
            return names;
        }

        String linesText() {
            return String.join("\n", lines);
        }
    }

    private static Run run(ObjectNode scenario) throws Exception {
        List<String> lines = new ArrayList<>();
        Simulation simulation = new Simulation(ROOT, Scenario.read(scenario), new VirtualClock(Simulation.START), null,
                lines::add);
        return new Run(simulation.run(), lines);
    }

    private static ObjectNode shipped(String name) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(ROOT.resolve("events/scenarios/" + name + ".json").toFile());
    }

    private static ObjectNode control(String at, String action, String by, String reason) {
        return Json.object().put("at", at).put("action", action).put("by", by).put("reason", reason);
    }

    /** A step list: 20%, an approval nobody answers (an hour), 60%, a bake; whatever the scenario's controls do. */
    private static ObjectNode withApprovalStep(ObjectNode scenario) {
        ObjectNode strategy = ((ObjectNode) scenario.get("rollout")).putObject("strategy").put("type", "Steps");
        strategy.putArray("steps").add(Json.object().put("setWeight", 20))
                .add(Json.object().set("approval", Json.object().put("timeout", "1h")))
                .add(Json.object().put("setWeight", 60))
                .add(Json.object().set("pause", Json.object().put("duration", "10m")));
        scenario.putArray("approvals").addObject().put("answer", "none");
        return scenario;
    }

    @Test
    void theShippedAbortMidBakeRollsBackWithinSecondsOfTheAbortSayingWhoAndWhy() throws Exception {
        Run run = run(shipped("abort-mid-bake"));

        assertEquals(Outcome.ROLLED_BACK, run.result().outcome());
        assertEquals(3, run.result().outcome().exitCode());
        assertEquals("version 1 100%", run.result().finalAlias());
        assertEquals("Rollout.Aborted", run.result().execution().error().orElse(""));
        assertEquals("aborted by dana at 2026-01-05T09:07:00Z: support reports checkout errors on version 2",
                run.result().execution().cause().orElse(""));
        Instant aborted = Simulation.START.plus(Duration.ofMinutes(7));
        Instant rolledBack = run.at(HistoryEventType.TASK_STATE_ENTERED, "Rollback");
        assertFalse(rolledBack.isBefore(aborted), rolledBack.toString());
        assertTrue(Duration.between(aborted, rolledBack).compareTo(WITHIN_SECONDS) <= 0,
                "rolled back at " + rolledBack + ", the abort came at " + aborted);
        assertTrue(run.result().simulated().compareTo(Duration.ofMinutes(8)) < 0,
                "the 30-minute bake did not run out: " + run.result().simulated());
        assertTrue(run.linesText().contains("+00:07:00  Control  Bake ended with Rollout.Aborted: aborted by dana"),
                run.linesText());
    }

    @Test
    void theShippedPromoteNowMidBakePromotesWithinSecondsThroughTheUsualCheck() throws Exception {
        Run run = run(shipped("promote-now-mid-bake"));

        assertEquals(Outcome.PROMOTED, run.result().outcome());
        assertEquals(0, run.result().outcome().exitCode());
        assertEquals("version 2 100%", run.result().finalAlias());
        Instant promotedNow = Simulation.START.plus(Duration.ofMinutes(7));
        Instant promoted = run.at(HistoryEventType.TASK_STATE_ENTERED, "Promote");
        assertTrue(Duration.between(promotedNow, promoted).compareTo(WITHIN_SECONDS) <= 0,
                "promoted at " + promoted + ", promote-now came at " + promotedNow);
        assertTrue(run.result().execution().stopDate().orElseThrow().isBefore(promotedNow.plus(WITHIN_SECONDS)),
                "the final bake is a remaining wait too: " + run.result().execution().stopDate());
        // The usual path: Promote judged the window so far, then CheckHealth the window since promotion.
        assertTrue(run.statesEntered().containsAll(List.of("Promote", "FinalBake", "CheckHealth", "NotifyPromoted")),
                run.statesEntered().toString());
        assertTrue(run.linesText().contains("+00:07:00  Health   "), run.linesText());
        // The history shows the decision as the bake's result.
        JsonNode bakeResult = Json.object();
        for (HistoryEvent event : run.history()) {
            if (event.type() == HistoryEventType.TASK_SUCCEEDED) {
                JsonNode output = Json.MAPPER.readTree(event.details(EventDetails.TaskSucceeded.class).output());
                if (output.has("control")) {
                    bakeResult = output;
                    break;
                }
            }
        }
        assertEquals("promote", bakeResult.path("control").asText(), run.history().toString());
        assertEquals("dana", bakeResult.path("by").asText());
        assertEquals("hotfix for the outage; the canary looks clean", bakeResult.path("reason").asText());
    }

    @Test
    void anAbortWhileWaitingForApprovalRollsBackAtOnce() throws Exception {
        ObjectNode scenario = withApprovalStep(shipped("abort-mid-bake"));
        scenario.putArray("controls").add(control("12m", "abort", "eve", "the approvers are away"));

        Run run = run(scenario);

        assertEquals(Outcome.ROLLED_BACK, run.result().outcome());
        assertEquals("Rollout.Aborted", run.result().execution().error().orElse(""));
        Instant rolledBack = run.at(HistoryEventType.TASK_STATE_ENTERED, "Rollback");
        assertEquals(Simulation.START.plus(Duration.ofMinutes(12)), rolledBack);
        assertTrue(run.result().execution().cause().orElse("").endsWith(": the approvers are away"),
                run.result().execution().cause().toString());
    }

    @Test
    void aPromoteNowWhileWaitingForApprovalSkipsTheRemainingStepsToPromotion() throws Exception {
        ObjectNode scenario = withApprovalStep(shipped("promote-now-mid-bake"));
        scenario.putArray("controls").add(control("12m", "promote", "eve", "approved in the change meeting"));

        Run run = run(scenario);

        assertEquals(Outcome.PROMOTED, run.result().outcome());
        assertEquals(Simulation.START.plus(Duration.ofMinutes(12)), run.at(HistoryEventType.TASK_STATE_ENTERED,
                "Promote"));
        assertEquals(1, run.statesEntered().stream().filter(name -> name.startsWith("ShiftTraffic")).count(),
                "the 60% step is skipped: " + run.statesEntered());
        assertFalse(run.linesText().contains("version 2 60%"), run.linesText());
    }

    @Test
    void anAbortBetweenWaitsIsActedOnAsTheNextWaitBegins() throws Exception {
        // A pre-traffic hook answers through its task token five minutes in; the abort comes during it.
        ObjectNode scenario = shipped("abort-mid-bake");
        scenario.putObject("hooks").set("orders-smoke", Json.object().put("answer", "pass").put("after", "5m"));
        ((ObjectNode) scenario.get("rollout")).putObject("hooks").putObject("preTraffic")
                .put("function", "orders-smoke").put("callback", true);
        scenario.putArray("controls").add(control("2m", "abort", "dana", "wrong build"));

        Run run = run(scenario);

        assertTrue(run.linesText().contains("+00:02:00  Control  dana opened the abort link (200) and pressed Abort:"
                + " \"wrong build\" | page answered 202 Aborted: orders:live 1 -> 2"), run.linesText());
        assertEquals(Outcome.ROLLED_BACK, run.result().outcome());
        assertEquals("Rollout.Aborted", run.result().execution().error().orElse(""));
        assertEquals(Simulation.START.plus(Duration.ofMinutes(5)), run.at(HistoryEventType.TASK_STATE_ENTERED,
                "Rollback"));
        assertEquals("version 1 100%", run.result().finalAlias());
    }

    @Test
    void anAbortDuringTheFinalBakeRollsBackFromTheWholeAlias() throws Exception {
        // Ten percent for five minutes, then promoted and watched for a five-minute final bake.
        ObjectNode scenario = shipped("abort-mid-bake");
        ((ObjectNode) scenario.get("rollout")).put("strategy", "Canary10Percent5Minutes");
        scenario.putArray("controls").add(control("7m", "abort", "dana", "a customer reports wrong totals"));

        Run run = run(scenario);

        assertEquals(Outcome.ROLLED_BACK, run.result().outcome());
        assertEquals("Rollout.Aborted", run.result().execution().error().orElse(""));
        assertTrue(run.linesText().contains("Promote  version 2 100%"), run.linesText());
        assertEquals(Simulation.START.plus(Duration.ofMinutes(7)), run.at(HistoryEventType.TASK_STATE_ENTERED,
                "Rollback"));
        assertEquals("version 1 100%", run.result().finalAlias());
    }

    @Test
    void anAbortDuringAPostTrafficHookWithNoWaitAfterItRollsBackInsteadOfEndingPromoted() throws Exception {
        // Ten percent for five minutes, promoted, then a post-traffic hook that answers five minutes later through
        // its task token, and no final bake: no wait follows the abort, so the last check acts on it.
        ObjectNode scenario = shipped("abort-mid-bake");
        ObjectNode rollout = (ObjectNode) scenario.get("rollout");
        rollout.put("strategy", "Canary10Percent5Minutes").put("finalBake", 0);
        scenario.putObject("hooks").set("orders-journey", Json.object().put("answer", "pass").put("after", "5m"));
        rollout.putObject("hooks").putObject("postTraffic").put("function", "orders-journey").put("callback", true);
        scenario.putArray("controls").add(control("7m", "abort", "dana", "a customer reports wrong totals"));

        Run run = run(scenario);

        assertEquals(Outcome.ROLLED_BACK, run.result().outcome());
        assertEquals("Rollout.Aborted", run.result().execution().error().orElse(""));
        assertTrue(run.linesText().contains("Promote  version 2 100%"), run.linesText());
        assertEquals(Simulation.START.plus(Duration.ofMinutes(10)), run.at(HistoryEventType.TASK_STATE_ENTERED,
                "Rollback"));
        assertEquals("version 1 100%", run.result().finalAlias());
    }

    @Test
    void aSecondControlIsRefusedAndTheFirstStands() throws Exception {
        ObjectNode scenario = shipped("promote-now-mid-bake");
        scenario.withArray("controls").add(control("7m", "abort", "eve", "too late"));

        Run run = run(scenario);

        assertEquals(Outcome.PROMOTED, run.result().outcome());
        assertTrue(run.linesText().contains("eve opened the abort link (200) and pressed Abort: \"too late\" | page"
                + " answered 409 Already promoted now: orders:live 1 -> 2"), run.linesText());
    }

    @Test
    void aControlWithoutAReasonIsRefusedAndDecidesNothing() throws Exception {
        ObjectNode scenario = shipped("abort-mid-bake");
        ((ObjectNode) scenario.withArray("controls").get(0)).remove("reason");

        Run run = run(scenario);

        assertEquals(Outcome.PROMOTED, run.result().outcome());
        assertTrue(run.linesText().contains("page answered 400 Abort or promote the rollout of orders:live 1 -> 2"),
                run.linesText());
    }

    @Test
    void theReportMarksTheControlWithWhoAndWhy() throws Exception {
        Run aborted = run(shipped("abort-mid-bake"));
        Run promoted = run(shipped("promote-now-mid-bake"));

        RolloutReport.Mark abort = mark(aborted, RolloutReport.Kind.ABORTED);
        assertEquals(Simulation.START.plus(Duration.ofMinutes(7)), abort.at());
        assertTrue(abort.reason().contains("aborted by dana") && abort.reason().contains("checkout errors"),
                abort.toString());
        RolloutReport.Mark promote = mark(promoted, RolloutReport.Kind.PROMOTED_NOW);
        assertTrue(promote.what().startsWith("promoted now by dana"), promote.toString());
        assertEquals("hotfix for the outage; the canary looks clean", promote.reason());
    }

    private static RolloutReport.Mark mark(Run run, RolloutReport.Kind kind) {
        JsonNode history = Json.MAPPER.valueToTree(Map.of("events", run.history()));
        return HistoryTimeline.read(history, "run", Instant.parse("2030-01-01T00:00:00Z")).marks().stream()
                .filter(mark -> mark.kind() == kind).findFirst().orElseThrow();
    }
}
