package dev.rollout.local;

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
}
