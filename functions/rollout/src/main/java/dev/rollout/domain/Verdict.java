package dev.rollout.domain;

import java.time.Instant;
import java.util.List;

/**
 * The judgement on a health window: healthy, or which alarm fired and when.
 *
 * @param findings one line per alarm that was in ALARM during the window; empty when healthy
 */
public record Verdict(boolean healthy, Instant windowStart, Instant windowEnd, List<String> alarmsChecked,
                      List<String> findings) {
    public Verdict {
        alarmsChecked = List.copyOf(alarmsChecked);
        findings = List.copyOf(findings);
    }

    public String summary() {
        if (healthy) {
            return alarmsChecked.isEmpty()
                    ? "healthy: no alarms configured"
                    : "healthy: " + String.join(", ", alarmsChecked) + " stayed out of ALARM from " + windowStart
                            + " to " + windowEnd;
        }
        return "unhealthy: " + String.join("; ", findings);
    }
}
