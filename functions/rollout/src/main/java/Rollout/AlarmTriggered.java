package Rollout;

/** A watched CloudWatch alarm was in ALARM during the health window. */
public final class AlarmTriggered extends Failure {
    public AlarmTriggered(String message) {
        super(message);
    }
}
