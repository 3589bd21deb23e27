package dev.rollout.handlers;

import Rollout.Conflict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import dev.rollout.aws.AliasLeases;
import dev.rollout.aws.Aliases;
import dev.rollout.aws.Clients;
import dev.rollout.aws.HealthWindows;
import dev.rollout.aws.StaleRevision;
import dev.rollout.domain.AliasLease;
import dev.rollout.domain.AliasRouting;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Weight;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Judges the window since the last check ({@code since}), then puts the alias fully on the new version and clears
 * the routing configuration: a version is promoted only after its last window was healthy.
 */
public final class Promote extends TaskHandler {
    private final Aliases aliases;
    private final HealthWindows health;
    private final AliasLeases leases;
    private final Clock clock;

    public Promote() {
        this(Clients.lambda(), Clients.cloudWatch(), Clients.dynamoDb(), Clients.environment("LEASE_TABLE"),
                Clock.systemUTC());
    }

    public Promote(LambdaClient lambda, CloudWatchClient cloudWatch, DynamoDbClient dynamoDb, String leaseTable,
                   Clock clock) {
        this.leases = new AliasLeases(dynamoDb, leaseTable);
        this.aliases = new Aliases(lambda);
        this.health = new HealthWindows(cloudWatch);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        String revision = Json.text(input, "revisionId");
        // The alias first: someone else's change ends the rollout (STOPPED, left as they set it) whatever the
        // alarms say, so that a rollback never overwrites it.
        AliasRouting current = aliases.read(rollout.functionName(), rollout.alias());
        boolean unchanged = current.revisionId().equals(revision);
        if (!unchanged) {
            // Even a promotion by hand is someone else's: theirs is the last word, and the rollout ends STOPPED (a
            // retried call whose first attempt promoted ends the same way, with the alias on the new version).
            throw new Conflict("alias " + rollout.functionName() + ":" + rollout.alias() + " was changed by someone"
                    + " else since this rollout last set it: it now routes " + current.describe()
                    + "; the rollout stops and leaves it as they set it");
        }
        Instant checkedAt = clock.instant();
        HealthWindows.WindowVerdict verdict = health.requireHealthy(rollout, Instant.parse(Json.text(input, "since")),
                checkedAt, CheckHealth.checks(input), CheckHealth.servesNewVersion(rollout, current));
        AliasRouting routing = current;
        if (unchanged) {
            try {
                routing = aliases.route(rollout.functionName(), rollout.alias(), rollout.toVersion(), Optional.empty(),
                        Weight.NONE, revision);
            } catch (StaleRevision stale) {
                routing = aliases.read(rollout.functionName(), rollout.alias());
                requirePromotedByThisRollout(rollout, routing);
            }
        }
        ObjectNode output = CheckHealth.verdict(verdict, rollout, checkedAt);
        output.put("revisionId", routing.revisionId());
        output.put("routing", routing.describe());
        output.put("promotedAt", clock.instant().toString());
        if (rollout.finalBakeSeconds() == 0) {
            // The rollout ends here: the next one may claim the alias at once (in the same task, saving a transition).
            output.put("released", leases.release(AliasLease.target(rollout.functionName(), rollout.alias()),
                    Json.text(input, "executionId")));
        }
        return output;
    }

    /** A retried call whose first attempt promoted finds its own change: that is success, not a conflict. */
    private static void requirePromotedByThisRollout(PreparedRollout rollout, AliasRouting routing) {
        if (routing.positionIn(rollout.fromVersion(), rollout.toVersion()) != AliasRouting.Position.AT_TARGET) {
            throw new Conflict("alias " + rollout.functionName() + ":" + rollout.alias()
                    + " was changed by someone else since this rollout last set it: it now routes "
                    + routing.describe() + ", so version " + rollout.toVersion()
                    + " was not promoted; the rollout stops and leaves it as they set it");
        }
    }
}
