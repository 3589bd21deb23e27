package dev.rollout.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One request for approval: the rollout waiting on it, the task token that resumes it, and what became of it.
 *
 * <p>Only a pending approval can be decided or expire; each does so once. A request also counts as expired
 * once its time is up, before anyone records that: Step Functions has stopped waiting by then.
 *
 * @param expiresAt when the waiting task times out
 * @param decision  present once approved or rejected
 * @param closedAt  when it stopped being pending (decided or expired)
 * @param delivered whether Step Functions has received the decision; a decision is recorded first and delivered
 *                  after, so one whose delivery failed is still known and is delivered again
 */
public record Approval(Reference reference, TaskToken taskToken, String executionArn, RolloutSnapshot rollout,
                       Instant requestedAt, Instant expiresAt, ApprovalStatus status, Optional<Decision> decision,
                       Optional<Instant> closedAt, boolean delivered) {
    /** Expired links keep saying "expired" this long; then the table's TTL removes the record. */
    public static final Duration KEPT_AFTER_EXPIRY = Duration.ofDays(30);

    public Approval {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(taskToken, "taskToken");
        Objects.requireNonNull(status, "status");
        boolean decided = status == ApprovalStatus.APPROVED || status == ApprovalStatus.REJECTED;
        if (decided != decision.isPresent() || decided && decision.get().status() != status) {
            throw new IllegalArgumentException("an approval has a decision exactly when it is approved or rejected,"
                    + " got status " + status + " with " + decision.map(Decision::describe).orElse("no decision"));
        }
        if ((status == ApprovalStatus.PENDING) == closedAt.isPresent()) {
            throw new IllegalArgumentException("an approval has a closing time exactly when it is no longer pending,"
                    + " got status " + status);
        }
        if (delivered && decision.isEmpty()) {
            throw new IllegalArgumentException("only a decision can be delivered, got status " + status);
        }
    }

    public static Approval request(Reference reference, TaskToken taskToken, String executionArn,
                                   RolloutSnapshot rollout, Instant requestedAt, Duration timeout) {
        return new Approval(reference, taskToken, executionArn, rollout, requestedAt, requestedAt.plus(timeout),
                ApprovalStatus.PENDING, Optional.empty(), Optional.empty(), false);
    }

    public boolean isPending() {
        return status == ApprovalStatus.PENDING;
    }

    /** Decided, but Step Functions has not (yet) been told: the decision must be delivered before anything else. */
    public boolean awaitsDelivery() {
        return decision.isPresent() && !delivered;
    }

    /** Still open at {@code now}: pending and not yet timed out. */
    public boolean isOpenAt(Instant now) {
        return status == ApprovalStatus.PENDING && now.isBefore(expiresAt);
    }

    /** Expired as of {@code now}: recorded as expired, or pending past its time. */
    public boolean isExpiredAt(Instant now) {
        return status == ApprovalStatus.EXPIRED || status == ApprovalStatus.PENDING && !now.isBefore(expiresAt);
    }

    /** When the request stopped being answerable: when it was closed early, else when its time ran out. */
    public Instant expiredAt() {
        return closedAt.filter(closed -> closed.isBefore(expiresAt)).orElse(expiresAt);
    }

    /** When the table's TTL may remove the record. */
    public Instant purgeAt() {
        return expiresAt.plus(KEPT_AFTER_EXPIRY);
    }

    public Approval decide(Decision decision) {
        requirePending("decide");
        if (!isOpenAt(decision.at())) {
            throw new IllegalStateException("approval " + reference.abbreviated() + " expired at " + expiresAt
                    + ", before the decision at " + decision.at());
        }
        return new Approval(reference, taskToken, executionArn, rollout, requestedAt, expiresAt, decision.status(),
                Optional.of(decision), Optional.of(decision.at()), false);
    }

    /** Step Functions has received the decision. */
    public Approval deliver() {
        if (decision.isEmpty()) {
            throw new IllegalStateException("approval " + reference.abbreviated() + " is " + status
                    + "; only a decided one can be delivered");
        }
        return new Approval(reference, taskToken, executionArn, rollout, requestedAt, expiresAt, status, decision,
                closedAt, true);
    }

    /**
     * Marks the request expired at {@code at}. A decision that Step Functions refused because it had stopped
     * waiting is dropped: nothing was decided.
     */
    public Approval expire(Instant at) {
        if (status == ApprovalStatus.EXPIRED) {
            throw new IllegalStateException("approval " + reference.abbreviated() + " has already expired");
        }
        return new Approval(reference, taskToken, executionArn, rollout, requestedAt, expiresAt,
                ApprovalStatus.EXPIRED, Optional.empty(), Optional.of(at), false);
    }

    private void requirePending(String action) {
        if (status != ApprovalStatus.PENDING) {
            throw new IllegalStateException("cannot " + action + " approval " + reference.abbreviated()
                    + ": it is " + status);
        }
    }
}
