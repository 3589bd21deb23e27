package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.rollout.handlers.Json;

/**
 * Bakes as long as a rollout may wait (364 days: the state machine times out after 365) end with the lines and
 * verdicts that sending their traffic minute by minute gave (recorded before steady minutes were sent at once), and
 * keep a handful of metric runs however long they last.
 */
class LongBakeScenarioTest {
    /**
     * A canary at 10% of 1,200 requests a minute that bakes for {@code bake}, watching the function's errors, or with
     * {@code fails} version 2's, which fail from then on.
     */
    private static ObjectNode longBake(String bake, String fails) {
        String alarmName = fails == null ? "orders-errors" : "orders-v2-errors";
        ObjectNode scenario = Json.object();
        scenario.put("function", "orders");
        scenario.putArray("versions").add(Json.object().put("errorRate", 0.001).put("latencyMs", 80))
                .add(Json.object().put("errorRate", 0.001).put("latencyMs", 70));
        scenario.put("requestsPerMinute", 1_200);
        ObjectNode alarm = scenario.putArray("alarms").addObject().put("name", alarmName).put("metric", "Errors")
                .put("statistic", "Sum").put("comparison", ">=").put("threshold", fails == null ? 10 : 5);
        if (fails != null) {
            alarm.putObject("dimensions").put("FunctionName", "orders").put("Resource", "orders:live")
                    .put("ExecutedVersion", "2");
            scenario.putArray("changes").addObject().put("at", fails).put("version", "2").put("errorRate", 0.25);
        }
        ObjectNode rollout = scenario.putObject("rollout").put("functionName", "orders").put("targetVersion", "2");
        rollout.putObject("strategy").put("type", "Steps").putArray("steps")
                .add(Json.object().put("setWeight", 10))
                .add(Json.object().set("pause", Json.object().put("duration", bake)));
        rollout.putArray("alarms").add(alarmName);
        return scenario;
    }

    @Test
    void aBakeOf364DaysPromotesWithTheHealthLineItsMinutesGaveOneByOne() throws Exception {
        LongBakeRun run = LongBakeRun.of(longBake("364d", null));

        assertEquals(Outcome.PROMOTED, run.result().outcome());
        assertEquals(List.of(
                "+00:00:00  Prepare  version 1 -> 2 with Steps, watching [\"orders-errors\"]",
                "+00:00:00  Shift    version 1 90%, version 2 10%",
                "+8736:00:00  Health   v1 566092800 req 0.1% err p99 80 ms, v2 62899200 req 0.1% err p99 70 ms | "
                        + "healthy: orders-errors never in ALARM; metrics passed: v2 62899080 req, 0.1% errors, "
                        + "0 throttled, p99 70 ms vs v1 566091720 req, 0.1% errors, 0 throttled, p99 80 ms "
                        + "(0 failed windows of 0 tolerated, 0 inconclusive)",
                "+8736:00:00  Promote  version 2 100%"), run.result().decisions());
        // A year of minutes, every one of them with requests on both versions, kept as a few runs per metric.
        assertTrue(run.metricRuns() < 100, () -> run.metricRuns() + " metric runs");
    }

    @Test
    void aVersionFailingTenDaysIntoAThirtyDayBakeTripsItsAlarmInTheMinuteItDidMinuteByMinute() throws Exception {
        LongBakeRun run = LongBakeRun.of(longBake("30d", "10d"));

        assertEquals(Outcome.ROLLED_BACK, run.result().outcome());
        assertEquals(List.of(
                "+00:00:00  Prepare  version 1 -> 2 with Steps, watching [\"orders-v2-errors\"]",
                "+00:00:00  Shift    version 1 90%, version 2 10%",
                "+240:00:00  Change   version 2 now fails 25.0% of requests, in 100 ms",
                "+240:00:00  Health   v1 15552000 req 0.1% err p99 80 ms, v2 1728000 req 0.1% err p99 70 ms | failed "
                        + "with Rollout.AlarmTriggered: unhealthy: alarm orders-v2-errors entered ALARM at "
                        + "2026-01-15T09:00:00.000+0000 (from OK): Threshold Crossed: 1 out of the last 1 datapoint "
                        + "[30.0 (15/01/26 09:00:00)] was greater than or equal to the threshold (5.0) (minimum 1 "
                        + "datapoint for OK -> ALARM transition).",
                "+240:00:00  Rollback version 1 100% | ROLLED_BACK (see above)"), run.result().decisions());
    }
}
