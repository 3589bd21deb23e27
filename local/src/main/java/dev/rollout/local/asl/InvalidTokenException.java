package dev.rollout.local.asl;

/** SendTaskSuccess or SendTaskFailure with a token this executor never issued. */
public class InvalidTokenException extends IllegalArgumentException {

    public InvalidTokenException(String message) {
        super(message);
    }
}
