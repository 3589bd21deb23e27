package dev.rollout.local.asl;

/**
 * SendTaskSuccess or SendTaskFailure with a token whose task no longer waits: it was already answered, timed
 * out, was retried with a new token, or its execution ended.
 */
public class TaskDoesNotExistException extends IllegalStateException {

    public TaskDoesNotExistException(String message) {
        super(message);
    }
}
