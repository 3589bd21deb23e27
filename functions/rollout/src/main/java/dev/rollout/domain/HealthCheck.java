package dev.rollout.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a health window from alarm states and their history.
 *
 * <p>An alarm counts if it was in ALARM at <em>any</em> moment of the window, not only now: an
 * alarm that fires and clears between two checks must still stop the rollout.
 */
public final class HealthCheck {
    private HealthCheck() {
    }

    /**
     * @param statuses    the watched alarms' current states (every watched alarm must be present)
     * @param transitions the watched alarms' state changes from {@code windowStart} to {@code windowEnd}
     */
    public static Verdict judge(List<AlarmStatus> statuses, List<AlarmTransition> transitions, Instant windowStart,
                                Instant windowEnd) {
        List<String> findings = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (AlarmStatus status : statuses) {
            checked.add(status.name());
            if (status.isAlarming()) {
                // Entered ALARM before the window and never left it counts too.
                Instant from = status.since().isBefore(windowStart) ? windowStart : status.since();
                findings.add("alarm " + status.name() + " is in ALARM since " + from + ": " + status.reason());
                continue;
            }
            transitions.stream()
                    .filter(change -> change.alarm().equals(status.name()) && change.entersAlarm())
                    .filter(change -> !change.at().isBefore(windowStart) && !change.at().isAfter(windowEnd))
                    .findFirst()
                    .ifPresent(change -> findings.add("alarm " + status.name() + " was in ALARM at " + change.at()
                            + " (now " + status.state() + "): " + change.reason()));
        }
        return new Verdict(findings.isEmpty(), windowStart, windowEnd, checked, findings);
    }
}
