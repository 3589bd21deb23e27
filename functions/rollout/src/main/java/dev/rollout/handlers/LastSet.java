package dev.rollout.handlers;

import java.util.function.Predicate;
import java.util.function.Supplier;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Traffic;
import dev.rollout.domain.TrafficTarget;

/**
 * The target as this rollout last set it, read only when something needs it, and then once. A move of traffic does
 * not read the target before it writes: the write's condition on the revision the rollout last saw proves nobody else
 * changed it, and each read saved is one request less on Lambda's control-plane quota (15 a second per account,
 * shared by every rollout of a fleet).
 */
final class LastSet {
    private final TrafficTarget target;
    private final PreparedRollout rollout;
    private final String revision;
    private final Predicate<Routing> ownWrite;
    private Routing read;

    /**
     * @param ownWrite what this step's own write leaves, when an earlier attempt of it may have written: that is no
     *                 one else's change
     */
    LastSet(TrafficTarget target, PreparedRollout rollout, String revision, Predicate<Routing> ownWrite) {
        this.target = target;
        this.rollout = rollout;
        this.revision = revision;
        this.ownWrite = ownWrite;
    }

    /** @throws Rollout.Conflict when someone else changed the target since this rollout last set it */
    Routing get() {
        if (read == null) {
            read = Traffic.readUnchangedOr(target, rollout, revision, ownWrite);
        }
        return read;
    }

    /**
     * Runs a check that comes before the write. A failure that would roll back reads the target first: someone else's
     * change stops the rollout ({@code Rollout.Conflict}) whatever the check found, so that a rollback never overwrites
     * it, as when the target was read before the check. Throttling and outages are retried instead, unread.
     */
    <T> T judge(Supplier<T> check) {
        try {
            return check.get();
        } catch (Rollout.Throttled | Rollout.Transient | Rollout.Conflict retriedOrDecided) {
            throw retriedOrDecided;
        } catch (Rollout.Failure failed) {
            get();
            throw failed;
        }
    }
}
