package dev.rollout.domain;

/**
 * The target changed since this rollout last saw it: its revision no longer matches (Lambda), what it holds differs
 * from what the rollout last set (API Gateway), or the records a change batch deletes are no longer exactly there
 * (Route 53). The write did not happen.
 */
public final class ForeignChange extends RuntimeException {
    private final boolean resent;

    public ForeignChange(String message, Throwable cause) {
        this(message, cause, false);
    }

    public ForeignChange(String message) {
        super(message);
        this.resent = false;
    }

    /**
     * @param resent the refused request had been sent before (the SDK sends a request again when its response did not
     *               come): the change that refused it may be that earlier copy's own
     */
    public ForeignChange(String message, Throwable cause, boolean resent) {
        super(message, cause);
        this.resent = resent;
    }

    /** Whether the refused write had been sent before, so that the change found may be its own. */
    public boolean resent() {
        return resent;
    }
}
