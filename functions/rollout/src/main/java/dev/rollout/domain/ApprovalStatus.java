package dev.rollout.domain;

/** Where an approval request stands. Only a pending one can be decided; every other status is final. */
public enum ApprovalStatus {
    /** Waiting for a person; the rollout waits too. */
    PENDING,
    /** Approved; the rollout went on. */
    APPROVED,
    /** Rejected; the rollout rolled back. */
    REJECTED,
    /** Step Functions stopped waiting before anyone decided: the request timed out or its execution ended. */
    EXPIRED
}
