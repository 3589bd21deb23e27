package dev.rollout.handlers;

import Rollout.Conflict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import dev.rollout.aws.Aliases;
import dev.rollout.aws.Clients;
import dev.rollout.aws.HealthWindows;
import dev.rollout.aws.StaleRevision;
import dev.rollout.domain.AliasRouting;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Weight;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Judges the window since the last check ({@code since}), then routes the step's weight to the new version, guarded
 * by the alias revision this rollout last saw, so a change made by anyone else stops the rollout instead of being
 * overwritten. Checking first means more traffic never moves onto a version whose last window was unhealthy, and
 * saves the state machine a state per step (Step Functions bills per state transition).
 *
 * <p>Output: {@code revisionId}, {@code weight}, {@code routing}, {@code shiftedAt}, and the verdict's
 * {@code checkedAt}, {@code summary} and {@code alarms}.
 */
public final class ShiftTraffic extends TaskHandler {
    private final Aliases aliases;
    private final HealthWindows health;
    private final Clock clock;

    public ShiftTraffic() {
        this(Clients.lambda(), Clients.cloudWatch(), Clock.systemUTC());
    }

    public ShiftTraffic(LambdaClient lambda, CloudWatchClient cloudWatch, Clock clock) {
        this.aliases = new Aliases(lambda);
        this.health = new HealthWindows(cloudWatch);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        Weight weight = Weight.percent(input.path("weight").asInt(-1));
        String revision = Json.text(input, "revisionId");
        // The alias first: someone else's change ends the rollout (STOPPED, left as they set it) whatever the
        // alarms say, so that a rollback never overwrites it.
        AliasRouting current = aliases.read(rollout.functionName(), rollout.alias());
        boolean unchanged = current.revisionId().equals(revision);
        if (!unchanged) {
            alreadyShifted(rollout, weight, current, "its revision is no longer " + revision);
        }
        Instant checkedAt = clock.instant();
        HealthWindows.WindowVerdict verdict = health.requireHealthy(rollout, Instant.parse(Json.text(input, "since")),
                checkedAt, CheckHealth.checks(input), CheckHealth.servesNewVersion(rollout, current));
        AliasRouting routing = current;
        if (unchanged) {
            try {
                routing = aliases.route(rollout.functionName(), rollout.alias(), rollout.fromVersion(),
                        Optional.of(rollout.toVersion()), weight, revision);
            } catch (StaleRevision stale) {
                routing = alreadyShifted(rollout, weight, aliases.read(rollout.functionName(), rollout.alias()),
                        stale.getMessage());
            }
        }
        ObjectNode output = CheckHealth.verdict(verdict, rollout, checkedAt);
        output.put("revisionId", routing.revisionId());
        output.put("weight", weight.percent());
        output.put("routing", routing.describe());
        output.put("shiftedAt", clock.instant().toString());
        return output;
    }

    /** A retried call whose first attempt succeeded finds its own change: that is success, not a conflict. */
    private static AliasRouting alreadyShifted(PreparedRollout rollout, Weight weight, AliasRouting current,
                                               String change) {
        if (current.positionIn(rollout.fromVersion(), rollout.toVersion()) == AliasRouting.Position.SHIFTING
                && current.weightOf(rollout.toVersion()).equals(weight)) {
            return current;
        }
        throw new Conflict("alias " + rollout.functionName() + ":" + rollout.alias()
                + " was changed by someone else (" + change + "); the rollout stops and leaves it as they set it: it now routes "
                + current.describe() + " instead of version " + rollout.toVersion() + " " + weight);
    }
}
