package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import dev.rollout.aws.Clients;
import dev.rollout.aws.HealthWindows;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Verdict;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * Judges the window since the last check: every watched alarm must have stayed out of ALARM the
 * whole time. Windows are contiguous from Prepare on, so no moment of the rollout goes unwatched.
 * The state machine runs it when the final bake ends; every move of traffic before runs the same check itself.
 */
public final class CheckHealth extends TaskHandler {
    private final HealthWindows health;
    private final Clock clock;

    public CheckHealth() {
        this(Clients.cloudWatch(), Clock.systemUTC());
    }

    public CheckHealth(CloudWatchClient cloudWatch, Clock clock) {
        this.health = new HealthWindows(cloudWatch);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        Instant since = Instant.parse(Json.text(input, "since"));
        Instant now = clock.instant();
        return verdict(health.requireHealthy(rollout.alarms(), since, now), now);
    }

    /** The fields every handler that checks a window reports: {@code healthy}, {@code checkedAt}, ... */
    static ObjectNode verdict(Verdict verdict, Instant now) {
        ObjectNode output = Json.object();
        output.put("healthy", true);
        output.put("checkedAt", now.toString());
        output.put("summary", verdict.summary());
        output.set("alarms", Json.MAPPER.valueToTree(verdict.alarmsChecked()));
        return output;
    }
}
