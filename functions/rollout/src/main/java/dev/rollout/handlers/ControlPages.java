package dev.rollout.handlers;

import static dev.rollout.handlers.Html.escape;

import java.util.Locale;
import java.util.Optional;
import dev.rollout.domain.Control;
import dev.rollout.domain.ControlLink;
import dev.rollout.domain.Notice;
import dev.rollout.handlers.ApprovalPages.Page;

/** The control page's documents, one per outcome, with the approval page's headers. Every piece of text is escaped. */
final class ControlPages {
    private ControlPages() {
    }

    /** The question: the rollout and a form. {@code problem} is set when a submitted form was refused. */
    static Page ask(ControlLink link, String status, Optional<Control.Kind> linked, Optional<String> problem,
                    String name, String reason) {
        StringBuilder body = new StringBuilder();
        linked.ifPresentOrElse(
                kind -> body.append("<p>You followed the <strong>").append(escape(kind.label()))
                        .append("</strong> link. Nothing is decided until you press a button below.</p>\n"),
                () -> body.append("<p>Nothing is decided until you press a button below.</p>\n"));
        problem.ifPresent(text -> body.append("<p class=\"problem\">").append(escape(text)).append("</p>\n"));
        body.append(details(link, status));
        Control.Kind first = linked.orElse(Control.Kind.ABORT);
        Control.Kind second = first == Control.Kind.ABORT ? Control.Kind.PROMOTE : Control.Kind.ABORT;
        body.append("<ul class=\"note\"><li><strong>Abort</strong>: all traffic goes back to ")
                .append(escape(link.target().unit() + " " + link.fromVersion()))
                .append(" now, as a rollback does, and the rollout ends rolled back.</li>")
                .append("<li><strong>Promote now</strong>: the remaining steps and waits are skipped; the rollout then"
                        + " promotes as usual, after checking the health of the window so far and running its"
                        + " post-traffic hook.</li></ul>\n")
                .append("<form method=\"post\" action=\"").append(escape(link.reference().value())).append("\">\n")
                .append("<label for=\"name\">Your name</label>\n")
                .append("<input id=\"name\" name=\"name\" required maxlength=\"").append(Control.MAX_NAME)
                .append("\" autocomplete=\"name\" value=\"").append(escape(name)).append("\">\n")
                .append("<label for=\"reason\">Why</label>\n")
                .append("<textarea id=\"reason\" name=\"reason\" required maxlength=\"").append(Control.MAX_REASON)
                .append("\">").append(escape(reason)).append("</textarea>\n")
                .append("<div class=\"buttons\">\n")
                .append(button(first, true)).append(button(second, false))
                .append("</div>\n</form>\n")
                .append("<p class=\"note\">Your name and reason are recorded with the decision in the execution's"
                        + " history and its notice. A rollout takes one such decision.</p>\n");
        return new Page(problem.isPresent() ? 400 : 200, "Abort or promote the rollout of " + link.title(),
                body.toString());
    }

    /** The decision just recorded; whether the rollout has it yet decides the status. */
    static Page decided(ControlLink link, ControlDecisions.Result result) {
        Control control = result.decision().orElseThrow();
        String next = control.kind() == Control.Kind.ABORT
                ? "The rollout rolls back to " + link.target().unit() + " " + link.fromVersion() + "."
                : "The rollout skips its remaining steps and waits, and promotes " + link.target().unit() + " "
                        + link.toVersion() + " after its usual checks.";
        int status = 200;
        String title = capitalized(control.kind().verb()) + ": " + link.title();
        if (result.status() == ControlDecisions.Status.AT_NEXT_WAIT) {
            status = 202;
            next = "The rollout is between waits (moving traffic or running a hook): it acts on this as its next"
                    + " wait begins, within seconds. " + next;
        } else if (result.status() == ControlDecisions.Status.UNDELIVERED) {
            Rollout.Failure failure = result.failure().orElseThrow();
            status = failure instanceof Rollout.Throttled || failure instanceof Rollout.Transient ? 503 : 502;
            title = "Recorded, not yet delivered: " + link.title();
            next = "Step Functions could not be told just now. It is passed on again automatically (by the rollout's"
                    + " next wait and the sweeper, every few minutes); nothing more is needed from you. " + next;
        }
        String body = "<p><strong>" + escape(capitalized(control.describe())) + ".</strong> " + escape(next) + "</p>\n"
                + reason(control) + details(link, "");
        return new Page(status, title, body);
    }

    /** The rollout was decided before this request; 200 for the same control, 409 for the other one. */
    static Page alreadyDecided(ControlLink link, Control control, boolean delivered, Optional<Control.Kind> attempted) {
        boolean contrary = attempted.isPresent() && attempted.get() != control.kind();
        String delivery = delivered ? "" : " The rollout acts on it at its next wait.";
        String body = "<p><strong>This rollout was already " + escape(control.describe()) + ".</strong>"
                + escape(delivery)
                + (contrary ? " Your " + escape(attempted.get().label().toLowerCase(Locale.ROOT))
                        + " was not recorded." : "") + "</p>\n" + reason(control) + details(link, "");
        return new Page(contrary ? 409 : 200, "Already " + control.kind().verb() + ": " + link.title(), body);
    }

    /** A decision recorded while the rollout was between waits, which then ended without another wait. */
    static Page endedBeforeActing(ControlLink link, Control control, String status) {
        String body = "<p><strong>This rollout was " + escape(control.describe()) + ", but it ended (" + escape(status)
                + ") before reaching another wait, so it did not act on it.</strong> The execution's history shows"
                + " how it ended.</p>\n" + reason(control) + details(link, status);
        return new Page(410, "Ended before acting: " + link.title(), body);
    }

    /** The rollout has ended: nothing left to abort or promote. */
    static Page ended(ControlLink link, String status) {
        return new Page(410, "Ended: " + link.title(), "<p><strong>This rollout has ended (" + escape(status)
                + ").</strong> Nothing was decided here.</p>\n" + details(link, status));
    }

    static Page notFound() {
        return new Page(404, "This control link is not valid",
                "<p>No rollout has this link. It may have been altered or cut short: open it from the notice again,"
                        + " or copy the whole link.</p>\n");
    }

    static Page badForm() {
        return new Page(400, "Choose Abort or Promote now",
                "<p>The form did not say whether to abort or promote; nothing was decided. Open the link from the"
                        + " notice again and press one of the buttons.</p>\n");
    }

    static Page unavailable() {
        return new Page(503, "Please try again",
                "<p>The rollout service could not be reached just now, so nothing was decided. Try again in a"
                        + " minute.</p>\n");
    }

    static Page failed() {
        return new Page(500, "Something went wrong",
                "<p>Something went wrong on our side. Open the link again to see whether anything was decided;"
                        + " if this keeps happening, tell whoever runs the rollouts.</p>\n");
    }

    private static String details(ControlLink link, String status) {
        StringBuilder html = new StringBuilder("<dl>\n");
        link.target().facts().forEach((name, value) -> row(html, name, escape(value)));
        String unit = link.target().unit();
        row(html, capitalized(unit) + "s", escape(unit + " " + link.fromVersion()) + " &rarr; "
                + escape(unit + " " + link.toVersion()));
        row(html, "Strategy", escape(link.strategy()));
        row(html, "Started", escape(link.startedAt().toString()));
        if (!status.isEmpty()) {
            row(html, "Execution status", escape(status));
        }
        row(html, "Execution", "<a href=\"" + escape(Notice.consoleUrl(link.executionArn()))
                + "\" rel=\"noopener noreferrer\">" + escape(link.executionArn()) + "</a>");
        return html.append("</dl>\n").toString();
    }

    private static void row(StringBuilder html, String label, String valueHtml) {
        html.append("<dt>").append(escape(label)).append("</dt><dd>").append(valueHtml).append("</dd>\n");
    }

    private static String reason(Control control) {
        return "<p>Reason: <q>" + escape(control.reason()) + "</q></p>\n";
    }

    private static String button(Control.Kind kind, boolean primary) {
        return "<button type=\"submit\" name=\"action\" value=\"" + kind.wireName() + "\""
                + (primary ? " class=\"primary\"" : "") + ">" + escape(kind.label()) + "</button>\n";
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
