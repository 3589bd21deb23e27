package dev.rollout.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * One rollout's claim on an alias: while it holds, no other rollout moves that alias, whatever version it targets.
 * A claim is void once it is released, once its execution has ended, or, should both go unnoticed, once it expires
 * a day after the longest an execution may run (time for Restore to act after a time-out).
 *
 * @param target       the alias, as {@link #target(String, String)} names it
 * @param executionArn the rollout execution holding the claim
 */
public record AliasLease(String target, String executionArn, String fromVersion, String toVersion,
                         Instant claimedAt, Instant expiresAt, boolean released) {
    public static final Duration LIFETIME = Durations.EXECUTION_TIMEOUT.plusDays(1);

    /**
     * One name per alias however the rollout named its function ({@code orders} or its unqualified ARN), e.g.
     * {@code orders:live}.
     */
    public static String target(String function, String alias) {
        int marker = function.lastIndexOf(":function:");
        String name = marker < 0 ? function : function.substring(marker + ":function:".length());
        return name + ":" + alias;
    }

    /**
     * The lease key of a rollout's target: {@code orders:live} for a Lambda alias, as before targets had kinds;
     * {@link Target#key()} for other kinds.
     */
    public static String target(Target target) {
        return target instanceof Target.LambdaAlias alias ? target(alias.functionName(), alias.alias()) : target.key();
    }

    /** The claim {@code executionArn} makes for {@code rollout} at {@code now}. */
    public static AliasLease of(PreparedRollout rollout, String executionArn, Instant now) {
        return new AliasLease(target(rollout.target()), executionArn, rollout.fromVersion(),
                rollout.toVersion(), now, now.plus(LIFETIME), false);
    }

    public boolean heldBy(String execution) {
        return executionArn.equals(execution);
    }

    /**
     * Whether another rollout may take the alias over.
     *
     * @param holderRunning whether the holding execution still runs, as DescribeExecution says
     */
    public boolean vacant(Instant now, boolean holderRunning) {
        return released || !now.isBefore(expiresAt) || !holderRunning;
    }

    /** For example {@code rollout orders-live-2 (version 1 -> 2, since 2026-01-05T09:00:00Z)}. */
    public String describe() {
        return "rollout " + executionArn.substring(executionArn.lastIndexOf(':') + 1) + " (version " + fromVersion
                + " -> " + toVersion + ", since " + claimedAt + ")";
    }
}
