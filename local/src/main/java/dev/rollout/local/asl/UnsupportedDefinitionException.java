package dev.rollout.local.asl;

/**
 * A definition using an Amazon States Language feature outside the subset the local runtime executes.
 * Refused when the definition loads, so nothing runs differently from AWS unnoticed.
 */
public class UnsupportedDefinitionException extends InvalidDefinitionException {

    public UnsupportedDefinitionException(String message) {
        super(message);
    }
}
