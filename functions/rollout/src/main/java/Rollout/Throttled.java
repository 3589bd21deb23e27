package Rollout;

/**
 * AWS refused a call for the account's request rate (a quota shared with every other rollout and caller); the state
 * machine waits it out with long, jittered backoff, since throttling is back-pressure, not a sign of failure.
 */
public final class Throttled extends Failure {
    public Throttled(String message, Throwable cause) {
        super(message, cause);
    }
}
