package dev.rollout.local.asl;

/** A state machine definition that is not valid Amazon States Language; the message names the state and field. */
public class InvalidDefinitionException extends IllegalArgumentException {

    public InvalidDefinitionException(String message) {
        super(message);
    }
}
