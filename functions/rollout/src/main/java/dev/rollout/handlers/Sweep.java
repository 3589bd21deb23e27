package dev.rollout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.rollout.aws.AliasLeases;
import dev.rollout.aws.Aliases;
import dev.rollout.aws.Clients;
import dev.rollout.aws.ExecutionStates;
import dev.rollout.aws.PendingApprovals;
import dev.rollout.aws.RolloutControls;
import dev.rollout.aws.TaskCallbacks;
import dev.rollout.aws.Targets;
import dev.rollout.domain.AliasLease;
import dev.rollout.domain.Approval;
import dev.rollout.domain.ExecutionEnding;
import dev.rollout.domain.RolloutTrigger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The scheduled sweeper (an EventBridge schedule, every five minutes): finishes what an interrupted step left
 * undone without waiting for anyone to come back.
 *
 * <ul>
 *   <li>It delivers every recorded approval decision that Step Functions may not have received: one whose delivery
 *   failed, or whose approval page was killed between recording it and answering the task. Each is delivered once
 *   Step Functions takes it, or recorded EXPIRED once Step Functions says the task is gone.</li>
 *   <li>It delivers every abort or promote-now recorded while its rollout waits that Step Functions has not
 *   received ({@link ControlPage}); one recorded between two waits is the next wait's to act on.</li>
 *   <li>It finds every alias of the managed functions that is split while the rollout holding its claim has ended
 *   (a Restore that failed every retry, an ending whose event was lost) and hands that ending to {@link Restore},
 *   the same code the status-change rule runs, which makes the alias whole and tells people.</li>
 * </ul>
 * Whatever it cannot finish is counted in the {@value #NAMESPACE} metric {@value #STUCK_METRIC} (an embedded
 * metric format log line, so no PutMetricData call that could fail too), which the template alarms on.
 *
 * <p>Output: {@code decisions} ({@code delivered}, {@code expired}, {@code undelivered}), {@code controls}
 * ({@code delivered}, {@code undelivered}), {@code aliases}
 * ({@code restored}: Restore's answers; {@code unclaimed}: split aliases no ended rollout holds, left alone as
 * someone else's), and {@code stuck}.
 */
public final class Sweep implements RequestStreamHandler {
    static final String NAMESPACE = "LambdaRollout";
    static final String STUCK_METRIC = "StuckRollouts";

    private final PendingApprovals approvals;
    private final DecisionDelivery delivery;
    private final RolloutControls controls;
    private final ControlDelivery controlDelivery;
    private final Aliases aliases;
    private final AliasLeases leases;
    private final ExecutionStates executions;
    private final Restore restore;
    private final Settings settings;
    private final Clock clock;

    /** Where the sweeper looks: the template's environment variables. */
    public record Settings(String approvalTable, String controlTable, List<String> managedFunctions,
                           Restore.Settings restore) {
    }

    public Sweep() {
        this(Clients.dynamoDb(), Clients.sfn(), Clients.lambda(), Clients.targets(), Clients.sns(),
                new Settings(Clients.environment("APPROVAL_TABLE"), Clients.environment("CONTROL_TABLE"),
                        RolloutTrigger.managedFunctions(Clients.environment("MANAGED_FUNCTIONS")).stream().toList(),
                        new Restore.Settings(Clients.environment("STATE_MACHINE_ARN"),
                                Clients.environment("TOPIC_ARN"), Clients.environment("LEASE_TABLE"))),
                Clock.systemUTC());
    }

    public Sweep(DynamoDbClient dynamoDb, SfnClient sfn, LambdaClient lambda, Targets targets, SnsClient sns,
                 Settings settings, Clock clock) {
        this.approvals = new PendingApprovals(dynamoDb, settings.approvalTable());
        this.delivery = new DecisionDelivery(approvals, new TaskCallbacks(sfn));
        this.controls = new RolloutControls(dynamoDb, settings.controlTable());
        this.controlDelivery = new ControlDelivery(controls, new TaskCallbacks(sfn));
        this.aliases = new Aliases(lambda);
        this.leases = new AliasLeases(dynamoDb, settings.restore().leaseTable());
        this.executions = new ExecutionStates(sfn);
        this.restore = new Restore(targets, sfn, sns, dynamoDb, settings.restore(), clock);
        this.settings = settings;
        this.clock = clock;
    }

    /** The schedule's event says only that it is time; its content is not needed. */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        Json.MAPPER.writeValue(output, sweep(context));
    }

    /** One sweep; the local runtime calls it on its virtual clock. */
    public ObjectNode sweep(Context context) {
        RolloutLog log = RolloutLog.of(context, clock).with("state", "Sweep");
        ObjectNode result = Json.object();
        int stuck = 0;
        RuntimeException firstFailure = null;
        try {
            ObjectNode decisions = deliverDecisions(log);
            result.set("decisions", decisions);
            stuck += decisions.path("undelivered").asInt();
        } catch (RuntimeException unread) {
            log.with("outcome", unread.getClass().getName()).error("Sweep: could not read the decisions: " + unread);
            firstFailure = unread;
            stuck++;
        }
        try {
            ObjectNode controlled = deliverControls(log);
            result.set("controls", controlled);
            stuck += controlled.path("undelivered").asInt();
        } catch (RuntimeException unread) {
            log.with("outcome", unread.getClass().getName()).error("Sweep: could not read the controls: " + unread);
            firstFailure = firstFailure == null ? unread : firstFailure;
            stuck++;
        }
        ObjectNode swept = result.putObject("aliases");
        ArrayNode restored = swept.putArray("restored");
        ArrayNode unclaimed = swept.putArray("unclaimed");
        for (String function : settings.managedFunctions()) {
            try {
                for (String alias : aliases.splitAliases(function)) {
                    stuck += sweepAlias(function, alias, restored, unclaimed, log);
                }
            } catch (RuntimeException unread) {
                log.with("target_function", function).with("outcome", unread.getClass().getName())
                        .error("Sweep: could not look at the aliases of " + function + ": " + unread);
                firstFailure = firstFailure == null ? unread : firstFailure;
                stuck++;
            }
        }
        result.put("stuck", stuck);
        // Embedded metric format: CloudWatch Logs turns this line into the metric the template alarms on.
        log.metric(NAMESPACE, STUCK_METRIC, stuck);
        String summary = "decisions " + result.path("decisions") + ", aliases restored " + restored.size()
                + ", split without a rollout " + unclaimed.size() + ", stuck " + stuck;
        if (stuck > 0) {
            log.with("outcome", "stuck").error("Sweep: " + summary);
        } else {
            log.with("outcome", "succeeded").info("Sweep: " + summary);
        }
        if (firstFailure != null) {
            throw firstFailure;
        }
        return result;
    }

    private ObjectNode deliverDecisions(RolloutLog log) {
        int delivered = 0;
        int expired = 0;
        int undelivered = 0;
        for (Approval decided : approvals.awaitingDelivery()) {
            if (DecisionDelivery.inFlight(decided, clock.instant())) {
                continue; // its own request is delivering it; the next round looks again
            }
            RolloutLog approvalLog = log.with("approval_reference", decided.reference().abbreviated())
                    .with("execution_id", decided.executionArn());
            DecisionDelivery.Outcome outcome = delivery.deliver(decided, clock.instant(), approvalLog);
            if (outcome instanceof DecisionDelivery.Delivered) {
                delivered++;
            } else if (outcome instanceof DecisionDelivery.TaskGone) {
                expired++;
            } else {
                undelivered++;
            }
        }
        ObjectNode decisions = Json.object();
        return decisions.put("delivered", delivered).put("expired", expired).put("undelivered", undelivered);
    }

    /**
     * Delivers every abort and promote-now recorded while the rollout waits but not received by Step Functions (its
     * delivery throttled or cut short). One recorded between waits is left to the rollout's next wait.
     */
    private ObjectNode deliverControls(RolloutLog log) {
        int delivered = 0;
        int undelivered = 0;
        for (RolloutControls.State decided : controls.awaitingDelivery()) {
            ControlDelivery.Outcome outcome = controlDelivery.deliver(decided, clock.instant());
            RolloutLog controlLog = log.with("execution_id", decided.executionArn());
            String what = "Sweep: control of " + decided.executionArn() + ", "
                    + decided.decision().orElseThrow().describe();
            if (outcome instanceof ControlDelivery.Delivered) {
                delivered++;
                controlLog.with("outcome", "delivered").info(what + ", delivered");
            } else if (outcome instanceof ControlDelivery.Undelivered failed) {
                undelivered++;
                controlLog.with("outcome", "undelivered").error(what + ", still undelivered: "
                        + failed.failure().getMessage());
            }
        }
        return Json.object().put("delivered", delivered).put("undelivered", undelivered);
    }

    /**
     * A split alias: restored through Restore when the rollout that claimed it has ended, left alone when that
     * rollout still runs or none claims it (then it is someone else's split).
     *
     * @return 1 when the alias is still split by an ended rollout after this, else 0
     */
    private int sweepAlias(String function, String alias, ArrayNode restored, ArrayNode unclaimed, RolloutLog log) {
        String target = AliasLease.target(function, alias);
        Optional<AliasLease> claim = leases.find(target);
        Optional<ExecutionStates.Status> holder = claim.flatMap(lease -> executions.status(lease.executionArn()));
        if (holder.isPresent() && holder.get().running()) {
            return 0;
        }
        RolloutLog aliasLog = log.with("target_function", function).with("alias", alias);
        if (claim.isEmpty() || holder.isEmpty()) {
            aliasLog.with("outcome", "unclaimed").warn("Sweep: " + target + " is split, but no rollout that Step"
                    + " Functions still knows claims it; left as it is");
            unclaimed.add(target);
            return 0;
        }
        String executionArn = claim.get().executionArn();
        try {
            JsonNode answer = restore.handle(endingEvent(executionArn, holder.get()));
            restored.add(answer);
            aliasLog.with("execution_id", executionArn).with("outcome", answer.path("action").asText())
                    .info("Sweep: " + target + " was split after " + executionArn + " ended; Restore: "
                            + answer.path("reason").asText(answer.path("action").asText()));
            return aliases.splitAliases(function).contains(alias) ? 1 : 0;
        } catch (RuntimeException failed) {
            // Even when the alias was restored and only the notice failed, nobody was told: that counts as stuck.
            aliasLog.with("execution_id", executionArn).with("outcome", failed.getClass().getName())
                    .error("Sweep: could not restore " + target + " after " + executionArn + " ended: " + failed);
            return 1;
        }
    }

    /** The status change event Step Functions sent (or would have sent) when the claiming execution ended. */
    private ObjectNode endingEvent(String executionArn, ExecutionStates.Status ended) {
        Instant stopped = ended.stopDate().orElse(clock.instant());
        ObjectNode event = Json.object();
        event.put("detail-type", ExecutionEnding.DETAIL_TYPE);
        event.put("source", "aws.states");
        event.put("time", stopped.toString());
        ObjectNode detail = event.putObject("detail");
        detail.put("executionArn", executionArn);
        detail.put("stateMachineArn", ended.stateMachineArn());
        detail.put("status", ended.status());
        detail.put("stopDate", stopped.toEpochMilli());
        return event;
    }
}
