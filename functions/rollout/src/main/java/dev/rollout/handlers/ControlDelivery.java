package dev.rollout.handlers;

import Rollout.Failure;
import java.time.Instant;
import java.util.Optional;
import dev.rollout.aws.RolloutControls;
import dev.rollout.aws.TaskCallbacks;
import dev.rollout.aws.TaskClosed;
import dev.rollout.domain.Control;
import dev.rollout.domain.ControlLink;
import dev.rollout.domain.TaskToken;

/**
 * Passes a rollout's recorded control decision on to the wait it is in: an abort fails the wait's task with
 * {@code Rollout.Aborted}, a promote-now answers it with {@code {"control": "promote", ...}}, which the state machine
 * routes to promotion. The control page does this right after recording a decision, every wait does it as it begins
 * (for a decision recorded before), and the sweeper does it for every decision still undelivered. Answering a task
 * twice is harmless: Step Functions refuses the second answer.
 */
final class ControlDelivery {
    /** What became of a delivery. */
    sealed interface Outcome {
    }

    /** Step Functions has the decision; {@code recorded}: and the table says so. */
    record Delivered(boolean recorded) implements Outcome {
    }

    /** The rollout is in no wait now (a move of traffic, a hook): its next wait acts on the decision as it begins. */
    record NoWait() implements Outcome {
    }

    /** Step Functions could not be told now; the decision stays recorded as undelivered and is tried again. */
    record Undelivered(Failure failure) implements Outcome {
    }

    private final RolloutControls controls;
    private final TaskCallbacks tasks;

    ControlDelivery(RolloutControls controls, TaskCallbacks tasks) {
        this.controls = controls;
        this.tasks = tasks;
    }

    /** Delivers {@code state}'s decision to its wait in progress at {@code now}, if there is one. */
    Outcome deliver(RolloutControls.State state, Instant now) {
        Control control = state.decision().orElseThrow(() -> new IllegalArgumentException(
                "the rollout " + state.executionArn() + " holds no control decision to deliver"));
        return deliver(state.executionArn(), control, state.waitingAt(now));
    }

    /** Delivers {@code control} to the wait of {@code token}, if any. Callers log the outcome. */
    Outcome deliver(String executionArn, Control control, Optional<TaskToken> token) {
        if (token.isEmpty()) {
            return new NoWait();
        }
        try {
            if (control.kind() == Control.Kind.ABORT) {
                tasks.fail(token.get(), Control.ABORTED_ERROR, control.abortCause());
            } else {
                tasks.succeed(token.get(), control.taskOutput());
            }
        } catch (TaskClosed over) {
            // The wait ended meanwhile (its time passed, an alarm or an approval answered it): the next one acts.
            return new NoWait();
        } catch (Failure undelivered) {
            return new Undelivered(undelivered);
        }
        try {
            controls.delivered(executionArn, control);
        } catch (RuntimeException unrecorded) {
            // Step Functions has it. Left marked undelivered, it is offered to later waits and the sweeper, which
            // find the task closed or act as this decision already made the rollout act.
            return new Delivered(false);
        }
        return new Delivered(true);
    }

    /**
     * Acts on an abort recorded after the rollout's last wait began (while a post-traffic hook ran, or traffic
     * moved): the steps that end a rollout promoted without another wait (Promote, the final CheckHealth) ask first,
     * so that such an abort still rolls back instead of being outlived.
     *
     * @throws Rollout.Aborted when a person aborted the rollout and no wait has acted on it
     */
    static void requireNotAborted(RolloutControls controls, String executionArn) {
        RolloutControls.State state = controls.read(executionArn);
        Optional<Control> abort = state.decision().filter(control -> control.kind() == Control.Kind.ABORT);
        if (abort.isEmpty() || state.delivered()) {
            return;
        }
        try {
            controls.delivered(executionArn, abort.get());
        } catch (RuntimeException unrecorded) {
            // The failure this task ends with delivers it; the sweeper then finds the rollout ended, nothing to do.
        }
        throw new Rollout.Aborted(abort.get().abortCause());
    }

    /**
     * Records that the rollout now waits for {@code token} until {@code until}, then acts on a decision recorded
     * before: the wait answers itself with it, delivered before or not. An abort has ended the rollout's waits once
     * delivered, and a promote-now skips every wait that remains, so answering a later wait with it again is what
     * it already means.
     *
     * @return the decision the wait answered itself with, if any
     * @throws Failure when Step Functions could not be told (throttled, unreachable): the state retries the task
     */
    Optional<Control> beginWait(String executionArn, TaskToken token, Instant until, Instant now) {
        RolloutControls.State state = controls.waitFor(executionArn, token, until, now.plus(ControlLink.KEPT));
        if (state.decision().isEmpty()) {
            return Optional.empty();
        }
        Outcome outcome = deliver(executionArn, state.decision().get(), Optional.of(token));
        if (outcome instanceof Undelivered undelivered) {
            throw undelivered.failure();
        }
        return state.decision();
    }
}
