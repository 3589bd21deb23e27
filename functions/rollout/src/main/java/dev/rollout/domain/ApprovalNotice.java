package dev.rollout.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The e-mail that asks for approval: the rollout, where it stands, its health, when the request expires, and
 * the Approve and Reject links. The links lead to a page that asks for confirmation, because mail scanners
 * open every link in a message.
 */
public final class ApprovalNotice {
    private ApprovalNotice() {
    }

    public static Notice of(Approval approval, ApprovalLinks links) {
        RolloutSnapshot rollout = approval.rollout();
        String subject = "Approval needed: " + rollout.title() + " at " + rollout.weight();
        if (subject.length() > Notice.MAX_SUBJECT) {
            subject = subject.substring(0, Notice.MAX_SUBJECT - 3) + "...";
        }
        StringBuilder body = new StringBuilder()
                .append("The rollout of ").append(rollout.target().phrase())
                .append(" waits for a person to approve or reject it.\n\n");
        Notice.appendFacts(body, rollout.target());
        String unit = rollout.target().unit();
        body.append("From:      ").append(unit).append(' ').append(rollout.fromVersion()).append('\n')
                .append("To:        ").append(unit).append(' ').append(rollout.toVersion()).append('\n')
                .append("Strategy:  ").append(rollout.strategy()).append('\n')
                .append("Traffic:   ").append(rollout.weight()).append(" on ").append(unit).append(' ')
                .append(rollout.toVersion()).append(" while it waits\n");
        if (!rollout.comment().isEmpty()) {
            body.append("Comment:   ").append(rollout.comment()).append('\n');
        }
        body.append("Health:    ").append(rollout.health()).append('\n');
        for (AlarmStatus alarm : rollout.alarms()) {
            body.append("           ").append(RolloutSnapshot.describe(alarm)).append('\n');
        }
        body.append("Expires:   ").append(approval.expiresAt()).append("; unanswered by then, ")
                .append(rollout.whenUnanswered()).append('\n')
                .append("Execution: ").append(Notice.consoleUrl(approval.executionArn())).append("\n\n")
                .append("Approve:   ").append(links.approve(approval.reference())).append('\n')
                .append("Reject:    ").append(links.reject(approval.reference())).append("\n\n")
                .append("Each link opens a page that shows this rollout and asks you to confirm;")
                .append(" opening a link decides nothing. Anyone with these links can decide, so do not forward them.\n");
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("phase", Phase.AWAITING_APPROVAL.name());
        attributes.putAll(Notice.attributes(rollout.target()));
        return new Notice(subject, body.toString(), attributes);
    }
}
