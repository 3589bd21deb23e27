package dev.rollout.handlers;

import Rollout.Throttled;
import Rollout.Transient;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import dev.rollout.aws.Clients;
import dev.rollout.aws.RolloutControls;
import dev.rollout.domain.Control;
import dev.rollout.domain.ControlLink;
import dev.rollout.domain.Reference;
import dev.rollout.handlers.ApprovalPages.Page;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The page behind the control links of a "started" notice, {@code GET|HEAD|POST /controls/{reference}}: abort a
 * running rollout (traffic back now, through the usual rollback) or promote it now (the remaining steps and waits
 * skipped, then the usual promotion with its checks and hooks).
 *
 * <p>GET and HEAD only show the rollout, however often: mail scanners and link previews open every link. Only the
 * page's form, a POST with a name and a reason, decides: it records the decision on the rollout with a conditional
 * write, so a rollout takes one decision and of two people deciding at once exactly one does; then it delivers it to
 * the wait the rollout is in (a bake, an approval, the final bake), whose task token the wait recorded beside it. A
 * rollout between waits (moving traffic, running a hook) acts on the decision as its next wait begins; a decision
 * Step Functions could not take now is delivered by that next wait or by the sweeper. A recorded decision is a
 * delivered decision.
 *
 * <p>The link carries a random reference only; task tokens never appear in a URL, a page or a log line.
 */
public final class ControlPage implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final RolloutControls controls;
    private final ControlDecisions decisions;
    private final Clock clock;

    public ControlPage() {
        this(Clients.dynamoDb(), Clients.environment("CONTROL_TABLE"), Clients.sfn(), Clock.systemUTC());
    }

    public ControlPage(DynamoDbClient dynamoDb, String table, SfnClient sfn, Clock clock) {
        this.controls = new RolloutControls(dynamoDb, table);
        this.decisions = new ControlDecisions(dynamoDb, table, sfn, clock);
        this.clock = clock;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        RolloutLog log = RolloutLog.of(context, clock).with("state", "ControlPage")
                .with("control_reference", reference(request).map(Reference::abbreviated).orElse(""));
        String method = request.getHttpMethod() == null ? "" : request.getHttpMethod().toUpperCase(Locale.ROOT);
        Page page;
        try {
            page = switch (method) {
                case "GET", "HEAD" -> show(request);
                case "POST" -> decide(request, log);
                default -> ApprovalPages.methodNotAllowed();
            };
        } catch (Transient | Throttled unreachable) {
            log.with("outcome", "unavailable").warn(method + " control: " + unreachable.getMessage());
            page = ControlPages.unavailable();
        } catch (RuntimeException unexpected) {
            // The person sees a plain page; the log keeps what went wrong (messages here never hold a token).
            log.with("outcome", unexpected.getClass().getName()).error(method + " control failed: " + unexpected);
            page = ControlPages.failed();
        }
        return page.response(method.equals("HEAD"));
    }

    /** Shows the rollout and, while it runs undecided, the form. Calls nothing that could change it. */
    private Page show(APIGatewayProxyRequestEvent request) {
        Optional<ControlLink> found = reference(request).flatMap(controls::find);
        if (found.isEmpty()) {
            return ControlPages.notFound();
        }
        ControlLink link = found.get();
        Optional<Control.Kind> linked = Control.Kind.parse(parameter(request.getQueryStringParameters(), "action"));
        RolloutControls.State state = decisions.state(link.executionArn());
        if (state.decision().isPresent() && state.delivered()) {
            return ControlPages.alreadyDecided(link, state.decision().get(), true, Optional.empty());
        }
        String status = decisions.status(link.executionArn());
        if (state.decision().isPresent()) {
            // Not delivered: still to come at the rollout's next wait, or never, if it ended without another one.
            return status.equals("RUNNING")
                    ? ControlPages.alreadyDecided(link, state.decision().get(), false, Optional.empty())
                    : ControlPages.endedBeforeActing(link, state.decision().get(), status);
        }
        if (!status.equals("RUNNING")) {
            return ControlPages.ended(link, status);
        }
        return ControlPages.ask(link, status, linked, Optional.empty(), "", "");
    }

    private Page decide(APIGatewayProxyRequestEvent request, RolloutLog pageLog) {
        Optional<Reference> reference = reference(request);
        if (reference.isEmpty()) {
            return ControlPages.notFound();
        }
        Optional<FormData> form = FormData.parse(request.getBody(),
                Boolean.TRUE.equals(request.getIsBase64Encoded()));
        Optional<Control.Kind> kind = form.flatMap(fields -> Control.Kind.parse(fields.get("action")));
        if (kind.isEmpty()) {
            return ControlPages.badForm();
        }
        Optional<ControlLink> found = controls.find(reference.get());
        if (found.isEmpty()) {
            return ControlPages.notFound();
        }
        ControlLink link = found.get();
        String name = form.get().get("name");
        String reason = form.get().get("reason");
        ControlDecisions.Result result = decisions.decide(link.executionArn(), kind.get(), name, reason);
        RolloutLog log = pageLog.with("execution_id", link.executionArn()).target(link.target())
                .with("from_version", link.fromVersion()).with("to_version", link.toVersion())
                .with("outcome", result.status().name().toLowerCase(Locale.ROOT));
        if (result.status() == ControlDecisions.Status.UNDELIVERED) {
            log.error("control: " + result.describe());
        } else {
            log.info("control: " + result.describe());
        }
        return switch (result.status()) {
            case DELIVERED, AT_NEXT_WAIT, UNDELIVERED -> ControlPages.decided(link, result);
            case ALREADY_DECIDED -> ControlPages.alreadyDecided(link, result.decision().orElseThrow(),
                    result.delivered(), kind);
            case ENDED -> ControlPages.ended(link, result.execution());
            case REFUSED -> ControlPages.ask(link, result.execution(), kind, Optional.of(result.refusal()),
                    name == null ? "" : name, reason == null ? "" : reason);
        };
    }

    private static Optional<Reference> reference(APIGatewayProxyRequestEvent request) {
        return Reference.parse(parameter(request.getPathParameters(), "reference"));
    }

    private static String parameter(Map<String, String> parameters, String name) {
        return parameters == null ? null : parameters.get(name);
    }
}
