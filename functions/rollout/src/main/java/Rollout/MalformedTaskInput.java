package Rollout;

/**
 * A task function got input the state machine never sends: a field missing or of the wrong shape. Points at a
 * changed definition or a hand-made invocation, not at the rollout's own input (that is {@link InvalidInput}).
 */
public final class MalformedTaskInput extends Failure {
    public MalformedTaskInput(String message) {
        super(message);
    }

    public MalformedTaskInput(String message, Throwable cause) {
        super(message, cause);
    }
}
