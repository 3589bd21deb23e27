package dev.rollout.handlers;

import Rollout.Conflict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import dev.rollout.aws.Clients;
import dev.rollout.aws.Targets;
import dev.rollout.domain.FailureReport;
import dev.rollout.domain.Phase;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Traffic;

/**
 * Puts the target fully back on the starting side. Safe to repeat: a target already restored is left as it is,
 * and a target routed in a way this rollout never set up, or changed by someone else (the failure is
 * {@code Rollout.Conflict}), is left untouched rather than overwritten (the rollout then ends as
 * {@link Phase#STOPPED}).
 *
 * <p>Input: {@code rollout}, the {@code failure} that triggered it, and the {@code revisionId} and health window start
 * ({@code since}) the rollout last recorded; output says the end {@code phase} and a readable {@code reason}.
 */
public final class Rollback extends TaskHandler {
    private final Targets targets;
    private final Clock clock;

    public Rollback() {
        this(Clients.targets(), Clock.systemUTC());
    }

    public Rollback(Targets targets, Clock clock) {
        this.targets = targets;
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        FailureReport failure = FailureReport.of(input.get("failure"));
        // A Conflict is someone else's change to the target: theirs to keep, not ours to undo.
        boolean changedByOthers = Conflict.class.getName().equals(failure.error());
        // Once this rollout has moved traffic (the health window no longer starts at Prepare), the revision it last
        // set is where it left the target; the restore writes under it without a read first (a GetAlias less on
        // Lambda's 15 a second per rollback), and reads only when that write is refused.
        String lastSet = input.path("revisionId").asText("");
        String since = input.path("since").asText("");
        boolean moved = !changedByOthers && !lastSet.isEmpty() && !since.isEmpty()
                && !since.equals(rollout.preparedAt());
        Traffic.Restoration restoration = moved ? Traffic.restoreFrom(targets.open(rollout), rollout, lastSet)
                : Traffic.restore(targets.open(rollout), rollout, changedByOthers);
        Phase phase = Phase.ROLLED_BACK;
        String reason = failure.reason();
        // Someone else's change ends the rollout STOPPED, even one that put everything back on the starting side.
        if (restoration.outcome() == Traffic.Restoration.Outcome.LEFT_AS_FOUND || changedByOthers) {
            phase = Phase.STOPPED;
            reason = reason + "; the " + rollout.target().noun() + " was left untouched because it"
                    + " routes " + restoration.routing().describe() + ", which " + (changedByOthers
                    ? "someone else set up" : "this rollout did not set up");
        }
        ObjectNode output = Json.object();
        output.put("alreadyRestored", restoration.outcome() == Traffic.Restoration.Outcome.ALREADY_RESTORED);
        output.put("phase", phase.name());
        output.put("reason", reason);
        output.put("revisionId", restoration.routing().revision());
        output.put("routing", restoration.routing().describe());
        output.put("rolledBackAt", clock.instant().toString());
        return output;
    }
}
