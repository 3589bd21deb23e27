package dev.rollout.local.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import dev.rollout.local.Scenario;
import dev.rollout.local.Simulation;
import dev.rollout.local.report.RolloutReport.Kind;
import dev.rollout.local.report.RolloutReport.Mark;
import dev.rollout.local.report.RolloutReport.Timeline;
import dev.rollout.local.time.VirtualClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The timeline a report draws, read from execution histories of real local runs and of hand-written ones. */
class HistoryTimelineTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void anAlarmMidRolloutShowsEachShiftAndVerdictThenTheFailedCheckAndTheRollbackAtFourMinutes()
            throws Exception {
        Timeline timeline = HistoryTimeline.read(history(scenario("alarm-mid-rollout")), "run", NOW);

        assertEquals("orders:live 1 -> 2", timeline.title());
        assertEquals("FAILED Rollout.AlarmTriggered", timeline.outcome());
        assertEquals(List.of("orders-v2-errors"), timeline.alarms());
        assertEquals(List.of(Kind.STARTED, Kind.SHIFT, Kind.HEALTHY, Kind.SHIFT, Kind.HEALTHY, Kind.SHIFT,
                Kind.HEALTHY, Kind.SHIFT, Kind.UNHEALTHY, Kind.ROLLED_BACK), kinds(timeline));
        Mark rollback = timeline.marks().get(timeline.marks().size() - 1);
        assertEquals(Simulation.START.plusSeconds(240), rollback.at());
        assertTrue(rollback.reason().startsWith("unhealthy: alarm orders-v2-errors is in ALARM"), rollback.reason());
        assertEquals(List.of(Map.of("1", 90.0, "2", 10.0), Map.of("1", 80.0, "2", 20.0), Map.of("1", 70.0, "2", 30.0),
                Map.of("1", 60.0, "2", 40.0), Map.of("1", 100.0)),
                timeline.weights().stream().map(RolloutReport.WeightChange::percentByVersion).toList());
        assertEquals(Simulation.START.plusSeconds(240), timeline.end());
    }

    @Test
    void aFailingPostTrafficHookShowsTheHookThatPassedTheCallbackThatFailedAndTheRollbackFromFullTraffic()
            throws Exception {
        Timeline timeline = HistoryTimeline.read(history(scenario("post-traffic-hook-fails")), "run", NOW);

        List<Mark> hooks = timeline.marks().stream().filter(mark -> mark.kind() == Kind.HOOK).toList();
        assertEquals(List.of("pre-traffic hook orders-smoke-test answered Succeeded",
                "post-traffic hook orders-e2e-check called", "post-traffic hook orders-e2e-check answered Failed"),
                hooks.stream().map(Mark::what).toList());
        assertEquals("checkout journey failed: payment step timed out", hooks.get(2).reason());
        assertEquals(Simulation.START.plusSeconds(420), hooks.get(2).at());
        assertEquals(Kind.SHIFT, timeline.marks().get(timeline.marks().indexOf(hooks.get(0)) + 1).kind());
        assertEquals(Kind.ROLLED_BACK, timeline.marks().get(timeline.marks().size() - 1).kind());
        assertEquals(Map.of("1", 100.0), timeline.weights().get(timeline.weights().size() - 1).percentByVersion());
    }

    @Test
    void aHookThatNeverAnswersShowsAsFailedWhenItsTimeoutPasses() throws Exception {
        ObjectNode scenario = scenario("pre-traffic-hook-fails");
        ((ObjectNode) scenario.path("hooks").path("orders-smoke-test")).put("answer", "hang");
        ((ObjectNode) scenario.path("rollout")).putObject("hooks").putObject("preTraffic")
                .put("function", "orders-smoke-test").put("timeout", "2m");
        Timeline timeline = HistoryTimeline.read(history(scenario), "run", NOW);

        Mark failed = only(timeline, Kind.FAILED);
        assertEquals("pre-traffic hook orders-smoke-test did not answer within its timeout", failed.what());
        assertEquals(Simulation.START.plusSeconds(120), failed.at());
    }

    @Test
    void anApprovalShowsWhoApprovedWhenAndTheirComment() throws Exception {
        Timeline timeline = HistoryTimeline.read(history(scenario("approval-approved")), "run", NOW);

        Mark approved = only(timeline, Kind.APPROVED);
        assertEquals("approved by dana at 2026-01-05T09:15:00Z", approved.what());
        assertEquals("dashboards look fine", approved.reason());
        Mark requested = only(timeline, Kind.APPROVAL_REQUESTED);
        assertEquals(Simulation.START.plusSeconds(300), requested.at());
        assertTrue(requested.reason().startsWith("expires at 2026-01-05T11:05:00Z"), requested.reason());
        assertEquals("SUCCEEDED", timeline.outcome());
        // Promoted, then the final bake's window judged healthy.
        assertEquals(Kind.PROMOTED, timeline.marks().get(timeline.marks().size() - 2).kind());
        assertEquals(Kind.HEALTHY, timeline.marks().get(timeline.marks().size() - 1).kind());
    }

    @Test
    void anApprovalNobodyAnswersShowsThatItTimedOutBeforeTheRollback() throws Exception {
        ObjectNode scenario = scenario("approval-approved");
        scenario.set("approvals", Json.MAPPER.readTree("[{\"answer\": \"none\"}]"));

        Timeline timeline = HistoryTimeline.read(history(scenario), "run", NOW);

        Mark timedOut = only(timeline, Kind.APPROVAL_TIMED_OUT);
        assertEquals(Simulation.START.plusSeconds(300 + 7200), timedOut.at());
        assertEquals(Kind.ROLLED_BACK, timeline.marks().get(timeline.marks().size() - 1).kind());
    }

    @Test
    void aRejectionShowsAsRejectedWithTheReasonGiven() throws Exception {
        ObjectNode scenario = scenario("approval-approved");
        scenario.set("approvals", Json.MAPPER.readTree(
                "[{\"answer\": \"reject\", \"after\": \"3m\", \"by\": \"lee\", \"comment\": \"p99 doubled\"}]"));

        Timeline timeline = HistoryTimeline.read(history(scenario), "run", NOW);

        Mark rejected = only(timeline, Kind.REJECTED);
        assertTrue(rejected.reason().contains("lee"), rejected.reason());
        assertEquals(Kind.ROLLED_BACK, timeline.marks().get(timeline.marks().size() - 1).kind());
    }

    @Test
    void aStateTheReaderHasNeverHeardOfStillMovesTheWeightsAndShowsAsAStep() {
        ArrayNode events = Json.MAPPER.createArrayNode();
        events.add(event("2026-01-05T09:00:00Z", "ExecutionStarted", "executionStartedEventDetails",
                Map.of("input", "{}")));
        events.add(entered("2026-01-05T09:00:00Z", "RestoreTraffic"));
        events.add(event("2026-01-05T09:02:30Z", "TaskStateExited", "stateExitedEventDetails",
                Map.of("name", "RestoreTraffic", "output",
                        "{\"routing\":\"version 3 100%\",\"reason\":\"restored after the stop\"}")));
        events.add(entered("2026-01-05T09:02:30Z", "NotifyRestored"));
        events.add(event("2026-01-05T09:02:31Z", "TaskStateExited", "stateExitedEventDetails",
                Map.of("name", "NotifyRestored", "output", "{\"reason\":\"a message decides nothing\"}")));

        Timeline timeline = HistoryTimeline.read(events, "restore", NOW);

        assertEquals(List.of(new Mark(Instant.parse("2026-01-05T09:02:30Z"), Kind.OTHER, "RestoreTraffic",
                "version 3 100%", "restored after the stop")), timeline.marks());
        assertEquals(List.of(Map.of("3", 100.0)),
                timeline.weights().stream().map(RolloutReport.WeightChange::percentByVersion).toList());
        assertEquals("RUNNING", timeline.outcome());
        assertEquals(NOW, timeline.end(), "a running execution's window reaches to now");
    }

    @Test
    void aRoute53RolloutShowsNoFailureWhileAChangePropagatesAndAFailingHealthCheckAsTheUnhealthyVerdict()
            throws Exception {
        Timeline timeline = HistoryTimeline.read(history(scenario("route53-region-health-check-fails")), "run", NOW);

        assertEquals("FAILED Rollout.HealthCheckFailed", timeline.outcome());
        // Each shift settles (one step, saying when the change was in sync), never a failure per GetChange.
        assertEquals(List.of(Kind.STARTED, Kind.SHIFT, Kind.OTHER, Kind.HEALTHY, Kind.SHIFT, Kind.OTHER,
                Kind.UNHEALTHY, Kind.ROLLED_BACK), kinds(timeline));
        Mark settled = timeline.marks().get(2);
        assertEquals("Settle", settled.state());
        assertEquals(Simulation.START.plusSeconds(60), settled.at());
        assertTrue(settled.reason().contains("is in sync"), settled.reason());
        assertTrue(only(timeline, Kind.UNHEALTHY).reason().contains("record set \"us-east-1\" fails its Route 53 health"
                + " check"), only(timeline, Kind.UNHEALTHY).reason());
    }

    @Test
    void aHistoryWithoutEventsIsRefusedByName() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> HistoryTimeline.read(Json.MAPPER.createObjectNode().set("events",
                        Json.MAPPER.createArrayNode()), "empty", NOW));
        assertTrue(refused.getMessage().startsWith("events:"), refused.getMessage());
    }

    static ObjectNode scenario(String name) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(ProjectRoot.resolve("events/scenarios/" + name + ".json").toFile());
    }

    static Simulation.Result run(JsonNode scenario) throws Exception {
        return new Simulation(ProjectRoot.path(), Scenario.read(scenario), new VirtualClock(Simulation.START), null,
                line -> { }).run();
    }

    private static JsonNode history(JsonNode scenario) throws Exception {
        return Json.MAPPER.valueToTree(Map.of("events", run(scenario).execution().history()));
    }

    private static List<Kind> kinds(Timeline timeline) {
        return timeline.marks().stream().map(Mark::kind).toList();
    }

    private static Mark only(Timeline timeline, Kind kind) {
        List<Mark> marks = timeline.marks().stream().filter(mark -> mark.kind() == kind).toList();
        assertEquals(1, marks.size(), () -> kind + " in " + timeline.marks());
        return marks.get(0);
    }

    private static ObjectNode entered(String at, String state) {
        return event(at, "TaskStateEntered", "stateEnteredEventDetails", Map.of("name", state, "input", "{}"));
    }

    private static ObjectNode event(String at, String type, String detailsName, Map<String, String> details) {
        ObjectNode event = Json.object().put("timestamp", at).put("type", type);
        event.set(detailsName, Json.MAPPER.valueToTree(details));
        return event;
    }
}
