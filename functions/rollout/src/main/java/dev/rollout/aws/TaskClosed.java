package dev.rollout.aws;

/**
 * Step Functions no longer waits for the task token: the task timed out, was answered already, or its execution
 * ended. Answering it again cannot change anything.
 */
public final class TaskClosed extends RuntimeException {
    public TaskClosed(String message) {
        super(message);
    }
}
