package Rollout;

/** A rollout failure whose class name is the error name Step Functions sees. */
public abstract class Failure extends RuntimeException {
    protected Failure(String message) {
        super(message);
    }

    protected Failure(String message, Throwable cause) {
        super(message, cause);
    }

    /** The error name as Step Functions reports it, e.g. {@code Rollout.Conflict}. */
    public String errorName() {
        return getClass().getName();
    }
}
