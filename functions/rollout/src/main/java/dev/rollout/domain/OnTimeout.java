package dev.rollout.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/** What an approval that nobody answers in time does to the rollout. */
public enum OnTimeout {
    /** Put all traffic back on the starting version (the safe default). */
    ROLLBACK,
    /** Carry on as if approved, for teams that use approval as a veto window. */
    PROMOTE;

    /** The name in rollout input, plans and stored approvals ("rollback", "promote"): the state machine compares it. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The value whose {@link #wireName()} is {@code text}, if any. */
    public static Optional<OnTimeout> fromWireName(String text) {
        for (OnTimeout value : values()) {
            if (value.wireName().equals(text)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static OnTimeout read(String text) {
        return fromWireName(text).orElseThrow(() -> new IllegalArgumentException(
                "onTimeout must be \"rollback\" or \"promote\", got \"" + text + "\""));
    }
}
