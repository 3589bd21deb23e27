package Rollout;

/** A health window saw fewer invocations of the new version than the rollout requires (minInvocations). */
public final class InsufficientEvidence extends Failure {
    public InsufficientEvidence(String message) {
        super(message);
    }
}
