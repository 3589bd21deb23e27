package dev.rollout.handlers;

import Rollout.Failure;
import Rollout.Throttled;
import Rollout.Transient;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import dev.rollout.aws.ApprovalClosed;
import dev.rollout.aws.Clients;
import dev.rollout.aws.PendingApprovals;
import dev.rollout.aws.TaskCallbacks;
import dev.rollout.aws.TaskClosed;
import dev.rollout.domain.Approval;
import dev.rollout.domain.Decision;
import dev.rollout.domain.Reference;
import dev.rollout.handlers.ApprovalPages.Action;
import dev.rollout.handlers.ApprovalPages.Page;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The page behind the links in an approval e-mail, {@code GET|HEAD|POST /approvals/{reference}}.
 *
 * <p>GET and HEAD only show the request, however often: mail scanners and link previews open every link. Only the
 * page's form, a POST, decides: it moves the record from PENDING to APPROVED or REJECTED with a conditional write,
 * so of two people deciding at once exactly one does, then answers the waiting task. If Step Functions no longer
 * waits, the record becomes EXPIRED; if it could not be reached, the record goes back to PENDING for another try.
 *
 * <p>The task token never appears in a URL, a page or a log line; logs name approvals by an abbreviated reference.
 */
public final class ApprovalPage implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final PendingApprovals approvals;
    private final TaskCallbacks tasks;
    private final Clock clock;

    public ApprovalPage() {
        this(Clients.dynamoDb(), Clients.environment("APPROVAL_TABLE"), Clients.sfn(), Clock.systemUTC());
    }

    public ApprovalPage(DynamoDbClient dynamoDb, String table, SfnClient sfn, Clock clock) {
        this.approvals = new PendingApprovals(dynamoDb, table);
        this.tasks = new TaskCallbacks(sfn);
        this.clock = clock;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        RolloutLog log = RolloutLog.of(context, clock).with("state", "ApprovalPage")
                .with("approval_reference", reference(request).map(Reference::abbreviated).orElse(""));
        String method = request.getHttpMethod() == null ? "" : request.getHttpMethod().toUpperCase(Locale.ROOT);
        Page page;
        try {
            page = switch (method) {
                case "GET", "HEAD" -> show(request);
                case "POST" -> decide(request, log);
                default -> ApprovalPages.methodNotAllowed();
            };
        } catch (Transient | Throttled unreachable) {
            log.with("outcome", "unavailable").warn(method + " approval: " + unreachable.getMessage());
            page = ApprovalPages.unavailable();
        } catch (RuntimeException unexpected) {
            // The person sees a plain page; the log keeps what went wrong (messages here never hold the token).
            log.with("outcome", unexpected.getClass().getName()).error(method + " approval failed: " + unexpected);
            page = ApprovalPages.failed();
        }
        return page.response(method.equals("HEAD"));
    }

    private Page show(APIGatewayProxyRequestEvent request) {
        Optional<Approval> found = reference(request).flatMap(approvals::find);
        if (found.isEmpty()) {
            return ApprovalPages.notFound();
        }
        Approval approval = found.get();
        Optional<Action> linked = Action.parse(parameter(request.getQueryStringParameters(), "action"));
        Instant now = clock.instant();
        if (approval.isOpenAt(now)) {
            return ApprovalPages.ask(approval, linked, Optional.empty(), "", "");
        }
        return closed(approval, now, Optional.empty());
    }

    private Page decide(APIGatewayProxyRequestEvent request, RolloutLog pageLog) {
        Optional<Reference> reference = reference(request);
        if (reference.isEmpty()) {
            return ApprovalPages.notFound();
        }
        Optional<FormData> form = FormData.parse(request.getBody(),
                Boolean.TRUE.equals(request.getIsBase64Encoded()));
        Optional<Action> action = form.flatMap(fields -> Action.parse(fields.get("action")));
        if (action.isEmpty()) {
            return ApprovalPages.badForm();
        }
        String name = form.get().get("name");
        String comment = form.get().get("comment");
        Optional<Approval> found = approvals.find(reference.get());
        if (found.isEmpty()) {
            return ApprovalPages.notFound();
        }
        Approval approval = found.get();
        RolloutLog log = pageLog.with("execution_id", approval.executionArn())
                .target(approval.rollout().target())
                .with("from_version", approval.rollout().fromVersion())
                .with("to_version", approval.rollout().toVersion());
        Instant now = clock.instant();
        if (approval.isExpiredAt(now) && approval.isPending()) {
            // Its time ran out unrecorded; record it, so the table tells the truth too.
            return ApprovalPages.expired(expire(approval, now, log));
        }
        if (!approval.isOpenAt(now)) {
            return closed(approval, now, action);
        }
        Optional<String> refusal = Decision.refusal(name, comment);
        if (refusal.isPresent()) {
            return ApprovalPages.ask(approval, action, refusal, name, comment);
        }
        Decision decision = action.get().approves()
                ? Decision.approve(name, comment, now)
                : Decision.reject(name, comment, now);
        Approval decided;
        try {
            decided = approvals.decide(approval, decision);
        } catch (ApprovalClosed first) {
            // Someone decided, or it expired, between our read and our write: their outcome stands.
            return first.current().map(current -> closed(current, now, action)).orElseGet(ApprovalPages::notFound);
        }
        String what = "approval " + reference.get().abbreviated() + " of " + approval.rollout().title();
        try {
            if (decision.approved()) {
                tasks.succeed(approval.taskToken(), decision.taskOutput());
            } else {
                tasks.fail(approval.taskToken(), Decision.REJECTED_ERROR, decision.rejectionCause());
            }
        } catch (TaskClosed late) {
            log.with("outcome", "expired").warn(what + ": " + late.getMessage() + "; recorded as expired");
            return ApprovalPages.expired(expire(decided, now, log));
        } catch (Failure undelivered) {
            log.with("outcome", "undelivered").error(what + ": " + decision.verb() + " but not delivered: "
                    + undelivered.getMessage());
            reopen(decided, what, log);
            return undelivered instanceof Transient || undelivered instanceof Throttled
                    ? ApprovalPages.unavailable() : ApprovalPages.undelivered();
        }
        log.with("outcome", decision.verb()).info(what + ": " + decision.describe());
        return ApprovalPages.decided(decided);
    }

    /** The page for an approval that can no longer be decided: expired, or decided before. */
    private Page closed(Approval approval, Instant now, Optional<Action> attempted) {
        if (approval.isExpiredAt(now)) {
            return ApprovalPages.expired(approval);
        }
        return ApprovalPages.alreadyDecided(approval, attempted);
    }

    /** Records that Step Functions stopped waiting for {@code approval}; the page says expired either way. */
    private Approval expire(Approval approval, Instant now, RolloutLog log) {
        try {
            return approvals.expire(approval, now);
        } catch (RuntimeException notRecorded) {
            log.with("outcome", "expiry-unrecorded").warn("approval " + approval.reference().abbreviated()
                    + ": could not record the expiry: " + notRecorded);
            return approval.expire(now);
        }
    }

    private void reopen(Approval decided, String what, RolloutLog log) {
        try {
            approvals.reopen(decided);
        } catch (RuntimeException stuck) {
            // The record now claims a decision Step Functions never received; a person must look at it.
            log.with("outcome", "stuck").error(what + ": could not reopen after the decision was not delivered, so the "
                    + "record says " + decided.status() + " while execution " + decided.executionArn()
                    + " still waits: " + stuck);
        }
    }

    private static Optional<Reference> reference(APIGatewayProxyRequestEvent request) {
        return Reference.parse(parameter(request.getPathParameters(), "reference"));
    }

    private static String parameter(Map<String, String> parameters, String name) {
        return parameters == null ? null : parameters.get(name);
    }
}
