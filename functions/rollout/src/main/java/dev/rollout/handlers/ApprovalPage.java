package dev.rollout.handlers;

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
 * page's form, a POST, decides: it moves the record from PENDING to APPROVED or REJECTED, marked undelivered, with a
 * conditional write, so of two people deciding at once exactly one does; then it answers the waiting task and marks
 * the decision delivered. If Step Functions no longer waits, the record becomes EXPIRED. If it could not be reached,
 * the decision stays recorded and undelivered: any later GET or POST of the link delivers it before showing
 * anything, and the sweeper delivers it within minutes without anyone coming back. The page never calls a decision
 * "already" made while Step Functions may not have it.
 *
 * <p>The task token never appears in a URL, a page or a log line; logs name approvals by an abbreviated reference.
 */
public final class ApprovalPage implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final PendingApprovals approvals;
    private final DecisionDelivery delivery;
    private final Clock clock;

    public ApprovalPage() {
        this(Clients.dynamoDb(), Clients.environment("APPROVAL_TABLE"), Clients.sfn(), Clock.systemUTC());
    }

    public ApprovalPage(DynamoDbClient dynamoDb, String table, SfnClient sfn, Clock clock) {
        this.approvals = new PendingApprovals(dynamoDb, table);
        this.delivery = new DecisionDelivery(approvals, sfn);
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
                case "GET", "HEAD" -> show(request, log);
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

    private Page show(APIGatewayProxyRequestEvent request, RolloutLog pageLog) {
        Optional<Approval> found = reference(request).flatMap(approvals::find);
        if (found.isEmpty()) {
            return ApprovalPages.notFound();
        }
        Approval approval = found.get();
        Optional<Action> linked = Action.parse(parameter(request.getQueryStringParameters(), "action"));
        Instant now = clock.instant();
        if (DecisionDelivery.inFlight(approval, now)) {
            return ApprovalPages.beingDelivered(approval, Optional.empty());
        }
        if (approval.awaitsDelivery()) {
            return delivered(delivery.deliver(approval, now, rolloutLog(pageLog, approval)), Optional.empty());
        }
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
        RolloutLog log = rolloutLog(pageLog, approval);
        Instant now = clock.instant();
        if (DecisionDelivery.inFlight(approval, now)) {
            return ApprovalPages.beingDelivered(approval, action);
        }
        if (approval.awaitsDelivery()) {
            // Decided before, but Step Functions may not have it: deliver that decision, whatever this form says.
            return delivered(delivery.deliver(approval, now, log), action);
        }
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
            // Someone decided, or it expired, between our read and our write: their outcome stands, delivered first.
            if (first.current().filter(current -> DecisionDelivery.inFlight(current, now)).isPresent()) {
                return ApprovalPages.beingDelivered(first.current().get(), action);
            }
            if (first.current().filter(Approval::awaitsDelivery).isPresent()) {
                return delivered(delivery.deliver(first.current().get(), now, log), action);
            }
            return first.current().map(current -> closed(current, now, action)).orElseGet(ApprovalPages::notFound);
        }
        DecisionDelivery.Outcome outcome = delivery.deliver(decided, now, log);
        return outcome instanceof DecisionDelivery.Delivered done ? ApprovalPages.decided(done.approval())
                : delivered(outcome, action);
    }

    /** The page after delivering a decision recorded earlier (by this person or another). */
    private static Page delivered(DecisionDelivery.Outcome outcome, Optional<Action> attempted) {
        if (outcome instanceof DecisionDelivery.Undelivered pending) {
            return ApprovalPages.awaitingDelivery(pending.approval(),
                    pending.failure() instanceof Transient || pending.failure() instanceof Throttled, attempted);
        }
        return outcome instanceof DecisionDelivery.TaskGone gone ? ApprovalPages.expired(gone.approval())
                : ApprovalPages.alreadyDecided(outcome.approval(), attempted);
    }

    /** The page for an approval that can no longer be decided: expired, or decided and delivered before. */
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

    private static RolloutLog rolloutLog(RolloutLog pageLog, Approval approval) {
        return pageLog.with("execution_id", approval.executionArn())
                .target(approval.rollout().target())
                .with("from_version", approval.rollout().fromVersion())
                .with("to_version", approval.rollout().toVersion());
    }

    private static Optional<Reference> reference(APIGatewayProxyRequestEvent request) {
        return Reference.parse(parameter(request.getPathParameters(), "reference"));
    }

    private static String parameter(Map<String, String> parameters, String name) {
        return parameters == null ? null : parameters.get(name);
    }
}
