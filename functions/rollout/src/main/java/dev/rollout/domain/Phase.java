package dev.rollout.domain;

/** Where a rollout stands, as notifications and summaries report it. */
public enum Phase {
    /** Input checked and starting state recorded; traffic starts to move. */
    STARTED("started"),
    /** Paused at an approval gate until a person decides. */
    AWAITING_APPROVAL("awaiting approval"),
    /** All traffic is on the new version. */
    PROMOTED("promoted"),
    /** All traffic is back on the starting version. */
    ROLLED_BACK("rolled back"),
    /** Stopped without touching the alias, because someone else changed it during the rollout. */
    STOPPED("stopped"),
    /** Refused before any traffic moved (bad input, conflict, alarm already firing). */
    REFUSED("refused"),
    /** Rollback itself failed: the alias may still be split and needs a person. */
    ROLLBACK_FAILED("failed to roll back");

    private final String words;

    Phase(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }
}
