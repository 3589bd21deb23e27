package dev.rollout.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a control link leads to: a running rollout, by its execution, and what the page shows about it. The link
 * carries only {@code reference}, random and meaningless; the execution and the task tokens never leave the table.
 */
public record ControlLink(Reference reference, String executionArn, Target target, String fromVersion,
                          String toVersion, String strategy, Instant startedAt) {
    /**
     * How long a link's record is kept: past the longest execution (365 days), so that a link opened late still
     * says how the rollout ended rather than that it is unknown.
     */
    public static final Duration KEPT = Duration.ofDays(400);

    public ControlLink {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(executionArn, "executionArn");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /** For page titles: {@code orders:live 1 -> 2}. */
    public String title() {
        return target.title() + " " + fromVersion + " -> " + toVersion;
    }

    /** When the table's TTL may remove the record. */
    public Instant purgeAt() {
        return startedAt.plus(KEPT);
    }
}
