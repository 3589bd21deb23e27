package dev.rollout.local.asl;

/** StartExecution with the name of an execution that already exists. */
public class ExecutionAlreadyExistsException extends IllegalStateException {

    public ExecutionAlreadyExistsException(String message) {
        super(message);
    }
}
