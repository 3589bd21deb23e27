package dev.rollout.local.asl;

/** A task's failure: the error name Retry and Catch match on, and its cause. */
public class TaskFailedException extends Exception {
    private final String error;
    private final String cause;

    /**
     * @param error the error name, as Lambda reports it (for a Java handler, the exception's class name)
     * @param cause the human-readable cause (for a Java handler, the exception's message); may be null
     */
    public TaskFailedException(String error, String cause) {
        super(cause == null ? error : error + ": " + cause);
        this.error = error;
        this.cause = cause;
    }

    /** The failure Lambda reports for an exception a Java handler throws. */
    public static TaskFailedException of(Throwable thrown) {
        return new TaskFailedException(thrown.getClass().getName(), thrown.getMessage());
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }
}
