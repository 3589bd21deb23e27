package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import dev.rollout.aws.AliasLeases;
import dev.rollout.aws.Clients;
import dev.rollout.aws.HealthWindows;
import dev.rollout.aws.RolloutControls;
import dev.rollout.aws.Targets;
import dev.rollout.domain.AliasLease;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Traffic;
import dev.rollout.domain.TrafficTarget;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Judges the window since the last check ({@code since}), then puts the target fully on the new side and removes what
 * is left of the split: a version is promoted only after its last window was healthy.
 */
public final class Promote extends TaskHandler {
    private final Targets targets;
    private final HealthWindows health;
    private final AliasLeases leases;
    private final RolloutControls controls;
    private final Clock clock;

    public Promote() {
        this(Clients.targets(), Clients.cloudWatch(), Clients.dynamoDb(), Clients.environment("LEASE_TABLE"),
                Clients.environment("CONTROL_TABLE"), Clock.systemUTC());
    }

    public Promote(Targets targets, CloudWatchClient cloudWatch, DynamoDbClient dynamoDb, String leaseTable,
                   String controlTable, Clock clock) {
        this.leases = new AliasLeases(dynamoDb, leaseTable);
        this.controls = new RolloutControls(dynamoDb, controlTable);
        this.targets = targets;
        this.health = new HealthWindows(cloudWatch);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        String revision = Json.text(input, "revisionId");
        // Even a promotion by hand is someone else's, unless this is a retried call that finds the target all on the
        // new side: then its first attempt promoted and failed after (releasing the lease, say), and ending STOPPED
        // would tell people the wrong story.
        boolean retried = input.path("retryCount").asInt(-1) > 0;
        TrafficTarget target = targets.open(rollout);
        LastSet lastSet = new LastSet(target, rollout, revision,
                retried ? Traffic.promoted(rollout) : routing -> false);
        Instant checkedAt = clock.instant();
        Instant since = Instant.parse(Json.text(input, "since"));
        HealthWindows.WindowVerdict verdict = lastSet.judge(() -> {
            // No wait may follow to act on an abort recorded since the last one: it rolls back here, not promoted.
            ControlDelivery.requireNotAborted(controls, Json.text(input, "executionId"));
            HealthWindows.WindowVerdict judged = health.requireHealthy(rollout, since, checkedAt,
                    CheckHealth.checks(input), () -> CheckHealth.position(rollout, lastSet.get()));
            targets.requireHealthChecks(rollout, since, checkedAt);
            return judged;
        });
        Routing routing = Traffic.promote(target, rollout, revision, retried);
        ObjectNode output = CheckHealth.verdict(verdict, rollout, checkedAt);
        output.put("revisionId", routing.revision());
        output.put("routing", routing.describe());
        output.put("promotedAt", clock.instant().toString());
        output.set("propagation", Settle.propagation(routing, 100));
        if (rollout.finalBakeSeconds() == 0 && rollout.hooks().postTraffic() == null) {
            // The rollout ends here: the next one may claim the target at once (in the same task, saving a transition).
            // A post-traffic hook or a final bake may still roll back, so CheckHealth releases it after them.
            output.put("released", leases.release(AliasLease.target(rollout.target()),
                    Json.text(input, "executionId")));
        }
        return output;
    }
}
