package dev.rollout.domain;

/**
 * The rules for moving a rollout's traffic, the same for every kind of target: a retried write that finds its own
 * earlier change is success; a change by anyone else stops the rollout and is never overwritten.
 */
public final class Traffic {
    private Traffic() {
    }

    /**
     * Reads the target and requires it as this rollout last set it.
     *
     * @throws Rollout.Conflict when its revision is no longer {@code lastSeen}: someone else changed it, and the
     *                          rollout stops and leaves it as they set it
     */
    public static Routing readUnchanged(TrafficTarget target, PreparedRollout rollout, String lastSeen) {
        Routing current = target.read();
        if (!current.revision().equals(lastSeen)) {
            throw new Rollout.Conflict(rollout.target().describe() + " was changed by someone else since this rollout"
                    + " last set it: it now routes " + current.describe() + "; the rollout stops and leaves it as they"
                    + " set it");
        }
        return current;
    }

    /**
     * Routes {@code weight} to the new side.
     *
     * @throws Rollout.Conflict when someone else changed the target since {@code lastSeen}
     */
    public static Routing shift(TrafficTarget target, PreparedRollout rollout, Weight weight, String lastSeen) {
        try {
            return target.shift(weight, lastSeen);
        } catch (ForeignChange changed) {
            Routing current = target.read();
            if (current.positionIn(rollout.fromVersion(), rollout.toVersion()) == Routing.Position.SHIFTING
                    && current.weightOf(rollout.toVersion()).equals(weight)) {
                return current;
            }
            throw new Rollout.Conflict(rollout.target().describe() + " was changed outside this rollout ("
                    + changed.getMessage() + "); it now routes " + current.describe() + " instead of "
                    + rollout.target().unit() + " " + rollout.toVersion() + " " + weight);
        }
    }

    /**
     * Puts everything on the new side.
     *
     * @throws Rollout.Conflict when someone else changed the target since {@code lastSeen}
     */
    public static Routing promote(TrafficTarget target, PreparedRollout rollout, String lastSeen) {
        try {
            return target.promote(lastSeen);
        } catch (ForeignChange changed) {
            Routing current = target.read();
            if (current.positionIn(rollout.fromVersion(), rollout.toVersion()) != Routing.Position.AT_TARGET) {
                throw new Rollout.Conflict(rollout.target().describe() + " was changed outside this rollout; it now"
                        + " routes " + current.describe() + ", so " + rollout.target().unit() + " "
                        + rollout.toVersion() + " was not promoted");
            }
            return current;
        }
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
