package Rollout;

/**
 * A Route 53 change is not yet on every Route 53 name server ({@code GetChange} reports {@code PENDING}); the state
 * machine asks again a little later, for a few minutes, before it gives up and rolls back.
 */
public final class ChangePending extends Failure {
    public ChangePending(String message) {
        super(message);
    }
}
