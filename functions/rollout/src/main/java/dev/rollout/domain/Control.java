package dev.rollout.domain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A person's decision to end a running rollout early, from a control link in its "started" notice or from
 * {@code bin/control}: abort it (traffic back now, through the usual rollback) or promote it now (the remaining
 * steps and waits skipped, then the usual promotion with its checks and hooks). Recorded once per rollout, with who
 * and why, and delivered to the wait the rollout is in, or to the next one it enters.
 */
public record Control(Kind kind, String by, String reason, Instant at) {
    /** The error an abort fails the waiting task with; the state machine rolls back on it. */
    public static final String ABORTED_ERROR = Rollout.Aborted.class.getName();
    /** The value of {@code control} in a waiting task's result that the state machine routes to promotion. */
    public static final String PROMOTE_RESULT = "promote";
    public static final int MAX_NAME = Decision.MAX_NAME;
    public static final int MAX_REASON = Decision.MAX_COMMENT;

    /** What a control does. */
    public enum Kind {
        ABORT("abort", "Abort", "aborted"),
        PROMOTE(PROMOTE_RESULT, "Promote now", "promoted now");

        private final String wireName;
        private final String label;
        private final String verb;

        Kind(String wireName, String label, String verb) {
            this.wireName = wireName;
            this.label = label;
            this.verb = verb;
        }

        /** As links, forms, the table and the CLI say it: {@code abort} or {@code promote}. */
        public String wireName() {
            return wireName;
        }

        /** A button's text. */
        public String label() {
            return label;
        }

        public String verb() {
            return verb;
        }

        public static Optional<Kind> parse(String text) {
            for (Kind kind : values()) {
                if (kind.wireName.equals(text)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    public Control {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
        by = oneLine(by);
        reason = reason == null ? "" : reason.strip();
        Optional<String> refusal = refusal(by, reason);
        if (refusal.isPresent()) {
            throw new IllegalArgumentException(refusal.get());
        }
    }

    /**
     * Why a name and reason cannot be recorded, in words for the person who typed them; empty when they can. Both are
     * required: a rollout ended early must say by whom and why.
     */
    public static Optional<String> refusal(String by, String reason) {
        String name = oneLine(by);
        String why = reason == null ? "" : reason.strip();
        if (name.isEmpty()) {
            return Optional.of("Give your name: the rollout's history records who ended it early.");
        }
        if (name.length() > MAX_NAME) {
            return Optional.of("The name is longer than " + MAX_NAME + " characters.");
        }
        if (why.isEmpty()) {
            return Optional.of("Give a reason: the rollout's history and its notice say why it was ended early.");
        }
        if (why.length() > MAX_REASON) {
            return Optional.of("The reason is longer than " + MAX_REASON + " characters.");
        }
        return Optional.empty();
    }

    /** For example {@code aborted by Ana at 2026-11-22T10:07:00Z}. */
    public String describe() {
        return kind.verb() + " by " + by + " at " + at;
    }

    /** The failure's cause of an abort: the rollback notice and the execution history show it as the reason. */
    public String abortCause() {
        return describe() + ": " + reason;
    }

    /** The waiting task's result of a promote-now; the execution history shows it. */
    public String taskOutput() {
        ObjectNode output = SharedJson.MAPPER.createObjectNode();
        output.put("control", kind.wireName());
        output.put("by", by);
        output.put("reason", reason);
        output.put("at", at.toString());
        return output.toString();
    }

    /** Names are shown on one line in pages and notices; line breaks and other control characters become spaces. */
    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\p{Cntrl}+", " ").strip();
    }
}
