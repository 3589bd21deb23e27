package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;

/**
 * Long bakes of an API Gateway stage canary end with the lines and verdicts that sending the stage's traffic minute by
 * minute gave (recorded before steady stage minutes were sent at once), and keep a handful of metric runs.
 */
class ApiCanaryLongBakeTest {
    private static final Path ROOT = ProjectRoot.path();

    /**
     * The shipped healthy stage canary (10% of 600 requests a minute, watching the canary's 5XX errors) baking for
     * {@code bake} with no final bake, or with {@code fails} version 2 (behind the canary) failing from then on.
     */
    private static ObjectNode longBake(String bake, String fails) throws Exception {
        ObjectNode scenario = (ObjectNode) Json.MAPPER.readTree(
                ROOT.resolve("events/scenarios/api-canary-healthy.json").toFile());
        ObjectNode rollout = (ObjectNode) scenario.get("rollout");
        rollout.putObject("strategy").put("type", "Steps").putArray("steps")
                .add(Json.object().put("setWeight", 10))
                .add(Json.object().set("pause", Json.object().put("duration", bake)));
        rollout.put("finalBake", 0);
        if (fails != null) {
            scenario.putArray("changes").addObject().put("at", fails).put("version", "2").put("errorRate", 0.25);
        }
        return scenario;
    }

    @Test
    void aTwentyDayStageCanaryBakePromotesWithTheHealthLineItsMinutesGaveOneByOne() throws Exception {
        LongBakeRun run = LongBakeRun.of(longBake("20d", null));

        assertEquals(Outcome.PROMOTED, run.result().outcome());
        assertEquals(List.of(
                "+00:00:00  Prepare  deployment d1 -> d2 with Steps, watching [\"greeter-api-canary-5xx\"]",
                "+00:00:00  Shift    deployment d1 90%, deployment d2 10%",
                "+480:00:00  Health   v1 15552000 req 0.0% err p99 80 ms, v2 1728000 req 0.0% err p99 70 ms | "
                        + "healthy: greeter-api-canary-5xx never in ALARM; metrics passed: canary (deployment d2) "
                        + "1727940 req, 0.0% 5XX, 0.0% 4XX, p99 75 ms vs stage prod 17279400 req, 0.0% 5XX, 0.0% "
                        + "4XX, p99 none (0 failed windows of 0 tolerated, 0 inconclusive)",
                "+480:00:00  Promote  deployment d2 100%"), run.result().decisions());
        // Twenty days of minutes, each with the stage and its canary publishing under the same metrics, kept as a few
        // runs per metric (minute by minute they were tens of thousands).
        assertTrue(run.metricRuns() < 200, () -> run.metricRuns() + " metric runs");
    }

    @Test
    void aVersionFailingFiveDaysIntoAStageCanaryBakeTripsTheCanarysAlarmInTheMinuteItDidMinuteByMinute()
            throws Exception {
        LongBakeRun run = LongBakeRun.of(longBake("20d", "5d"));

        assertEquals(Outcome.ROLLED_BACK, run.result().outcome());
        assertEquals(List.of(
                "+00:00:00  Prepare  deployment d1 -> d2 with Steps, watching [\"greeter-api-canary-5xx\"]",
                "+00:00:00  Shift    deployment d1 90%, deployment d2 10%",
                "+120:00:00  Change   version 2 now fails 25.0% of requests, in 100 ms",
                "+120:00:00  Health   v1 3888000 req 0.0% err p99 80 ms, v2 432000 req 0.0% err p99 70 ms | failed "
                        + "with Rollout.AlarmTriggered: unhealthy: alarm greeter-api-canary-5xx entered ALARM at "
                        + "2026-01-10T09:00:00.000+0000 (from OK): Threshold Crossed: 1 out of the last 1 datapoint "
                        + "[15.0 (10/01/26 09:00:00)] was greater than or equal to the threshold (5.0) (minimum 1 "
                        + "datapoint for OK -> ALARM transition).",
                "+120:00:00  Rollback deployment d1 100% | ROLLED_BACK (see above)"), run.result().decisions());
    }
}
