package dev.rollout.domain;

import java.time.Instant;
import java.util.List;

/**
 * The rollout as it stood when it asked for approval: what approvers judge, in the e-mail and on the page.
 *
 * @param target       what the rollout moves traffic on
 * @param weight       the new side's share of traffic while the rollout waits
 * @param comment      the rollout input's comment (a ticket, a change reason); may be empty
 * @param alarms       the watched alarms' states when approval was requested
 * @param startedAt    when the rollout was prepared: the first health window starts here
 * @param healthyUntil the end of the last health window that passed; equal to {@code startedAt} before any
 * @param onTimeout    what happens if nobody decides in time
 */
public record RolloutSnapshot(Target target, String fromVersion, String toVersion, String strategy,
                              Weight weight, String comment, List<AlarmStatus> alarms, Instant startedAt,
                              Instant healthyUntil, OnTimeout onTimeout) {
    public RolloutSnapshot {
        comment = comment == null ? "" : comment;
        alarms = List.copyOf(alarms);
    }

    /** For example {@code orders:live 1 -> 2}. */
    public String title() {
        return target.title() + " " + fromVersion + " -> " + toVersion;
    }

    /** What the health checks so far have shown, in one sentence. */
    public String health() {
        if (alarms.isEmpty()) {
            return "No alarms are watched, so health is not judged.";
        }
        if (!healthyUntil.isAfter(startedAt)) {
            return "Not checked since the rollout started at " + startedAt
                    + "; the alarms were out of ALARM then.";
        }
        return "Every watched alarm stayed out of ALARM from " + startedAt + " until " + healthyUntil + ".";
    }

    /** One alarm's state, e.g. {@code orders-errors: OK since 2026-11-22T10:00:00Z}. */
    public static String describe(AlarmStatus alarm) {
        return alarm.name() + ": " + alarm.state() + (alarm.since() == null ? "" : " since " + alarm.since());
    }

    /** What silence means, e.g. {@code the rollout rolls back}. */
    public String whenUnanswered() {
        return onTimeout == OnTimeout.PROMOTE ? "the rollout goes on as if approved" : "the rollout rolls back";
    }
}
