package dev.rollout.local;

import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.asl.HistoryEvent;

/** How a simulated rollout ended, and the exit code the simulate command gives it. */
public enum Outcome {
    /** All traffic on the new version. */
    PROMOTED(0),
    /** All traffic back on the starting version. */
    ROLLED_BACK(3),
    /** Someone else changed the alias mid-rollout; it was left as they set it. */
    STOPPED(3),
    /** Refused before any traffic moved, for a reason other than the input (conflict, alarm firing). */
    REFUSED(3),
    /** Refused before any traffic moved because the rollout input was invalid. */
    INVALID_INPUT(2),
    /** Rollback failed: the alias may still be split. */
    ROLLBACK_FAILED(3),
    /** A published version started no rollout (the rule or StartRollout passed it over). */
    NOT_STARTED(3),
    /** Stopped (StopExecution) before it ended; the rule on status changes then made the alias whole. */
    ABORTED(3),
    /** The execution ran past its TimeoutSeconds; the rule on status changes then made the alias whole. */
    TIMED_OUT(3),
    /** The alias is left split by the rollout, or the rollout never ended: a person must look at it. */
    STUCK(4);

    /** Exit code for a scenario file or command line that cannot be used. */
    public static final int USAGE_ERROR = 2;

    private final int exitCode;

    Outcome(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /**
     * How an execution ended: stopped, timed out, still running (stuck), or, for a failed one, told by the state
     * machine's end states: {@code Refused} (for invalid input or
     * another reason) and {@code RolledBack} (rolled back, or stopped when Rollback found someone else's change);
     * a failure anywhere else means rollback failed.
     */
    public static Outcome of(ExecutionHandle execution) {
        switch (execution.status()) {
            case SUCCEEDED -> {
                return PROMOTED;
            }
            case ABORTED -> {
                return ABORTED;
            }
            case TIMED_OUT -> {
                return TIMED_OUT;
            }
            case RUNNING -> {
                return STUCK;
            }
            default -> {
            }
        }
        String endState = "";
        String rollbackPhase = "";
        for (HistoryEvent event : execution.history()) {
            switch (event.type()) {
                case FAIL_STATE_ENTERED -> endState = event.details(EventDetails.StateEntered.class).name();
                case TASK_STATE_EXITED -> {
                    EventDetails.StateExited exited = event.details(EventDetails.StateExited.class);
                    if (exited.name().equals("Rollback")) {
                        rollbackPhase = StateOutput.of(exited).path("phase").asText();
                    }
                }
                default -> {
                }
            }
        }
        return switch (endState) {
            case "Refused" -> "Rollout.InvalidInput".equals(execution.error().orElse("")) ? INVALID_INPUT : REFUSED;
            case "RolledBack" -> "STOPPED".equals(rollbackPhase) ? STOPPED : ROLLED_BACK;
            default -> ROLLBACK_FAILED;
        };
    }
}
