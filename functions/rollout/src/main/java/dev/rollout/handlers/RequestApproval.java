package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import dev.rollout.aws.Clients;
import dev.rollout.aws.HealthWindows;
import dev.rollout.aws.Notifications;
import dev.rollout.aws.PendingApprovals;
import dev.rollout.aws.RolloutControls;
import dev.rollout.aws.TaskCallbacks;
import dev.rollout.aws.Watches;
import dev.rollout.domain.Approval;
import dev.rollout.domain.ApprovalLinks;
import dev.rollout.domain.ApprovalNotice;
import dev.rollout.domain.Control;
import dev.rollout.domain.Notice;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Reference;
import dev.rollout.domain.RolloutSnapshot;
import dev.rollout.domain.Step;
import dev.rollout.domain.TaskToken;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Asks people to approve the rollout's next move: stores the task token under a fresh random reference and
 * e-mails Approve and Reject links that carry only the reference. The state machine then waits until the approval
 * page answers the token, or the step's timeout passes. The wait is watched like a bake: the token is listed under
 * each watched alarm, so an alarm entering ALARM fails it at once ({@link AlarmStateChanged}), and no one is asked
 * while a watched alarm is in ALARM already. The token is also recorded as the wait the rollout is in, so that a
 * person's abort or promote-now ends it at once ({@link ControlPage}).
 *
 * <p>Input: {@code rollout}, {@code stepIndex} (an Approval step), {@code healthSince} (end of the last passed
 * health window), {@code taskToken}, {@code executionId}, and {@code requestedAt} (when the state was entered, which
 * its timeout counts from). Output, which Step Functions ignores while it waits: the message id and the expiry.
 * Neither the token nor the reference is returned or logged.
 */
public final class RequestApproval extends TaskHandler {
    private final PendingApprovals approvals;
    private final Watches watches;
    private final ControlDelivery controls;
    private final Notifications notifications;
    private final HealthWindows health;
    private final ApprovalLinks links;
    private final Clock clock;

    public RequestApproval() {
        this(Clients.dynamoDb(), new Tables(Clients.environment("APPROVAL_TABLE"), Clients.environment("WATCH_TABLE"),
                Clients.environment("CONTROL_TABLE")), Clients.sfn(), Clients.sns(),
                Clients.environment("TOPIC_ARN"), Clients.cloudWatch(),
                new ApprovalLinks(Clients.environment("APPROVAL_URL")), Clock.systemUTC());
    }

    /** The tables it writes: the pending approvals, the waits under alarms, the rollouts' controls. */
    public record Tables(String approvals, String watches, String controls) {
    }

    public RequestApproval(DynamoDbClient dynamoDb, Tables tables, SfnClient sfn, SnsClient sns, String topicArn,
                           CloudWatchClient cloudWatch, ApprovalLinks links, Clock clock) {
        this.approvals = new PendingApprovals(dynamoDb, tables.approvals());
        this.watches = new Watches(dynamoDb, tables.watches());
        this.controls = new ControlDelivery(new RolloutControls(dynamoDb, tables.controls()), new TaskCallbacks(sfn));
        this.notifications = new Notifications(sns, topicArn);
        this.health = new HealthWindows(cloudWatch);
        this.links = links;
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        int stepIndex = input.path("stepIndex").asInt(-1);
        if (stepIndex < 0 || stepIndex >= rollout.steps().size()
                || !(rollout.steps().get(stepIndex) instanceof Step.Approval step)) {
            throw new Rollout.MalformedTaskInput("task input \"stepIndex\" must point at an Approval step of the plan,"
                    + " got " + input.path("stepIndex") + "; check the state machine's Arguments");
        }
        TaskToken token = new TaskToken(Json.text(input, "taskToken"));
        String executionArn = Json.text(input, "executionId");
        // The task's timeout counts from when the state was entered, not from when this function runs.
        Instant requestedAt = input.hasNonNull("requestedAt")
                ? Instant.parse(Json.text(input, "requestedAt"))
                : clock.instant();

        Instant until = requestedAt.plusSeconds(step.timeoutSeconds());
        // A person's abort or promote-now recorded before this wait began ends it at once, and nobody is asked.
        Optional<Control> decided = controls.beginWait(executionArn, token, until, clock.instant());
        if (decided.isPresent()) {
            return Json.object().put("until", until.toString()).put("control", decided.get().kind().wireName())
                    .put("summary", "nobody asked: " + decided.get().describe());
        }
        // Listen first, then look: an alarm that fires in between is caught by one or the other.
        watches.register(rollout.alarms(), token, executionArn, until, clock.instant());
        RolloutSnapshot snapshot = new RolloutSnapshot(rollout.target(), rollout.fromVersion(), rollout.toVersion(),
                rollout.strategy(), rollout.weightBefore(stepIndex),
                rollout.comment(), health.requireNoneAlarming(rollout.alarms()), Instant.parse(rollout.preparedAt()),
                Instant.parse(Json.text(input, "healthSince")),
                step.onTimeout());
        // Seeded here, never at initialization: under SnapStart every environment resumes from one snapshot.
        Reference reference = Reference.random(new SecureRandom());
        Approval approval = Approval.request(reference, token, executionArn, snapshot, requestedAt,
                Duration.ofSeconds(step.timeoutSeconds()));
        // Stored before it is announced: a link must never lead to an approval that does not exist.
        approvals.add(approval);
        Notice notice = ApprovalNotice.of(approval, links);
        String messageId = notifications.publish(notice.subject(), notice.body(), notice.attributes());

        ObjectNode output = Json.object();
        output.put("messageId", messageId);
        output.put("subject", notice.subject());
        output.put("expiresAt", approval.expiresAt().toString());
        return output;
    }
}
