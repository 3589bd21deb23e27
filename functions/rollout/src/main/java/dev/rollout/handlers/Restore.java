package dev.rollout.handlers;

import Rollout.Transient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import dev.rollout.aws.AliasLeases;
import dev.rollout.aws.Clients;
import dev.rollout.aws.ExecutionRecords;
import dev.rollout.aws.ExecutionStates;
import dev.rollout.aws.Notifications;
import dev.rollout.aws.Targets;
import dev.rollout.domain.AliasLease;
import dev.rollout.domain.ExecutionEnding;
import dev.rollout.domain.ForeignChange;
import dev.rollout.domain.Notice;
import dev.rollout.domain.Phase;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Restoration;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Target;
import dev.rollout.domain.TrafficTarget;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The target of the template's EventBridge rule on the rollout state machine's status changes (ABORTED, TIMED_OUT,
 * FAILED): makes the alias whole after every ending that ran no {@code Catch}, such as a person stopping the
 * execution from the console, the execution's time-out, or a rollback that itself failed.
 *
 * <p>It reads the rollout the execution prepared from its history, then acts as {@link Rollback} does: an alias
 * already on the starting version is left as it is, a split or promoted alias is routed back to the starting
 * version guarded by the revision just read, and an alias someone else changed is left as they set it. Every
 * ending the state machine did not report itself is reported on the rollout topic. Repeating it is safe.
 *
 * <p>Output: {@code action} (see {@link Restoration.Action}), {@code phase}, {@code reason}, the {@code routing}
 * left on the alias, and the execution's {@code status}.
 */
public final class Restore extends TaskHandler {
    /** The state whose output records the prepared rollout, in statemachine/rollout.asl.json. */
    static final String PREPARE_STATE = "Prepare";

    private final Targets targets;
    private final AliasLeases leases;
    private final ExecutionStates executions;
    private final ExecutionRecords records;
    private final Notifications notifications;
    private final String stateMachineArn;
    private final Clock clock;

    public Restore() {
        this(Clients.targets(), Clients.sfn(), Clients.sns(), Clients.dynamoDb(),
                new Settings(Clients.environment("STATE_MACHINE_ARN"), Clients.environment("TOPIC_ARN"),
                        Clients.environment("LEASE_TABLE")), Clock.systemUTC());
    }

    /**
     * Where Restore finds its state machine, topic and lease table: the template's environment variables.
     */
    public record Settings(String stateMachineArn, String topicArn, String leaseTable) {
    }

    public Restore(Targets targets, SfnClient stepFunctions, SnsClient sns, DynamoDbClient dynamoDb,
                   Settings settings, Clock clock) {
        this.targets = targets;
        this.leases = new AliasLeases(dynamoDb, settings.leaseTable());
        this.executions = new ExecutionStates(stepFunctions);
        String stateMachineArn = settings.stateMachineArn();
        String topicArn = settings.topicArn();
        this.records = new ExecutionRecords(stepFunctions);
        this.notifications = new Notifications(sns, topicArn);
        this.stateMachineArn = stateMachineArn;
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode event) {
        ExecutionEnding announced = ExecutionEnding.of(event);
        ObjectNode output = Json.object();
        output.put("executionArn", announced.executionArn());
        output.put("status", announced.status());
        if (!announced.stateMachineArn().equals(stateMachineArn)) {
            // The rule matches this state machine only; a mismatch is a misconfigured target, never ours to act on.
            return output.put("action", "SKIPPED").put("reason", "not an execution of " + stateMachineArn);
        }
        ExecutionRecords.Recorded recorded = records.read(announced.executionArn(), PREPARE_STATE);
        ExecutionEnding ending = announced.withFailure(recorded.endError(), recorded.endCause());
        Optional<PreparedRollout> rollout = prepared(recorded);
        if (Restoration.handledByTheStateMachine(recorded.endState())) {
            // The state machine releases the claim too; a release it could not make is made here. The alias is not
            // read: every rolled-back rollout of a fleet ends here, and GetAlias draws on the 15 requests a second of
            // Lambda's control plane that the other rollouts' rollbacks need.
            output.put("action", Restoration.Action.ALREADY_HANDLED.name());
            rollout.ifPresent(prepared -> release(prepared, ending));
            return output.put("reason", "the state machine ended in " + recorded.endState().orElseThrow()
                    + " and reported it itself");
        }
        Optional<Routing> alias = rollout.flatMap(this::find);
        Optional<AliasLease> otherClaim = rollout.flatMap(this::claimOfAnother)
                .filter(claim -> !claim.heldBy(ending.executionArn()));
        Restoration.Action action = Restoration.decide(recorded.endState(), rollout.isPresent(),
                rollout.flatMap(prepared -> alias.map(a -> a.positionIn(prepared.fromVersion(), prepared.toVersion()))),
                otherClaim.isPresent());
        output.put("action", action.name());
        if (action == Restoration.Action.NOTHING_MOVED) {
            rollout.ifPresent(prepared -> release(prepared, ending));
            return nothingMoved(ending, recorded, rollout, output);
        }
        PreparedRollout prepared = rollout.orElseThrow();
        Routing current = alias.orElseThrow();
        Phase phase = Phase.ROLLED_BACK;
        String reason = switch (action) {
            case HELD_BY_ANOTHER -> {
                phase = Phase.STOPPED;
                yield ending.describe() + "; the " + prepared.target().noun() + " was left untouched because "
                        + otherClaim.orElseThrow().describe()
                        + " has moved it since, and routes " + current.describe();
            }
            case ALREADY_WHOLE -> ending.describe() + "; the " + prepared.target().noun() + " already sends every request"
                    + " to " + prepared.target().unit() + " " + prepared.fromVersion() + ", so nothing had to be restored";
            case RESTORE -> {
                current = restore(prepared, current);
                yield ending.describe() + "; Restore put every request back on " + prepared.target().unit() + " "
                        + prepared.fromVersion();
            }
            default -> {
                phase = Phase.STOPPED;
                yield ending.describe() + "; the " + prepared.target().noun() + " was left untouched because it routes "
                        + current.describe()
                        + ", which this rollout did not set up";
            }
        };
        if (action != Restoration.Action.HELD_BY_ANOTHER) {
            release(prepared, ending);
        }
        Notice notice = Notice.of(phase, prepared.target(), prepared.fromVersion(), prepared.toVersion(),
                prepared.strategy(), reason, ending.error(), Notice.consoleUrl(ending.executionArn()));
        output.put("messageId", notifications.publish(notice.subject(), notice.body(), notice.attributes()));
        output.put("phase", phase.name());
        output.put("reason", reason);
        output.put("routing", current.describe());
        output.put("restoredAt", clock.instant().toString());
        return output;
    }

    /** The claim on the rollout's alias when another rollout holds it and still runs. */
    private Optional<AliasLease> claimOfAnother(PreparedRollout rollout) {
        return leases.find(AliasLease.target(rollout.target()))
                .filter(claim -> !claim.vacant(clock.instant(), executions.running(claim.executionArn())));
    }

    private void release(PreparedRollout rollout, ExecutionEnding ending) {
        leases.release(AliasLease.target(rollout.target()), ending.executionArn());
    }

    /** Where the rollout's target sends traffic now; empty when it no longer exists. */
    private Optional<Routing> find(PreparedRollout rollout) {
        try {
            return Optional.of(targets.open(rollout).read());
        } catch (Rollout.Conflict gone) {
            return Optional.empty();
        }
    }

    private Routing restore(PreparedRollout rollout, Routing current) {
        TrafficTarget target = targets.open(rollout);
        try {
            return target.restore(current.revision());
        } catch (ForeignChange moved) {
            // Read and write raced with another change: the next attempt reads the target afresh and decides again.
            throw new Transient(rollout.target().describe() + " changed while restoring it; retrying", moved);
        }
    }

    /** Stopped before Prepare recorded a starting version, or the alias is gone: nothing to route, people told. */
    private ObjectNode nothingMoved(ExecutionEnding ending, ExecutionRecords.Recorded recorded,
                                    Optional<PreparedRollout> rollout, ObjectNode output) {
        JsonNode request = recorded.input().map(Restore::parse).orElse(Json.object());
        Target target = rollout.map(PreparedRollout::target).orElseGet(() -> new Target.LambdaAlias(
                named(request, "functionName", "(unknown)"), named(request, "alias", "live")));
        String reason = ending.describe() + (rollout.isPresent()
                ? "; " + target.describe() + " no longer exists, so there was nothing to restore"
                : " before it had moved any traffic");
        Notice notice = Notice.of(Phase.STOPPED, target, rollout.map(PreparedRollout::fromVersion).orElse(null),
                rollout.map(PreparedRollout::toVersion).orElse(named(request, "targetVersion", "?")),
                rollout.map(PreparedRollout::strategy).orElse(null), reason, ending.error(),
                Notice.consoleUrl(ending.executionArn()));
        output.put("messageId", notifications.publish(notice.subject(), notice.body(), notice.attributes()));
        output.put("phase", Phase.STOPPED.name());
        return output.put("reason", reason);
    }

    /**
     * The rollout the execution's Prepare recorded; empty when it recorded none. A Prepare that failed into its Catch
     * exits too, with the error as its output: nothing was prepared then.
     */
    static Optional<PreparedRollout> prepared(ExecutionRecords.Recorded recorded) {
        return recorded.prepareOutput().map(Restore::parse).filter(exited -> exited.has("rollout"))
                .map(exited -> Json.read(exited, "rollout", PreparedRollout.class));
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException unreadable) {
            throw new IllegalArgumentException("the execution history holds malformed JSON: " + unreadable.getMessage(),
                    unreadable);
        }
    }

    private static String named(JsonNode request, String field, String fallback) {
        JsonNode value = request.path(field);
        return value.isValueNode() && !value.asText().isBlank() ? value.asText() : fallback;
    }
}
