package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The state machine's first task: {@link Prepare} checks the input and the live alias, then {@link ClaimAlias} claims
 * the alias for this execution, in one invocation. One task rather than two saves a state transition per rollout
 * (Step Functions bills per transition), and a refusal of either kind still comes before any traffic moves.
 *
 * <p>Input: the execution's {@code request} as started and its {@code executionId}; output: Prepare's, with the
 * {@code lease} held.
 */
public final class PrepareAndClaim extends TaskHandler {
    private final Prepare prepare;
    private final ClaimAlias claim;

    public PrepareAndClaim() {
        this(new Prepare(), new ClaimAlias());
    }

    public PrepareAndClaim(Prepare prepare, ClaimAlias claim) {
        this.prepare = prepare;
        this.claim = claim;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        ObjectNode prepared = (ObjectNode) prepare.handle(input.path("request"));
        ObjectNode claimInput = Json.object();
        claimInput.set("rollout", prepared.get("rollout"));
        claimInput.put("executionId", Json.text(input, "executionId"));
        prepared.set("lease", claim.handle(claimInput).get("lease"));
        return prepared;
    }
}
