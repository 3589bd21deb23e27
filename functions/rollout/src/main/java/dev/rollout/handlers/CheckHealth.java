package dev.rollout.handlers;

import Rollout.AlarmTriggered;
import Rollout.HealthUnknown;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import dev.rollout.aws.Alarms;
import dev.rollout.aws.Clients;
import dev.rollout.domain.AlarmStatus;
import dev.rollout.domain.AlarmTransition;
import dev.rollout.domain.HealthCheck;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Verdict;
import dev.rollout.domain.WatchedAlarms;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * Judges the window since the last check: every watched alarm must have stayed out of ALARM the
 * whole time. Windows are contiguous from Prepare on, so no moment of the rollout goes unwatched.
 */
public final class CheckHealth extends TaskHandler {
    private final Alarms alarms;
    private final Clock clock;

    public CheckHealth() {
        this(Clients.cloudWatch(), Clock.systemUTC());
    }

    public CheckHealth(CloudWatchClient cloudWatch, Clock clock) {
        this.alarms = new Alarms(cloudWatch);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        Instant since = Instant.parse(Json.text(input, "since"));
        Instant now = clock.instant();

        List<AlarmStatus> statuses = alarms.statuses(rollout.alarms());
        List<String> missing = WatchedAlarms.missing(rollout.alarms(), statuses).stream()
                .map(WatchedAlarms.Missing::name).toList();
        if (!missing.isEmpty()) {
            throw new HealthUnknown("alarm " + String.join(", ", missing)
                    + " no longer exists, so the new version's health cannot be judged");
        }
        List<AlarmTransition> transitions = new ArrayList<>();
        for (String alarm : rollout.alarms()) {
            transitions.addAll(alarms.transitions(alarm, since, now));
        }
        Verdict verdict = HealthCheck.judge(statuses, transitions, since, now);
        if (!verdict.healthy()) {
            throw new AlarmTriggered(verdict.summary());
        }
        ObjectNode output = Json.object();
        output.put("healthy", true);
        output.put("checkedAt", now.toString());
        output.put("summary", verdict.summary());
        output.set("alarms", Json.MAPPER.valueToTree(verdict.alarmsChecked()));
        return output;
    }
}
