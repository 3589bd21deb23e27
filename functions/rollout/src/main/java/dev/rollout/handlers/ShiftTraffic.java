package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import dev.rollout.aws.Clients;
import dev.rollout.aws.Targets;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Traffic;
import dev.rollout.domain.Weight;

/**
 * Routes the step's weight to the new side of the target, guarded by the revision this rollout last saw, so a
 * change made by anyone else stops the rollout instead of being overwritten.
 */
public final class ShiftTraffic extends TaskHandler {
    private final Targets targets;
    private final Clock clock;

    public ShiftTraffic() {
        this(Clients.targets(), Clock.systemUTC());
    }

    public ShiftTraffic(Targets targets, Clock clock) {
        this.targets = targets;
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        Weight weight = Weight.percent(input.path("weight").asInt(-1));
        String revision = Json.text(input, "revisionId");
        Routing routing = Traffic.shift(targets.open(rollout), rollout, weight, revision);
        ObjectNode output = Json.object();
        output.put("revisionId", routing.revision());
        output.put("weight", weight.percent());
        output.put("routing", routing.describe());
        output.put("shiftedAt", clock.instant().toString());
        return output;
    }
}
