package dev.rollout.domain;

/**
 * The target changed since this rollout last saw it: its revision no longer matches (Lambda), what it holds differs
 * from what the rollout last set (API Gateway), or the records a change batch deletes are no longer exactly there
 * (Route 53). The write did not happen.
 */
public final class ForeignChange extends RuntimeException {
    public ForeignChange(String message, Throwable cause) {
        super(message, cause);
    }

    public ForeignChange(String message) {
        super(message);
    }
}
