package dev.rollout.aws;

/** The alias changed since we last read it: its {@code RevisionId} no longer matches. */
public final class StaleRevision extends RuntimeException {
    public StaleRevision(String message, Throwable cause) {
        super(message, cause);
    }
}
