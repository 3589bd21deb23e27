package Rollout;

/** AWS failed on its side or could not be reached; the state machine retries these a few times with backoff. */
public final class Transient extends Failure {
    public Transient(String message, Throwable cause) {
        super(message, cause);
    }
}
