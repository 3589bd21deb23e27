package dev.rollout.domain;

/**
 * What a rollout moves traffic on, bound to one rollout's two sides ({@code from} and {@code to}). One adapter per
 * kind of {@link Target} implements it in {@code dev.rollout.aws}; {@link Traffic} holds the rules every kind
 * shares, so plans, checks, approvals and notices never ask which kind they deal with.
 *
 * <p>Every write is conditional on {@code lastSeen}, the {@link Routing#revision()} the rollout last read or wrote: a
 * change by anyone else in between makes it throw {@link ForeignChange} instead of overwriting it. The service checks
 * the condition where it can (Lambda's {@code RevisionId}); where it cannot, the adapter compares what it reads just
 * before writing with what the rollout last saw (an API Gateway stage).
 */
public interface TrafficTarget {
    /**
     * Where traffic is now.
     *
     * @throws Rollout.Conflict when the target no longer exists
     */
    Routing read();

    /** The {@code to} side gets {@code weight}, the {@code from} side the rest. */
    Routing shift(Weight weight, String lastSeen);

    /** Everything on the {@code to} side, nothing left of the split. */
    Routing promote(String lastSeen);

    /** Everything back on the {@code from} side, as the rollout found it. */
    Routing restore(String lastSeen);
}
