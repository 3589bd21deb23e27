package dev.rollout.handlers;

import Rollout.InvalidInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import dev.rollout.aws.Clients;
import dev.rollout.aws.Notifications;
import dev.rollout.aws.RolloutControls;
import dev.rollout.aws.UnsentNotices;
import dev.rollout.domain.ApprovalLinks;
import dev.rollout.domain.Control;
import dev.rollout.domain.ControlLink;
import dev.rollout.domain.AppSpec;
import dev.rollout.domain.FailureReport;
import dev.rollout.domain.Notice;
import dev.rollout.domain.Phase;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Reference;
import dev.rollout.domain.Target;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Tells subscribers that a rollout started, was promoted, rolled back or was refused, with the
 * versions, the reason and a link to the execution.
 *
 * <p>Input: {@code phase}, {@code executionId}, the {@code failure} (Step Functions error output)
 * when there was one, and either the prepared {@code rollout} or, when Prepare refused it, the raw
 * {@code request}. Output includes the failure's readable {@code reason}.
 *
 * <p>A "started" notice carries the rollout's control links, abort and promote now ({@link ControlPage}); they carry
 * only a random reference, stored in the control table, never the execution's task tokens.
 *
 * <p>A notice of how a rollout ended that SNS refuses (and that nothing else announces) is kept in the notice table ({@link UnsentNotices}) before the
 * failure goes back to Step Functions, which retries and then carries on without it: the sweeper publishes what is
 * still kept once the execution has ended, and counts what it cannot publish as stuck. A retry that publishes it
 * ({@code retryCount}, the state's {@code $states.context.State.RetryCount}, above 0) marks the kept copy sent.
 */
public final class Notify extends TaskHandler {
    /**
     * The endings whose notice is kept when SNS refuses it: the ones nothing else announces. A rollback that failed
     * is followed by Restore, which tells people how it left the target; a kept copy, published later, would
     * contradict that. Started and awaiting-approval notices mean nothing once the rollout has ended.
     */
    private static final Set<Phase> KEPT_WHEN_REFUSED = EnumSet.of(Phase.PROMOTED, Phase.ROLLED_BACK, Phase.STOPPED,
            Phase.REFUSED);

    private final Notifications notifications;
    private final RolloutControls controls;
    private final UnsentNotices unsent;
    private final ApprovalLinks links;
    private final Clock clock;

    /** Where notices and what they need are kept: the template's {@code ControlTable} and {@code NoticeTable}. */
    public record Tables(String controlTable, String noticeTable) {
    }

    public Notify() {
        this(Clients.sns(), Clients.environment("TOPIC_ARN"), Clients.dynamoDb(),
                new Tables(Clients.environment("CONTROL_TABLE"), Clients.environment("NOTICE_TABLE")),
                new ApprovalLinks(Clients.environment("APPROVAL_URL")), Clock.systemUTC());
    }

    /**
     * @param tables where the control links of "started" notices lead, and where unsent endings are kept
     * @param links  the approval API, which serves the control page too
     */
    public Notify(SnsClient sns, String topicArn, DynamoDbClient dynamoDb, Tables tables, ApprovalLinks links,
                  Clock clock) {
        this.notifications = new Notifications(sns, topicArn);
        this.controls = new RolloutControls(dynamoDb, tables.controlTable());
        this.unsent = new UnsentNotices(dynamoDb, tables.noticeTable());
        this.links = links;
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        Phase phase = Phase.valueOf(Json.text(input, "phase").toUpperCase(Locale.ROOT));
        String executionId = Json.text(input, "executionId");
        FailureReport failure = FailureReport.of(input.get("failure"));
        String reason = failure.reason();
        String error = failure.error();
        Notice notice;
        if (input.hasNonNull("rollout")) {
            PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
            notice = Notice.of(phase, rollout.target(), rollout.fromVersion(), rollout.toVersion(), rollout.strategy(),
                    reason, error, Notice.consoleUrl(executionId));
            if (phase == Phase.STARTED) {
                notice = withControls(notice, rollout, executionId);
            }
        } else {
            // Refused before Prepare understood the input: report whatever the request names.
            JsonNode request = named(input.path("request"));
            Target target = new Target.LambdaAlias(named(request, "functionName", "(no functionName)"),
                    named(request, "alias", "live"));
            notice = Notice.of(phase, target, null, named(request, "targetVersion", "?"), null, reason, error,
                    Notice.consoleUrl(executionId));
        }
        boolean ending = KEPT_WHEN_REFUSED.contains(phase);
        String messageId;
        try {
            messageId = notifications.publish(notice.subject(), notice.body(), notice.attributes());
        } catch (RuntimeException unpublished) {
            if (ending) {
                keep(executionId, phase, notice, unpublished);
            }
            throw unpublished;
        }
        if (ending && input.path("retryCount").asInt(0) > 0) {
            markSent(executionId, phase);
        }
        ObjectNode output = Json.object();
        output.put("messageId", messageId);
        output.put("subject", notice.subject());
        output.put("reason", reason);
        return output;
    }

    /**
     * The notice with links that abort or promote the rollout now, each leading to a page that asks who and why. The
     * link's reference is stored before it is announced; should that fail, the notice still goes out, without links.
     */
    private Notice withControls(Notice notice, PreparedRollout rollout, String executionArn) {
        // Seeded here, never at initialization: under SnapStart every environment resumes from one snapshot.
        Reference reference = Reference.random(new SecureRandom());
        try {
            controls.open(new ControlLink(reference, executionArn, rollout.target(), rollout.fromVersion(),
                    rollout.toVersion(), rollout.strategy(), clock.instant()));
        } catch (RuntimeException unstored) {
            return notice.withoutControls("the control links could not be stored: " + unstored.getMessage());
        }
        return notice.withControls(links.control(reference, Control.Kind.ABORT),
                links.control(reference, Control.Kind.PROMOTE));
    }

    /**
     * Keeps the ending's notice for the sweeper. When even that fails, Step Functions still gets the failure SNS caused,
     * and the NotifyFunction's errors alarm is what surfaces.
     */
    private void keep(String executionId, Phase phase, Notice notice, RuntimeException unpublished) {
        try {
            unsent.keep(executionId, phase.name(), notice, clock.instant());
        } catch (RuntimeException unkept) {
            unpublished.addSuppressed(unkept);
        }
    }

    /** An earlier attempt may have kept this notice: it went out now, so the sweeper must not send it again. */
    private void markSent(String executionId, Phase phase) {
        try {
            unsent.sent(executionId, phase.name());
        } catch (RuntimeException unmarked) {
            // The notice went out; the sweeper sends a kept copy once more: twice rather than never.
        }
    }

    /** What a refused request names: an AppSpec names function, alias and version inside it, when it can be read. */
    private static JsonNode named(JsonNode request) {
        if (!AppSpec.isIn(request)) {
            return request;
        }
        try {
            return AppSpec.expand(request);
        } catch (InvalidInput unreadable) {
            return request;
        }
    }

    /** A refused request may name nothing usable: show a placeholder rather than an empty field. */
    private static String named(JsonNode request, String field, String fallback) {
        JsonNode value = request.path(field);
        return value.isValueNode() && !value.asText().isBlank() ? value.asText() : fallback;
    }
}
