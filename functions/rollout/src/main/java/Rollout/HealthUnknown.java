package Rollout;

/** Health cannot be judged (a watched alarm no longer exists), so the rollout must not go on. */
public final class HealthUnknown extends Failure {
    public HealthUnknown(String message) {
        super(message);
    }
}
