package Rollout;

/** AWS throttled us or failed on its side; the state machine retries these with backoff. */
public final class Transient extends Failure {
    public Transient(String message, Throwable cause) {
        super(message, cause);
    }
}
