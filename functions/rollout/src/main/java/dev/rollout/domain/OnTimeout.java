package dev.rollout.domain;

/** What an approval that nobody answers in time does to the rollout. */
public enum OnTimeout {
    /** Put all traffic back on the starting version (the safe default). */
    ROLLBACK,
    /** Carry on as if approved, for teams that use approval as a veto window. */
    PROMOTE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
