package dev.rollout.handlers;

import Rollout.Conflict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Optional;
import dev.rollout.aws.Aliases;
import dev.rollout.aws.Clients;
import dev.rollout.aws.StaleRevision;
import dev.rollout.domain.AliasRouting;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Weight;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** Puts the alias fully on the new version and clears the routing configuration. */
public final class Promote extends TaskHandler {
    private final Aliases aliases;
    private final Clock clock;

    public Promote() {
        this(Clients.lambda(), Clock.systemUTC());
    }

    public Promote(LambdaClient lambda, Clock clock) {
        this.aliases = new Aliases(lambda);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        String revision = Json.text(input, "revisionId");
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
        ObjectNode output = Json.object();
        output.put("revisionId", routing.revisionId());
        output.put("routing", routing.describe());
        output.put("promotedAt", clock.instant().toString());
        return output;
    }
}
