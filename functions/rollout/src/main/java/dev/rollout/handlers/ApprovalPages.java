package dev.rollout.handlers;

import static dev.rollout.handlers.Html.escape;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import dev.rollout.domain.AlarmStatus;
import dev.rollout.domain.Approval;
import dev.rollout.domain.Decision;
import dev.rollout.domain.Notice;
import dev.rollout.domain.RolloutSnapshot;

/** The approval page's documents, one per outcome. Every piece of text in them is escaped. */
final class ApprovalPages {

    /** What a link or a form asks for. */
    enum Action {
        APPROVE("approve", "Approve"),
        REJECT("reject", "Reject");

        final String value;
        final String label;

        Action(String value, String label) {
            this.value = value;
            this.label = label;
        }

        static Optional<Action> parse(String text) {
            for (Action action : values()) {
                if (action.value.equals(text)) {
                    return Optional.of(action);
                }
            }
            return Optional.empty();
        }

        boolean approves() {
            return this == APPROVE;
        }
    }

    /** One response: status, title and body; HEAD gets the same status and headers without the body. */
    record Page(int status, String title, String body) {
        APIGatewayProxyResponseEvent response(boolean head) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "text/html; charset=utf-8");
            // The reference in the URL decides the rollout: keep it out of caches, Referer headers and frames.
            headers.put("Cache-Control", "no-store");
            headers.put("Referrer-Policy", "no-referrer");
            headers.put("X-Content-Type-Options", "nosniff");
            headers.put("X-Frame-Options", "DENY");
            headers.put("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; "
                    + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
            headers.put("X-Robots-Tag", "noindex");
            if (status == 405) {
                headers.put("Allow", "GET, HEAD, POST");
            }
            return new APIGatewayProxyResponseEvent()
                    .withStatusCode(status)
                    .withHeaders(headers)
                    .withBody(head ? "" : document());
        }

        private String document() {
            return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    + "<meta name=\"robots\" content=\"noindex\">\n"
                    + "<title>" + escape(title) + "</title>\n<style>" + STYLE + "</style>\n</head>\n<body>\n<main>\n"
                    + "<h1>" + escape(title) + "</h1>\n" + body + "</main>\n</body>\n</html>\n";
        }
    }

    private static final String STYLE = "body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d2430}"
            + "main{max-width:44rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border-radius:8px;"
            + "box-shadow:0 1px 3px #0002}h1{font-size:1.4rem}dl{display:grid;grid-template-columns:10rem 1fr;"
            + "gap:.3rem 1rem}dt{font-weight:600}dd{margin:0}ul{margin:0;padding-left:1.2rem}"
            + "label{display:block;margin:.8rem 0 .2rem;font-weight:600}input,textarea{width:100%;box-sizing:border-box;"
            + "font:inherit;padding:.4rem}textarea{min-height:5rem}.buttons{margin-top:1rem;display:flex;gap:.8rem}"
            + "button{font:inherit;padding:.5rem 1.4rem;border-radius:6px;border:1px solid #8892a0;background:#fff;"
            + "cursor:pointer}button.primary{background:#1f6feb;border-color:#1f6feb;color:#fff}"
            + ".note{color:#555}.problem{color:#a40e26;font-weight:600}";

    private ApprovalPages() {
    }

    /** The question: the rollout, its health and a form. {@code problem} is set when a submitted form was refused. */
    static Page ask(Approval approval, Optional<Action> linked, Optional<String> problem, String name, String comment) {
        StringBuilder body = new StringBuilder();
        linked.ifPresentOrElse(
                action -> body.append("<p>You followed the <strong>").append(action.label)
                        .append("</strong> link. Nothing is decided until you press a button below.</p>\n"),
                () -> body.append("<p>Nothing is decided until you press a button below.</p>\n"));
        problem.ifPresent(text -> body.append("<p class=\"problem\">").append(escape(text)).append("</p>\n"));
        body.append(details(approval));
        Action first = linked.orElse(Action.APPROVE);
        Action second = first.approves() ? Action.REJECT : Action.APPROVE;
        body.append("<form method=\"post\" action=\"").append(escape(approval.reference().value())).append("\">\n")
                .append("<label for=\"name\">Your name</label>\n")
                .append("<input id=\"name\" name=\"name\" maxlength=\"").append(Decision.MAX_NAME)
                .append("\" autocomplete=\"name\" value=\"").append(escape(name)).append("\">\n")
                .append("<label for=\"comment\">Comment</label>\n")
                .append("<textarea id=\"comment\" name=\"comment\" maxlength=\"").append(Decision.MAX_COMMENT)
                .append("\">").append(escape(comment)).append("</textarea>\n")
                .append("<div class=\"buttons\">\n")
                .append(button(first, true)).append(button(second, false))
                .append("</div>\n</form>\n")
                .append("<p class=\"note\">Your name and comment are recorded with the decision in the execution's"
                        + " history.</p>\n");
        return new Page(problem.isPresent() ? 400 : 200, "Approve or reject the rollout of "
                + approval.rollout().title(), body.toString());
    }

    /** The decision just recorded and passed on to Step Functions. */
    static Page decided(Approval approval) {
        Decision decision = approval.decision().orElseThrow();
        String next = decision.approved() ? "The rollout goes on with its next step."
                : "The rollout rolls back to " + approval.rollout().target().unit() + " "
                + approval.rollout().fromVersion() + ".";
        String body = "<p><strong>" + escape(capitalized(decision.describe())) + ".</strong> " + escape(next)
                + "</p>\n" + comment(decision) + details(approval);
        return new Page(200, capitalized(decision.verb()) + ": " + approval.rollout().title(), body);
    }

    /**
     * An approval decided before this request. A repeated decision gets 200, a contrary one 409; both are told
     * what was decided, by whom and when.
     */
    static Page alreadyDecided(Approval approval, Optional<Action> attempted) {
        Decision decision = approval.decision().orElseThrow();
        boolean contrary = attempted.isPresent() && attempted.get().approves() != decision.approved();
        String body = "<p><strong>This rollout was already " + escape(decision.describe()) + ".</strong>"
                + (contrary ? " Your " + attempted.get().value + " was not recorded." : "") + "</p>\n"
                + comment(decision) + details(approval);
        return new Page(contrary ? 409 : 200, "Already " + decision.verb() + ": " + approval.rollout().title(),
                body);
    }

    static Page expired(Approval approval) {
        String when = approval.expiredAt().isBefore(approval.expiresAt())
                ? "Step Functions stopped waiting for this approval at " + approval.expiredAt()
                        + ", before it was due to expire at " + approval.expiresAt()
                        + ": the rollout ended or was stopped meanwhile."
                : "This approval request expired at " + approval.expiresAt() + ". Unanswered, "
                        + approval.rollout().whenUnanswered() + ".";
        String body = "<p><strong>" + escape(when) + "</strong> Nothing was decided here.</p>\n" + details(approval);
        return new Page(410, "Expired: " + approval.rollout().title(), body);
    }

    static Page notFound() {
        return new Page(404, "This approval link is not valid",
                "<p>No approval request has this link. It may have been altered or cut short: open it from the"
                        + " e-mail again, or copy the whole link. Requests are also forgotten "
                        + Approval.KEPT_AFTER_EXPIRY.toDays() + " days after they expire.</p>\n");
    }

    static Page badForm() {
        return new Page(400, "Choose Approve or Reject",
                "<p>The form did not say whether to approve or reject; nothing was decided. Open the link from the"
                        + " e-mail again and press one of the buttons.</p>\n");
    }

    static Page unavailable() {
        return new Page(503, "Please try again",
                "<p>The approval service could not be reached just now, so nothing was decided and the rollout still"
                        + " waits. Try again in a minute.</p>\n");
    }

    static Page undelivered() {
        return new Page(502, "The decision could not be passed on",
                "<p>Step Functions refused the decision, so nothing was decided and the rollout still waits."
                        + " This does not look temporary: tell whoever runs the rollouts; the approval function's"
                        + " log has the error.</p>\n");
    }

    static Page failed() {
        return new Page(500, "Something went wrong",
                "<p>Something went wrong on our side. Open the link again to see whether anything was decided;"
                        + " if this keeps happening, tell whoever runs the rollouts.</p>\n");
    }

    static Page methodNotAllowed() {
        return new Page(405, "Not supported", "<p>This page can only be opened, or its form sent.</p>\n");
    }

    private static String details(Approval approval) {
        RolloutSnapshot rollout = approval.rollout();
        StringBuilder html = new StringBuilder("<dl>\n");
        rollout.target().facts().forEach((name, value) -> row(html, name, escape(value)));
        String unit = rollout.target().unit();
        row(html, capitalized(unit) + "s", escape(unit + " " + rollout.fromVersion()) + " &rarr; "
                + escape(unit + " " + rollout.toVersion()));
        row(html, "Traffic", escape(rollout.weight() + " on " + unit + " " + rollout.toVersion()
                + " while the rollout waits"));
        row(html, "Strategy", escape(rollout.strategy()));
        if (!rollout.comment().isEmpty()) {
            row(html, "Rollout comment", escape(rollout.comment()));
        }
        StringBuilder health = new StringBuilder(escape(rollout.health()));
        if (!rollout.alarms().isEmpty()) {
            health.append("<ul>");
            for (AlarmStatus alarm : rollout.alarms()) {
                health.append("<li>").append(escape(RolloutSnapshot.describe(alarm))).append("</li>");
            }
            health.append("</ul>");
        }
        row(html, "Health", health.toString());
        row(html, "Requested", escape(approval.requestedAt().toString()));
        row(html, "Expires", escape(approval.expiresAt() + "; unanswered, " + rollout.whenUnanswered()));
        row(html, "Execution", "<a href=\"" + escape(Notice.consoleUrl(approval.executionArn()))
                + "\" rel=\"noopener noreferrer\">" + escape(approval.executionArn()) + "</a>");
        return html.append("</dl>\n").toString();
    }

    private static void row(StringBuilder html, String label, String valueHtml) {
        html.append("<dt>").append(escape(label)).append("</dt><dd>").append(valueHtml).append("</dd>\n");
    }

    private static String comment(Decision decision) {
        return decision.comment().isEmpty() ? ""
                : "<p>Comment: <q>" + escape(decision.comment()) + "</q></p>\n";
    }

    private static String button(Action action, boolean primary) {
        return "<button type=\"submit\" name=\"action\" value=\"" + action.value + "\""
                + (primary ? " class=\"primary\"" : "") + ">" + action.label + "</button>\n";
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
