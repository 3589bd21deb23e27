package dev.rollout.domain;

import java.util.Optional;
import java.util.Set;

/**
 * What to do about an alias when a rollout's execution has ended: the rule the Restore function follows for every
 * ending that the state machine's own Catch did not handle (a stop, a time-out, a failure nothing caught, a rollback
 * that failed). Pure, so the table of cases is tested on its own.
 */
public final class Restoration {
    /** The Fail states that end an execution after the state machine has made the alias whole and told people. */
    public static final Set<String> HANDLED_ENDINGS = Set.of("RolledBack", "Refused");

    private Restoration() {
    }

    /** What Restore does. */
    public enum Action {
        /** The state machine itself ended the rollout cleanly and told people: nothing to add. */
        ALREADY_HANDLED,
        /** Another rollout claimed the alias after this one ended: it is theirs now, and left as it is. */
        HELD_BY_ANOTHER,
        /** The execution ended before Prepare recorded a starting version: no traffic moved, people are told. */
        NOTHING_MOVED,
        /** Every request already goes to the starting version: people are told how the rollout ended. */
        ALREADY_WHOLE,
        /** Part or all of the traffic is on the new version: put it back on the starting version. */
        RESTORE,
        /** Someone else routed the alias: leave it as they set it, and say so. */
        LEAVE_FOREIGN
    }

    /**
     * Whether the execution ended in a Fail state entered only after the alias was made whole and people were told:
     * then nothing about the alias or its lease changes what Restore does, so Restore need not read them.
     */
    public static boolean handledByTheStateMachine(Optional<String> endState) {
        return endState.filter(HANDLED_ENDINGS::contains).isPresent();
    }

    /**
     * @param endState the Fail state the execution entered last, if any (e.g. {@code RolledBack})
     * @param prepared whether Prepare recorded the rollout (its starting version)
     * @param position where the alias stands in that rollout; empty when not prepared
     * @param heldByAnother whether another, running rollout holds the alias' lease now
     */
    public static Action decide(Optional<String> endState, boolean prepared, Optional<Routing.Position> position,
                                boolean heldByAnother) {
        if (handledByTheStateMachine(endState)) {
            return Action.ALREADY_HANDLED;
        }
        if (heldByAnother) {
            return Action.HELD_BY_ANOTHER;
        }
        if (!prepared || position.isEmpty()) {
            return Action.NOTHING_MOVED;
        }
        return switch (position.get()) {
            case AT_START -> Action.ALREADY_WHOLE;
            case SHIFTING, AT_TARGET -> Action.RESTORE;
            case FOREIGN -> Action.LEAVE_FOREIGN;
        };
    }
}
