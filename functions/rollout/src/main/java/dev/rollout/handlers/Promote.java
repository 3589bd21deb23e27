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
 * Judges the window since the last check ({@code since}), then puts the alias fully on the new version and clears
 * the routing configuration: a version is promoted only after its last window was healthy.
 */
public final class Promote extends TaskHandler {
    private final Aliases aliases;
    private final HealthWindows health;
    private final Clock clock;

    public Promote() {
        this(Clients.lambda(), Clients.cloudWatch(), Clock.systemUTC());
    }

    public Promote(LambdaClient lambda, CloudWatchClient cloudWatch, Clock clock) {
        this.aliases = new Aliases(lambda);
        this.health = new HealthWindows(cloudWatch);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        String revision = Json.text(input, "revisionId");
        Instant checkedAt = clock.instant();
        HealthWindows.WindowVerdict verdict = health.requireHealthy(rollout, Instant.parse(Json.text(input, "since")),
                checkedAt, CheckHealth.checks(input));
        AliasRouting routing;
        try {
            routing = aliases.route(rollout.functionName(), rollout.alias(), rollout.toVersion(), Optional.empty(),
                    Weight.NONE, revision);
        } catch (StaleRevision stale) {
            routing = aliases.read(rollout.functionName(), rollout.alias());
            if (routing.positionIn(rollout.fromVersion(), rollout.toVersion()) != AliasRouting.Position.AT_TARGET) {
                throw new Conflict("alias " + rollout.functionName() + ":" + rollout.alias()
                        + " was changed outside this rollout; it now routes " + routing.describe()
                        + ", so version " + rollout.toVersion() + " was not promoted");
            }
        }
        ObjectNode output = CheckHealth.verdict(verdict, rollout, checkedAt);
        output.put("revisionId", routing.revisionId());
        output.put("routing", routing.describe());
        output.put("promotedAt", clock.instant().toString());
        return output;
    }
}
