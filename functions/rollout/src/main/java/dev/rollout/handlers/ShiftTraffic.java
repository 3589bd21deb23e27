package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import dev.rollout.aws.Clients;
import dev.rollout.aws.HealthWindows;
import dev.rollout.aws.Targets;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Traffic;
import dev.rollout.domain.TrafficTarget;
import dev.rollout.domain.Weight;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * Judges the window since the last check ({@code since}), then routes the step's weight to the new side of the
 * target, guarded by the revision this rollout last saw, so a change made by anyone else stops the rollout instead of
 * being overwritten. The target is read only when the write is refused or the window fails ({@link LastSet}). Checking first means more traffic never moves onto a version whose last window was unhealthy, and
 * saves the state machine a state per step (Step Functions bills per state transition).
 *
 * <p>Output: {@code revisionId}, {@code weight}, {@code routing}, {@code shiftedAt}, {@code propagation} (what to
 * wait for before the new weight counts, null when it counts at once: see {@link Settle}), and the verdict's
 * {@code checkedAt}, {@code summary} and {@code alarms}.
 */
public final class ShiftTraffic extends TaskHandler {
    private final Targets targets;
    private final HealthWindows health;
    private final Clock clock;

    public ShiftTraffic() {
        this(Clients.targets(), Clients.cloudWatch(), Clock.systemUTC());
    }

    public ShiftTraffic(Targets targets, CloudWatchClient cloudWatch, Clock clock) {
        this.targets = targets;
        this.health = new HealthWindows(cloudWatch);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        Weight weight = Weight.percent(input.path("weight").asInt(-1));
        String revision = Json.text(input, "revisionId");
        // A first attempt has written nothing yet: a new revision is someone else's, even one at this weight.
        boolean retried = input.path("retryCount").asInt(-1) != 0;
        TrafficTarget target = targets.open(rollout);
        LastSet lastSet = new LastSet(target, rollout, revision,
                retried ? Traffic.shifted(rollout, weight) : routing -> false);
        Instant checkedAt = clock.instant();
        Instant since = Instant.parse(Json.text(input, "since"));
        HealthWindows.WindowVerdict verdict = lastSet.judge(() -> {
            HealthWindows.WindowVerdict judged = health.requireHealthy(rollout, since, checkedAt,
                    CheckHealth.checks(input), () -> rollout.positionBeforeShiftTo(weight));
            targets.requireHealthChecks(rollout, since, checkedAt);
            return judged;
        });
        // Traffic's rules decide a refused write: a retried call finds its own shift, anything else is a Conflict.
        Routing routing = Traffic.shift(target, rollout, weight, revision, retried);
        ObjectNode output = CheckHealth.verdict(verdict, rollout, checkedAt);
        output.put("revisionId", routing.revision());
        output.put("weight", weight.percent());
        output.put("routing", routing.describe());
        output.put("shiftedAt", clock.instant().toString());
        output.set("propagation", Settle.propagation(routing, weight.percent()));
        return output;
    }
}
