package dev.rollout.handlers;

import Rollout.Failure;
import java.time.Duration;
import java.time.Instant;
import dev.rollout.aws.ApprovalClosed;
import dev.rollout.aws.ExecutionRecords;
import dev.rollout.aws.ExecutionStates;
import dev.rollout.aws.PendingApprovals;
import dev.rollout.aws.TaskCallbacks;
import dev.rollout.aws.TaskClosed;
import dev.rollout.domain.Approval;
import dev.rollout.domain.Decision;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Passes a recorded decision on to the task that waits for it, then records that it arrived. The approval page
 * does this right after recording a decision and whenever it shows one still undelivered; the sweeper does it for
 * every undelivered decision, so none depends on a person coming back. Delivering twice is harmless: Step Functions
 * answers the second with "task closed" once the first arrived.
 */
final class DecisionDelivery {
    /** What became of a delivery. */
    sealed interface Outcome {
        Approval approval();
    }

    /** Step Functions has the decision. */
    record Delivered(Approval approval) implements Outcome {
    }

    /** Step Functions no longer waits (timed out, answered, or the execution ended): the record is now EXPIRED. */
    record TaskGone(Approval approval) implements Outcome {
    }

    /** Step Functions could not be told now; the decision stays recorded as undelivered and is tried again. */
    record Undelivered(Approval approval, Failure failure) implements Outcome {
    }

    /**
     * How long after a decision was recorded the request that recorded it may still be delivering it (the approval
     * page's timeout). Meanwhile others leave it to that request, so two deliveries do not race, where the loser
     * would see "task closed" and could not tell a delivered decision from a timed-out task.
     */
    static final Duration IN_FLIGHT = Duration.ofSeconds(30);

    private final PendingApprovals approvals;
    private final TaskCallbacks tasks;
    private final ExecutionRecords executions;
    private final ExecutionStates states;

    DecisionDelivery(PendingApprovals approvals, SfnClient sfn) {
        this.approvals = approvals;
        this.tasks = new TaskCallbacks(sfn);
        this.executions = new ExecutionRecords(sfn);
        this.states = new ExecutionStates(sfn);
    }

    /** Whether the request that recorded {@code decided} may still be delivering it at {@code now}. */
    static boolean inFlight(Approval decided, Instant now) {
        return decided.awaitsDelivery() && decided.closedAt().orElseThrow().plus(IN_FLIGHT).isAfter(now);
    }

    Outcome deliver(Approval decided, Instant now, RolloutLog log) {
        Decision decision = decided.decision().orElseThrow(
                () -> new IllegalArgumentException("approval " + decided.reference().abbreviated() + " is "
                        + decided.status() + "; only a decision can be delivered"));
        String what = "approval " + decided.reference().abbreviated() + " of " + decided.rollout().title();
        try {
            if (decision.approved()) {
                tasks.succeed(decided.taskToken(), decision.taskOutput());
            } else {
                tasks.fail(decided.taskToken(), Decision.REJECTED_ERROR, decision.rejectionCause());
            }
        } catch (TaskClosed late) {
            // Closed can mean that this very decision arrived before and only its DELIVERED mark was lost: the
            // execution's history tells, and such a decision stays what it was instead of being shown as expired.
            try {
                if (executions.received(decided.executionArn(), decision)) {
                    log.with("outcome", decision.verb()).info(what + ": " + decision.describe()
                            + " had been delivered; recording that now");
                    return recordDelivered(decided, what, log);
                }
                if (!now.isBefore(decided.expiresAt()) && states.running(decided.executionArn())) {
                    // The approval state timed out with this decision undelivered; CloseApproval, which the time-out
                    // runs, applies it and records it delivered. Expiring it here would let onTimeout decide instead.
                    log.with("outcome", "undelivered").warn(what + ": " + late.getMessage() + "; the rollout's"
                            + " time-out step applies " + decision.describe());
                    return new Undelivered(decided, new Rollout.Transient(what + " timed out with "
                            + decision.describe() + " undelivered; the rollout's time-out step applies it", late));
                }
            } catch (Failure unread) {
                log.with("outcome", "undelivered").error(what + ": " + late.getMessage() + "; could not read whether"
                        + " the execution received " + decision.describe() + ", so it is left undelivered and looked"
                        + " at again: " + unread.getMessage());
                return new Undelivered(decided, unread);
            }
            try {
                Approval expired = approvals.expire(decided, now);
                log.with("outcome", "expired").warn(what + ": " + late.getMessage() + "; recorded as expired");
                return new TaskGone(expired);
            } catch (ApprovalClosed changed) {
                // Only an undelivered decision expires: one delivered meanwhile (by another request) stands.
                if (changed.current().filter(Approval::delivered).isPresent()) {
                    return new Delivered(changed.current().get());
                }
                return new TaskGone(changed.current().filter(current -> current.decision().isEmpty())
                        .orElseGet(() -> decided.expire(now)));
            } catch (RuntimeException notRecorded) {
                log.with("outcome", "expiry-unrecorded").warn(what + ": " + late.getMessage()
                        + "; could not record the expiry: " + notRecorded);
                return new TaskGone(decided.expire(now));
            }
        } catch (Failure undelivered) {
            log.with("outcome", "undelivered").error(what + ": " + decision.describe() + " is recorded but not"
                    + " delivered yet; it is delivered again by the page and the sweeper: " + undelivered.getMessage());
            return new Undelivered(decided, undelivered);
        }
        log.with("outcome", decision.verb()).info(what + ": " + decision.describe() + ", delivered");
        return recordDelivered(decided, what, log);
    }

    private Outcome recordDelivered(Approval decided, String what, RolloutLog log) {
        try {
            return new Delivered(approvals.delivered(decided));
        } catch (RuntimeException unrecorded) {
            // Step Functions has it. A later attempt finds the task closed, reads in the execution's history that
            // this decision arrived, and records it delivered then.
            log.with("outcome", "delivery-unrecorded").warn(what + ": delivered, but could not record that: "
                    + unrecorded);
            return new Delivered(decided.deliver());
        }
    }
}
