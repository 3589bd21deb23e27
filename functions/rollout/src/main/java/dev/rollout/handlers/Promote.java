package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import dev.rollout.aws.Clients;
import dev.rollout.aws.Targets;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Traffic;

/** Puts the target fully on the new side and removes what is left of the split. */
public final class Promote extends TaskHandler {
    private final Targets targets;
    private final Clock clock;

    public Promote() {
        this(Clients.targets(), Clock.systemUTC());
    }

    public Promote(Targets targets, Clock clock) {
        this.targets = targets;
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        String revision = Json.text(input, "revisionId");
        Routing routing = Traffic.promote(targets.open(rollout), rollout, revision);
        ObjectNode output = Json.object();
        output.put("revisionId", routing.revision());
        output.put("routing", routing.describe());
        output.put("promotedAt", clock.instant().toString());
        return output;
    }
}
