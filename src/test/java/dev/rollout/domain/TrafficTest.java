package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules every kind of target shares, on a target that keeps its routing in memory. */
class TrafficTest {
    private final PreparedRollout rollout = new PreparedRollout(new Target.LambdaAlias("orders", "live"), "1", "2",
            "Steps", List.of(), List.of(), "", "2026-01-05T09:00:00Z");
    private final Remembered target = new Remembered(Routing.whole("1", "r0", "version"));

    @Test
    void aShiftOnTheRevisionLastSeenMovesTheWeight() {
        Routing routing = Traffic.shift(target, rollout, Weight.percent(10), "r0", true);
        assertEquals("version 1 90%, version 2 10%", routing.describe());
    }

    @Test
    void aRetriedShiftThatFindsItsOwnChangeSucceeds() {
        Traffic.shift(target, rollout, Weight.percent(10), "r0", true);
        Routing again = Traffic.shift(target, rollout, Weight.percent(10), "r0", true);
        assertEquals("version 1 90%, version 2 10%", again.describe());
    }

    @Test
    void aShiftAfterSomeoneElsesChangeIsAConflictAndLeavesTheirChange() {
        target.routing = Routing.split("1", "3", Weight.percent(50), "theirs", "version");
        Rollout.Conflict conflict = assertThrows(Rollout.Conflict.class,
                () -> Traffic.shift(target, rollout, Weight.percent(10), "r0", true));
        assertTrue(conflict.getMessage().startsWith("alias orders:live was changed outside this rollout"),
                conflict.getMessage());
        assertEquals("version 1 50%, version 3 50%", target.routing.describe());
    }

    @Test
    void aRetriedPromotionThatFindsTheTargetPromotedSucceeds() {
        Traffic.promote(target, rollout, "r0", true);
        assertEquals("version 2 100%", Traffic.promote(target, rollout, "r0", true).describe());
    }

    @Test
    void aPromotionAfterSomeoneElsesChangeIsAConflict() {
        target.routing = Routing.whole("3", "theirs", "version");
        assertThrows(Rollout.Conflict.class, () -> Traffic.promote(target, rollout, "r0", true));
        assertEquals("version 3 100%", target.routing.describe());
    }

    @Test
    void aShiftWritesWithoutReadingFirst() {
        Traffic.shift(target, rollout, Weight.percent(10), "r0", false);
        assertEquals(0, target.reads);
    }

    @Test
    void aFirstAttemptThatFindsItsWeightAlreadySetIsAConflict() {
        target.routing = Routing.split("1", "2", Weight.percent(10), "theirs", "version");
        assertThrows(Rollout.Conflict.class, () -> Traffic.shift(target, rollout, Weight.percent(10), "r0", false));
        assertEquals(0, target.writes);
    }

    @Test
    void aPromotionByHandFoundByAFirstAttemptIsAConflict() {
        target.routing = Routing.whole("2", "theirs", "version");
        assertThrows(Rollout.Conflict.class, () -> Traffic.promote(target, rollout, "r0", false));
    }

    @Test
    void aTargetReadAfterAFailedCheckAsTheRolloutLastSetItIsReturned() {
        assertEquals("version 1 100%", Traffic.readUnchangedOr(target, rollout, "r0", routing -> false).describe());
    }

    @Test
    void aTargetReadAfterAFailedCheckThatSomeoneElseChangedIsAConflict() {
        target.routing = Routing.split("1", "2", Weight.percent(50), "theirs", "version");
        assertThrows(Rollout.Conflict.class, () -> Traffic.readUnchangedOr(target, rollout, "r0", routing -> false));
    }

    @Test
    void aTargetReadAfterAFailedCheckThatHoldsTheStepsOwnEarlierWriteIsNoConflict() {
        target.routing = Routing.split("1", "2", Weight.percent(10), "mine", "version");
        assertEquals("version 1 90%, version 2 10%", Traffic.readUnchangedOr(target, rollout, "r0",
                Traffic.shifted(rollout, Weight.percent(10))).describe());
    }

    @Test
    void restoringASplitPutsEverythingBackOnTheStartingSide() {
        Traffic.shift(target, rollout, Weight.percent(30), "r0", false);
        Traffic.Restoration restoration = Traffic.restore(target, rollout, false);
        assertEquals(Traffic.Restoration.Outcome.RESTORED, restoration.outcome());
        assertEquals("version 1 100%", target.routing.describe());
    }

    @Test
    void restoringFromTheRevisionTheRolloutLastSetWritesWithoutReadingFirst() {
        Routing shifted = Traffic.shift(target, rollout, Weight.percent(30), "r0", false);
        int reads = target.reads;
        Traffic.Restoration restoration = Traffic.restoreFrom(target, rollout, shifted.revision());
        assertEquals(Traffic.Restoration.Outcome.RESTORED, restoration.outcome());
        assertEquals("version 1 100%", target.routing.describe());
        assertEquals(reads, target.reads);
    }

    @Test
    void restoringFromARevisionSomeoneElseReplacedDecidesFromAFreshRead() {
        Traffic.shift(target, rollout, Weight.percent(30), "r0", false);
        target.routing = Routing.split("1", "3", Weight.percent(50), "theirs", "version");
        assertEquals(Traffic.Restoration.Outcome.LEFT_AS_FOUND, Traffic.restoreFrom(target, rollout, "r1").outcome());
        assertEquals("version 1 50%, version 3 50%", target.routing.describe());
    }

    @Test
    void restoringATargetAlreadyAtTheStartChangesNothing() {
        assertEquals(Traffic.Restoration.Outcome.ALREADY_RESTORED, Traffic.restore(target, rollout, false).outcome());
        assertEquals(0, target.writes);
    }

    @Test
    void restoringATargetSomeoneElseRoutedLeavesItAsFound() {
        target.routing = Routing.split("1", "3", Weight.percent(50), "theirs", "version");
        assertEquals(Traffic.Restoration.Outcome.LEFT_AS_FOUND, Traffic.restore(target, rollout, false).outcome());
        assertEquals(0, target.writes);
    }

    @Test
    void restoringAfterSomeoneElseChangedTheShareLeavesTheirShare() {
        target.routing = Routing.split("1", "2", Weight.percent(50), "theirs", "version");
        assertEquals(Traffic.Restoration.Outcome.LEFT_AS_FOUND, Traffic.restore(target, rollout, true).outcome());
        assertEquals(0, target.writes);
    }

    @Test
    void restoringAfterSomeoneElsesChangeThatAlreadyPutEverythingBackChangesNothing() {
        assertEquals(Traffic.Restoration.Outcome.ALREADY_RESTORED, Traffic.restore(target, rollout, true).outcome());
    }

    @Test
    void aRestoreRacedByAnotherChangeIsTransientSoTheStateMachineRetriesFromAFreshRead() {
        target.routing = Routing.split("1", "2", Weight.percent(30), "r1", "version");
        target.raceNextWrite = true;
        assertThrows(Rollout.Transient.class, () -> Traffic.restore(target, rollout, false));
    }

    /** A target whose writes compare the revision, as every adapter does. */
    private static final class Remembered implements TrafficTarget {
        Routing routing;
        int writes;
        int reads;
        boolean raceNextWrite;
        private int revisions;

        Remembered(Routing routing) {
            this.routing = routing;
        }

        @Override
        public Routing read() {
            reads++;
            return routing;
        }

        @Override
        public Routing shift(Weight weight, String lastSeen) {
            return write(lastSeen, Routing.split("1", "2", weight, next(), "version"));
        }

        @Override
        public Routing promote(String lastSeen) {
            return write(lastSeen, Routing.whole("2", next(), "version"));
        }

        @Override
        public Routing restore(String lastSeen) {
            return write(lastSeen, Routing.whole("1", next(), "version"));
        }

        private String next() {
            return "r" + (++revisions);
        }

        private Routing write(String lastSeen, Routing next) {
            if (raceNextWrite || !routing.revision().equals(lastSeen)) {
                raceNextWrite = false;
                throw new ForeignChange("revision " + lastSeen + " is stale");
            }
            writes++;
            routing = next;
            return next;
        }
    }
}
