package Rollout;

/** The alias is not in the state this rollout expects: another rollout or a person changed it. */
public final class Conflict extends Failure {
    public Conflict(String message) {
        super(message);
    }
}
