package dev.rollout.local.asl;

/** An execution's status, as DescribeExecution reports it. */
public enum ExecutionStatus {
    RUNNING,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    /** Stopped by StopExecution: no Catch ran. */
    ABORTED
}
