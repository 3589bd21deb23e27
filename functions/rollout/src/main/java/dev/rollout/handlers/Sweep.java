package dev.rollout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.rollout.aws.AliasLeases;
import dev.rollout.aws.Notifications;
import dev.rollout.aws.Clients;
import dev.rollout.aws.ExecutionStates;
import dev.rollout.aws.PendingApprovals;
import dev.rollout.aws.RolloutControls;
import dev.rollout.aws.TaskCallbacks;
import dev.rollout.aws.Targets;
import dev.rollout.aws.UnsentNotices;
import dev.rollout.domain.AliasLease;
import dev.rollout.domain.Approval;
import dev.rollout.domain.ExecutionEnding;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
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
 *   <li>It finds every claim (lease) on a target, of whatever kind (a Lambda alias, an API Gateway stage canary, any
 *   kind {@link Targets} knows), that is still held by a rollout that has ended without success (a Restore that
 *   failed every retry, an ending whose event was lost) and hands that ending to {@link Restore}, the same code the
 *   status-change rule runs, which makes the target whole as the rollout found it, tells people and releases the
 *   claim. A claim left by a rollout that succeeded is only released: its target is where it should be.</li>
 *   <li>It publishes every notice of how a rollout ended that SNS refused and {@link Notify} kept
 *   ({@link UnsentNotices}), once its execution has ended (until then Step Functions may still retry it).</li>
 * </ul>
 * Whatever it cannot finish is counted in the {@value #NAMESPACE} metric {@value #STUCK_METRIC} (an embedded
 * metric format log line, so no PutMetricData call that could fail too), which the template alarms on.
 *
 * <p>Output: {@code decisions} ({@code delivered}, {@code expired}, {@code undelivered}), {@code controls}
 * ({@code delivered}, {@code undelivered}), {@code targets} ({@code restored}: Restore's answers; {@code released}:
 * claims of rollouts that succeeded; {@code unknown}: claims whose execution Step Functions no longer knows, left
 * alone since nothing says where their target started), {@code notices} ({@code sent}: the execution and phase of each
 * kept notice published; {@code unsent}: how many are still kept), and {@code stuck}.
 */
public final class Sweep implements RequestStreamHandler {
    static final String NAMESPACE = "LambdaRollout";
    static final String STUCK_METRIC = "StuckRollouts";

    private final PendingApprovals approvals;
    private final DecisionDelivery delivery;
    private final RolloutControls controls;
    private final ControlDelivery controlDelivery;
    private final AliasLeases leases;
    private final ExecutionStates executions;
    private final Restore restore;
    private final UnsentNotices notices;
    private final Notifications notifications;
    private final Clock clock;

    /** Where the sweeper looks: the template's environment variables. */
    public record Settings(String approvalTable, String controlTable, String noticeTable, Restore.Settings restore) {
    }

    public Sweep() {
        this(Clients.dynamoDb(), Clients.sfn(), Clients.targets(), Clients.sns(),
                new Settings(Clients.environment("APPROVAL_TABLE"), Clients.environment("CONTROL_TABLE"),
                        Clients.environment("NOTICE_TABLE"), new Restore.Settings(
                                Clients.environment("STATE_MACHINE_ARN"), Clients.environment("TOPIC_ARN"),
                                Clients.environment("LEASE_TABLE"))),
                Clock.systemUTC());
    }

    public Sweep(DynamoDbClient dynamoDb, SfnClient sfn, Targets targets, SnsClient sns, Settings settings,
                 Clock clock) {
        this.approvals = new PendingApprovals(dynamoDb, settings.approvalTable());
        this.delivery = new DecisionDelivery(approvals, sfn);
        this.controls = new RolloutControls(dynamoDb, settings.controlTable());
        this.controlDelivery = new ControlDelivery(controls, new TaskCallbacks(sfn));
        this.leases = new AliasLeases(dynamoDb, settings.restore().leaseTable());
        this.executions = new ExecutionStates(sfn);
        this.restore = new Restore(targets, sfn, sns, dynamoDb, settings.restore(), clock);
        this.notices = new UnsentNotices(dynamoDb, settings.noticeTable());
        this.notifications = new Notifications(sns, settings.restore().topicArn());
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
        ObjectNode swept = result.putObject("targets");
        ArrayNode restored = swept.putArray("restored");
        ArrayNode released = swept.putArray("released");
        ArrayNode unknown = swept.putArray("unknown");
        try {
            for (AliasLease claim : leases.unreleased()) {
                stuck += sweepClaim(claim, restored, released, unknown, log);
            }
        } catch (RuntimeException unread) {
            log.with("outcome", unread.getClass().getName()).error("Sweep: could not read the claims: " + unread);
            firstFailure = firstFailure == null ? unread : firstFailure;
            stuck++;
        }
        try {
            ObjectNode published = publishNotices(log);
            result.set("notices", published);
            stuck += published.path("unsent").asInt();
        } catch (RuntimeException unread) {
            log.with("outcome", unread.getClass().getName()).error("Sweep: could not read the unsent notices: "
                    + unread);
            firstFailure = firstFailure == null ? unread : firstFailure;
            stuck++;
        }
        result.put("stuck", stuck);
        // Embedded metric format: CloudWatch Logs turns this line into the metric the template alarms on.
        log.metric(NAMESPACE, STUCK_METRIC, stuck);
        String summary = "decisions " + result.path("decisions") + ", targets restored " + restored.size()
                + ", claims released " + released.size() + ", claims of unknown executions " + unknown.size()
                + ", notices " + result.path("notices") + ", stuck " + stuck;
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
     * Publishes each notice of an ending that SNS refused, once its execution has ended: while it runs, the state
     * machine's own retries may still publish it. One that SNS still refuses stays kept and counts as unsent.
     */
    private ObjectNode publishNotices(RolloutLog log) {
        ArrayNode sent = Json.MAPPER.createArrayNode();
        int unsent = 0;
        for (UnsentNotices.Unsent kept : notices.unsent()) {
            RolloutLog noticeLog = log.with("execution_id", kept.executionArn()).with("phase", kept.phase());
            Optional<ExecutionStates.Status> execution = executions.status(kept.executionArn());
            if (execution.isPresent() && execution.get().running()) {
                continue;
            }
            try {
                notifications.publish(kept.notice().subject(), kept.notice().body(), kept.notice().attributes());
            } catch (RuntimeException refused) {
                unsent++;
                noticeLog.with("outcome", refused.getClass().getName()).error("Sweep: the notice \""
                        + kept.notice().subject() + "\", kept since " + kept.keptAt() + ", is still unsent: " + refused);
                continue;
            }
            notices.sent(kept.executionArn(), kept.phase());
            sent.addObject().put("executionArn", kept.executionArn()).put("phase", kept.phase());
            noticeLog.with("outcome", "sent").info("Sweep: sent the notice \"" + kept.notice().subject()
                    + "\", kept since " + kept.keptAt());
        }
        ObjectNode published = Json.object();
        published.set("sent", sent);
        return published.put("unsent", unsent);
    }

    /**
     * A claim not released: left alone while its rollout runs; handed to Restore once that rollout ended without
     * success, which puts the target back as the rollout found it unless someone else moved it since, and releases
     * the claim; only released when the rollout succeeded.
     *
     * @return 1 when Restore could not finish (the target may still be moved, or nobody was told), else 0
     */
    private int sweepClaim(AliasLease claim, ArrayNode restored, ArrayNode released, ArrayNode unknown,
                           RolloutLog log) {
        String executionArn = claim.executionArn();
        Optional<ExecutionStates.Status> holder = executions.status(executionArn);
        if (holder.isPresent() && holder.get().running()) {
            return 0;
        }
        RolloutLog claimLog = log.with("target", claim.target()).with("execution_id", executionArn);
        if (holder.isEmpty()) {
            claimLog.with("outcome", "unknown").warn("Sweep: " + claim.target() + " is claimed by " + executionArn
                    + ", which Step Functions no longer knows; left as it is");
            unknown.add(claim.target());
            return 0;
        }
        if (ExecutionStatus.SUCCEEDED.toString().equals(holder.get().status())) {
            leases.release(claim.target(), executionArn);
            claimLog.with("outcome", "released").info("Sweep: released " + claim.target() + ", claimed by "
                    + executionArn + ", which succeeded");
            released.add(claim.target());
            return 0;
        }
        try {
            JsonNode answer = restore.handle(endingEvent(executionArn, holder.get()));
            restored.add(answer);
            claimLog.with("outcome", answer.path("action").asText())
                    .info("Sweep: " + claim.target() + " was still claimed after " + executionArn + " ended; Restore: "
                            + answer.path("reason").asText(answer.path("action").asText()));
            return 0;
        } catch (RuntimeException failed) {
            // Even when the target was restored and only the notice failed, nobody was told: that counts as stuck.
            claimLog.with("outcome", failed.getClass().getName())
                    .error("Sweep: could not restore " + claim.target() + " after " + executionArn + " ended: " + failed);
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
