package dev.rollout.handlers;

import Rollout.Failure;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import dev.rollout.aws.ExecutionStates;
import dev.rollout.aws.RolloutControls;
import dev.rollout.aws.TaskCallbacks;
import dev.rollout.domain.Control;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Decides a running rollout's control, abort or promote now: what the control page's form does, and what
 * {@code bin/control} does from a terminal. The decision is recorded once per rollout, with a conditional write, then
 * delivered to the wait the rollout is in; a rollout between waits acts on it as its next wait begins, and one Step
 * Functions could not take now is delivered by that wait or by the sweeper.
 */
public final class ControlDecisions {
    /** What became of a request to decide. */
    public enum Status {
        /** Recorded and delivered: the rollout acts on it now. */
        DELIVERED,
        /** Recorded while the rollout is between waits: its next wait acts on it as it begins. */
        AT_NEXT_WAIT,
        /** Recorded, but Step Functions could not be told yet: the next wait or the sweeper delivers it. */
        UNDELIVERED,
        /** Someone decided this rollout's control before; theirs stands. */
        ALREADY_DECIDED,
        /** The rollout has ended (or Step Functions no longer knows it); nothing was recorded. */
        ENDED,
        /** The name or reason cannot be recorded (missing, too long); nothing was recorded. */
        REFUSED
    }

    /**
     * @param decision  the rollout's decision: this request's, or the one decided before it
     * @param execution the execution's status as DescribeExecution says it, when it was asked
     * @param refusal   why the name or reason was refused
     * @param failure   why Step Functions could not be told
     */
    public record Result(Status status, Optional<Control> decision, boolean delivered, String execution,
                         String refusal, Optional<Failure> failure) {
        /** One line for a terminal or a log. */
        public String describe() {
            String decided = decision.map(Control::describe).orElse("");
            return switch (status) {
                case DELIVERED -> decided + ": delivered, the rollout acts on it now";
                case AT_NEXT_WAIT -> decided + ": recorded; the rollout is between waits and acts on it as its next"
                        + " wait begins";
                case UNDELIVERED -> decided + ": recorded, but Step Functions could not be told yet ("
                        + failure.map(Throwable::getMessage).orElse("") + "); the rollout's next wait and the"
                        + " sweeper deliver it";
                case ALREADY_DECIDED -> "already " + decided + (delivered ? "" : " (not delivered yet)")
                        + "; nothing new was recorded";
                case ENDED -> "the rollout has ended (" + execution + "); nothing was recorded";
                case REFUSED -> refusal + " Nothing was recorded.";
            };
        }
    }

    private final RolloutControls controls;
    private final ControlDelivery delivery;
    private final ExecutionStates executions;
    private final Clock clock;

    public ControlDecisions(DynamoDbClient dynamoDb, String controlTable, SfnClient sfn, Clock clock) {
        this.controls = new RolloutControls(dynamoDb, controlTable);
        this.delivery = new ControlDelivery(controls, new TaskCallbacks(sfn));
        this.executions = new ExecutionStates(sfn);
        this.clock = clock;
    }

    /** The rollout's controls as recorded now. */
    RolloutControls.State state(String executionArn) {
        return controls.read(executionArn);
    }

    /** The execution's status, as DescribeExecution says it; {@code GONE} when Step Functions no longer knows it. */
    String status(String executionArn) {
        return executions.status(executionArn).map(ExecutionStates.Status::status).orElse("GONE");
    }

    /** Records {@code kind} by {@code by} for {@code reason} on the rollout of {@code executionArn}, and delivers it. */
    public Result decide(String executionArn, Control.Kind kind, String by, String reason) {
        RolloutControls.State before = controls.read(executionArn);
        if (before.decision().isPresent()) {
            return new Result(Status.ALREADY_DECIDED, before.decision(), before.delivered(), "", "", Optional.empty());
        }
        String status = status(executionArn);
        if (!status.equals("RUNNING")) {
            return new Result(Status.ENDED, Optional.empty(), false, status, "", Optional.empty());
        }
        Optional<String> refusal = Control.refusal(by, reason);
        if (refusal.isPresent()) {
            return new Result(Status.REFUSED, Optional.empty(), false, status, refusal.get(), Optional.empty());
        }
        Instant now = clock.instant();
        Control control = new Control(kind, by, reason, now);
        RolloutControls.State recorded;
        try {
            recorded = controls.decide(executionArn, control, now.plus(dev.rollout.domain.ControlLink.KEPT));
        } catch (RolloutControls.AlreadyDecided first) {
            // Someone decided between our read and our write: their decision stands.
            return new Result(Status.ALREADY_DECIDED, first.current().decision(), first.current().delivered(), status,
                    "", Optional.empty());
        }
        ControlDelivery.Outcome outcome = delivery.deliver(recorded, now);
        if (outcome instanceof ControlDelivery.Delivered) {
            return new Result(Status.DELIVERED, Optional.of(control), true, status, "", Optional.empty());
        }
        if (outcome instanceof ControlDelivery.Undelivered undelivered) {
            return new Result(Status.UNDELIVERED, Optional.of(control), false, status, "",
                    Optional.of(undelivered.failure()));
        }
        return new Result(Status.AT_NEXT_WAIT, Optional.of(control), false, status, "", Optional.empty());
    }
}
