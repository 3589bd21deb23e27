package dev.rollout.handlers;

import Rollout.Transient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Optional;
import dev.rollout.aws.Aliases;
import dev.rollout.aws.Clients;
import dev.rollout.aws.StaleRevision;
import dev.rollout.domain.AliasRouting;
import dev.rollout.domain.FailureReport;
import dev.rollout.domain.Phase;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Weight;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * Puts the alias fully back on the starting version. Safe to repeat: an alias already restored is
 * left as it is, and an alias routed in a way this rollout never set up is left untouched rather
 * than overwritten (the rollout then ends as {@link Phase#STOPPED}). After a {@code Rollout.Conflict} (a step found
 * the alias changed by someone else) the alias is left as it is whatever it routes, unless it is already back on
 * the starting version.
 *
 * <p>Input: {@code rollout} and the {@code failure} that triggered it; output says the end
 * {@code phase} and a readable {@code reason}.
 */
public final class Rollback extends TaskHandler {
    /** The error a step fails with when it finds the alias changed by someone else. */
    private static final String CHANGED_BY_SOMEONE_ELSE = Rollout.Conflict.class.getName();

    private final Aliases aliases;
    private final Clock clock;

    public Rollback() {
        this(Clients.lambda(), Clock.systemUTC());
    }

    public Rollback(LambdaClient lambda, Clock clock) {
        this.aliases = new Aliases(lambda);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        FailureReport failure = FailureReport.of(input.get("failure"));
        AliasRouting current = aliases.read(rollout.functionName(), rollout.alias());
        ObjectNode output = Json.object();
        Phase phase = Phase.ROLLED_BACK;
        String reason = failure.reason();
        AliasRouting.Position position = current.positionIn(rollout.fromVersion(), rollout.toVersion());
        if (CHANGED_BY_SOMEONE_ELSE.equals(failure.error()) && position != AliasRouting.Position.AT_START) {
            // The rollout stopped because someone else set the alias (even to this rollout's versions, such as a
            // promotion by hand): theirs is the last word.
            position = AliasRouting.Position.FOREIGN;
        }
        switch (position) {
            case AT_START -> output.put("alreadyRestored", true);
            case SHIFTING, AT_TARGET -> {
                try {
                    current = aliases.route(rollout.functionName(), rollout.alias(), rollout.fromVersion(),
                            Optional.empty(), Weight.NONE, current.revisionId());
                } catch (StaleRevision moved) {
                    // Read and write raced with another change; the state machine retries from a fresh read.
                    throw new Transient("alias " + rollout.functionName() + ":" + rollout.alias()
                            + " changed while rolling back; retrying", moved);
                }
                output.put("alreadyRestored", false);
            }
            case FOREIGN -> {
                // Someone else owns the alias now; overwriting their change would be a second surprise.
                phase = Phase.STOPPED;
                reason = reason + "; the alias was left untouched because it routes " + current.describe()
                        + ", which this rollout did not set up";
                output.put("alreadyRestored", false);
            }
        }
        output.put("phase", phase.name());
        output.put("reason", reason);
        output.put("revisionId", current.revisionId());
        output.put("routing", current.describe());
        output.put("rolledBackAt", clock.instant().toString());
        return output;
    }
}
