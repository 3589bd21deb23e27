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
 * Long bakes of a Route 53 weighted record end with the lines and verdicts that sending the Regions' traffic minute by
 * minute gave (recorded before steady DNS minutes were sent at once), and keep a handful of metric runs.
 */
class Route53LongBakeTest {
    private static final Path ROOT = ProjectRoot.path();
    private static final String PREPARED = "+00:00:00  Prepare  record set eu-west-1 -> us-east-1 with Steps,"
            + " watching [\"greeter-us-east-1-errors\"]";
    private static final String SHIFTED = "+00:00:00  Shift    record set eu-west-1 90%, record set us-east-1 10%";
    private static final String PENDING = "+00:00:00  Settle   Route 53 change CI1UJ2XQGSMRBW is still PENDING: not"
            + " every Route 53 name server answers with the new weights yet; asked again until it is INSYNC";
    private static final String IN_SYNC = "+00:01:00  Settle   change CI1UJ2XQGSMRBW is in sync; resolvers may answer"
            + " from their caches for 60 s more, until 2026-01-05T09:02:00Z";

    /** A shipped Route 53 scenario moving 10% of the DNS traffic to us-east-1 for ten days, with no final bake. */
    private static ObjectNode tenDayBake(String shipped) throws Exception {
        ObjectNode scenario = (ObjectNode) Json.MAPPER.readTree(ROOT.resolve("events/scenarios/" + shipped).toFile());
        ObjectNode rollout = (ObjectNode) scenario.get("rollout");
        rollout.putObject("strategy").put("type", "Steps").putArray("steps")
                .add(Json.object().put("setWeight", 10))
                .add(Json.object().set("pause", Json.object().put("duration", "10d")));
        rollout.put("finalBake", 0);
        return scenario;
    }

    @Test
    void aTenDayRegionShiftPromotesWithTheHealthLineItsMinutesGaveOneByOne() throws Exception {
        LongBakeRun run = LongBakeRun.of(tenDayBake("route53-region-shift-healthy.json"));

        assertEquals(Outcome.PROMOTED, run.result().outcome());
        assertEquals(List.of(PREPARED, SHIFTED, PENDING, IN_SYNC,
                "+240:02:00  Health   eu-west-1 7777172 req 0.0% err, us-east-1 864029 req 0.0% err | healthy: "
                        + "greeter-us-east-1-errors never in ALARM; metrics not judged (record api.example.com (A) in "
                        + "hosted zone Z0123456789ABCDEFGHIJ moves queries between record sets, which Route 53 keeps "
                        + "no metrics of: their health checks and the alarms judge the window) (0 failed windows of 0 "
                        + "tolerated, 0 inconclusive)",
                "+240:02:00  Promote  record set us-east-1 100%"), run.result().decisions());
        // Ten days of minutes of us-east-1's function and both health checks, kept as a few runs per metric (minute by
        // minute they were tens of thousands).
        assertTrue(run.metricRuns() < 200, () -> run.metricRuns() + " metric runs");
    }

    @Test
    void aRegionGoingDownThreeDaysIntoATenDayBakeFailsItsHealthCheckAsItDidMinuteByMinute() throws Exception {
        ObjectNode scenario = tenDayBake("route53-region-health-check-fails.json");
        ObjectNode usEast = (ObjectNode) scenario.get("dns").get("regions").get(1);
        usEast.putArray("health").addObject().put("at", "3d").put("healthy", false);

        LongBakeRun run = LongBakeRun.of(scenario);

        assertEquals(Outcome.ROLLED_BACK, run.result().outcome());
        assertEquals(List.of(PREPARED, SHIFTED, PENDING, IN_SYNC,
                "+72:00:00  Region   us-east-1 (d-us1a2b3c4d.execute-api.us-east-1.amazonaws.com) is down: every "
                        + "request to it fails",
                "+240:02:00  Health   eu-west-1 8381985 req 0.0% err, us-east-1 259216 req 0.0% err | failed with "
                        + "Rollout.HealthCheckFailed: unhealthy: record set \"us-east-1\" fails its Route 53 health "
                        + "check 9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b is unhealthy: 0 of 8 Route 53 health checkers "
                        + "report it healthy (Route 53 needs more than 18%; the checker in us-east-1 reports Failure: "
                        + "HTTP Status Code 503, Service Unavailable) (record api.example.com A; Route 53 answers with "
                        + "the other record set while it fails)",
                "+240:02:00  Rollback record set eu-west-1 100% | ROLLED_BACK (see above)"),
                run.result().decisions());
    }

    @Test
    void aVersionFailingThreeDaysIntoATenDayBakeTripsUsEastsAlarmInTheMinuteItDidMinuteByMinute() throws Exception {
        ObjectNode scenario = tenDayBake("route53-region-shift-healthy.json");
        scenario.putArray("changes").addObject().put("at", "3d").put("version", "1").put("errorRate", 0.25);

        LongBakeRun run = LongBakeRun.of(scenario);

        assertEquals(Outcome.ROLLED_BACK, run.result().outcome());
        assertEquals(List.of(PREPARED, SHIFTED, PENDING, IN_SYNC,
                "+72:00:00  Change   version 1 now fails 25.0% of requests, in 100 ms",
                "+72:00:00  Health   eu-west-1 2332892 req 0.0% err, us-east-1 259109 req 0.0% err | failed with "
                        + "Rollout.AlarmTriggered: unhealthy: alarm greeter-us-east-1-errors entered ALARM at "
                        + "2026-01-08T09:00:00.000+0000 (from OK): Threshold Crossed: 1 out of the last 1 datapoint "
                        + "[15.0 (08/01/26 09:00:00)] was greater than or equal to the threshold (5.0) (minimum 1 "
                        + "datapoint for OK -> ALARM transition).",
                "+72:00:00  Rollback record set eu-west-1 100% | ROLLED_BACK (see above)"), run.result().decisions());
    }
}
