package dev.rollout.domain;

import java.util.function.Predicate;

/**
 * The rules for moving a rollout's traffic, the same for every kind of target: a retried write that finds its own
 * earlier change is success; a change by anyone else stops the rollout and is never overwritten.
 */
public final class Traffic {
    private Traffic() {
    }

    private static Rollout.Conflict changedBySomeoneElse(PreparedRollout rollout, Routing current) {
        return new Rollout.Conflict(rollout.target().describe() + " was changed by someone else since this rollout"
                + " last set it: it now routes " + current.describe() + "; the rollout stops and leaves it as they"
                + " set it");
    }

    /**
     * Reads the target and requires it as this rollout last set it: someone else's change stops the rollout
     * ({@code Rollout.Conflict}, left as they set it), also after a window check that failed before this read, so that
     * a rollback never overwrites it. A retried attempt may find its own earlier write instead ({@code ownWrite}): that
     * is no one else's change.
     *
     * @throws Rollout.Conflict when someone else changed the target since {@code lastSeen}
     */
    public static Routing readUnchangedOr(TrafficTarget target, PreparedRollout rollout, String lastSeen,
                                          Predicate<Routing> ownWrite) {
        Routing current = target.read();
        if (!current.revision().equals(lastSeen) && !ownWrite.test(current)) {
            throw changedBySomeoneElse(rollout, current);
        }
        return current;
    }

    /**
     * Routes {@code weight} to the new side, without reading first: the write's condition on {@code lastSeen} is the
     * proof that nobody else changed the target. Only a refused write reads it, to tell its own earlier copy's shift
     * (a retried attempt's, or the same request's when the SDK sent it again) from someone else's change.
     *
     * @param retried whether an earlier attempt of this step may have written; a first attempt whose request was
     *                refused on its first send had written nothing, so a new revision is someone else's even at this
     *                weight
     * @throws Rollout.Conflict when someone else changed the target since {@code lastSeen}
     */
    public static Routing shift(TrafficTarget target, PreparedRollout rollout, Weight weight, String lastSeen,
                                boolean retried) {
        try {
            return target.shift(weight, lastSeen);
        } catch (ForeignChange changed) {
            Routing current = target.read();
            boolean mayBeOwn = retried || changed.resent();
            if (!mayBeOwn) {
                throw changedBySomeoneElse(rollout, current);
            }
            if (shifted(rollout, weight).test(current)) {
                return current;
            }
            throw new Rollout.Conflict(rollout.target().describe() + " was changed outside this rollout ("
                    + changed.getMessage() + "); it now routes " + current.describe() + " instead of "
                    + rollout.target().unit() + " " + rollout.toVersion() + " " + weight);
        }
    }

    /**
     * Puts everything on the new side, without reading first (see {@link #shift}).
     *
     * @param retried whether an earlier attempt of this step may have written; a promotion by hand found by a first
     *                attempt is someone else's change
     * @throws Rollout.Conflict when someone else changed the target since {@code lastSeen}
     */
    public static Routing promote(TrafficTarget target, PreparedRollout rollout, String lastSeen, boolean retried) {
        try {
            return target.promote(lastSeen);
        } catch (ForeignChange changed) {
            Routing current = target.read();
            if (!(retried || changed.resent()) || !promoted(rollout).test(current)) {
                throw changedBySomeoneElse(rollout, current);
            }
            return current;
        }
    }

    /** Whether a target routes as this rollout's shift to {@code weight} leaves it. */
    public static Predicate<Routing> shifted(PreparedRollout rollout, Weight weight) {
        return routing -> routing.positionIn(rollout.fromVersion(), rollout.toVersion()) == Routing.Position.SHIFTING
                && routing.weightOf(rollout.toVersion()).equals(weight);
    }

    /** Whether a target routes as this rollout's promotion leaves it. */
    public static Predicate<Routing> promoted(PreparedRollout rollout) {
        return routing -> routing.positionIn(rollout.fromVersion(), rollout.toVersion()) == Routing.Position.AT_TARGET;
    }

    /**
     * Puts everything back on the starting side, from a fresh read. Safe to repeat.
     *
     * @param changedByOthers the rollout stopped because someone else changed the target ({@code Rollout.Conflict}):
     *                        their change is left as they set it, even when it still splits between this rollout's
     *                        two sides (another share, a promotion by hand)
     * @throws Rollout.Transient when the target changed between the read and the write; a retry reads again
     */
    public static Restoration restore(TrafficTarget target, PreparedRollout rollout, boolean changedByOthers) {
        Routing current = target.read();
        Routing.Position position = current.positionIn(rollout.fromVersion(), rollout.toVersion());
        if (changedByOthers && position != Routing.Position.AT_START) {
            return new Restoration(current, Restoration.Outcome.LEFT_AS_FOUND);
        }
        return switch (position) {
            case AT_START -> new Restoration(current, Restoration.Outcome.ALREADY_RESTORED);
            case SHIFTING, AT_TARGET -> {
                try {
                    yield new Restoration(target.restore(current.revision()), Restoration.Outcome.RESTORED);
                } catch (ForeignChange moved) {
                    throw new Rollout.Transient(rollout.target().describe() + " changed while rolling back; retrying",
                            moved);
                }
            }
            // Someone else owns the target now; overwriting their change would be a second surprise.
            case FOREIGN -> new Restoration(current, Restoration.Outcome.LEFT_AS_FOUND);
        };
    }

    /**
     * Puts everything back on the starting side, writing first: for a rollout that has moved traffic and knows the
     * revision it last set ({@code lastSet}), the write's condition proves the target still routes as it left it, on
     * the new side, so nothing needs reading. A refused write restores as {@link #restore} does, from a fresh read.
     */
    public static Restoration restoreFrom(TrafficTarget target, PreparedRollout rollout, String lastSet) {
        try {
            return new Restoration(target.restore(lastSet), Restoration.Outcome.RESTORED);
        } catch (ForeignChange changed) {
            return restore(target, rollout, false);
        }
    }

    /** How a restore ended, and where the target stands after it. */
    public record Restoration(Routing routing, Outcome outcome) {
        public enum Outcome {
            /** Traffic was moved back to the starting side. */
            RESTORED,
            /** Traffic already was all on the starting side. */
            ALREADY_RESTORED,
            /** The target is routed in a way this rollout did not set up, and was left untouched. */
            LEFT_AS_FOUND
        }
    }
}
