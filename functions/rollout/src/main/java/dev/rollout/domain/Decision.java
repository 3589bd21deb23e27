package dev.rollout.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A person's answer to an approval request: approve or reject, who (as they named themselves), why, and when.
 *
 * @param by      the name the person typed, trimmed; empty when they gave none
 * @param comment what they wrote, trimmed; may be empty
 */
public record Decision(boolean approved, String by, String comment, Instant at) {
    /** The error a rejection fails the waiting task with; the state machine rolls back on it. */
    public static final String REJECTED_ERROR = Rollout.Rejected.class.getName();
    public static final int MAX_NAME = 100;
    public static final int MAX_COMMENT = 2000;

    public Decision {
        Objects.requireNonNull(at, "at");
        by = oneLine(by);
        comment = comment == null ? "" : comment.strip();
        Optional<String> refusal = refusal(by, comment);
        if (refusal.isPresent()) {
            throw new IllegalArgumentException(refusal.get());
        }
    }

    public static Decision approve(String by, String comment, Instant at) {
        return new Decision(true, by, comment, at);
    }

    public static Decision reject(String by, String comment, Instant at) {
        return new Decision(false, by, comment, at);
    }

    /** Why a name and comment cannot be recorded, in words for the person who typed them; empty when they can. */
    public static Optional<String> refusal(String by, String comment) {
        if (by != null && oneLine(by).length() > MAX_NAME) {
            return Optional.of("The name is longer than " + MAX_NAME + " characters.");
        }
        if (comment != null && comment.strip().length() > MAX_COMMENT) {
            return Optional.of("The comment is longer than " + MAX_COMMENT + " characters.");
        }
        return Optional.empty();
    }

    public ApprovalStatus status() {
        return approved ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED;
    }

    /** {@code approved} or {@code rejected}. */
    public String verb() {
        return approved ? "approved" : "rejected";
    }

    /** The person, or a phrase saying they gave no name. */
    public String who() {
        return by.isEmpty() ? "someone who gave no name" : by;
    }

    /** For example {@code approved by Ana at 2026-11-22T10:07:00Z}. */
    public String describe() {
        return verb() + " by " + who() + " at " + at;
    }

    /** The waiting task's result when approved; the execution history shows it. */
    public String taskOutput() {
        ObjectNode output = SharedJson.MAPPER.createObjectNode();
        output.put("approved", approved);
        if (by.isEmpty()) {
            output.putNull("by");
        } else {
            output.put("by", by);
        }
        output.put("comment", comment);
        output.put("at", at.toString());
        return output.toString();
    }

    /** The failure's cause when rejected: the rollback notice and the execution history show it as the reason. */
    public String rejectionCause() {
        return describe() + (comment.isEmpty() ? " (no comment)" : ": " + comment);
    }

    /**
     * Whether a task that ended with {@code output} (succeeded) or {@code error} and {@code cause} (failed), as the
     * execution history records it, received this decision: the same answer, name, comment and time.
     */
    public boolean answeredBy(Optional<String> output, Optional<String> error, Optional<String> cause) {
        if (!approved) {
            return error.filter(REJECTED_ERROR::equals).isPresent() && cause.filter(rejectionCause()::equals).isPresent();
        }
        try {
            return output.isPresent() && SharedJson.MAPPER.readTree(output.get()).equals(SharedJson.MAPPER.readTree(taskOutput()));
        } catch (java.io.IOException notJson) {
            return false;
        }
    }

    /** Names are shown on one line in pages and notices; line breaks and other control characters become spaces. */
    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\p{Cntrl}+", " ").strip();
    }
}
