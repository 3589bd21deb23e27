package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.local.asl.FunctionHungException;
import dev.rollout.local.asl.TaskFailedException;

/**
 * Wraps every invocation a Task state makes, of a task function or a hook: where what happens to the invocation
 * itself (Lambda throttles it, the function crashes or runs out of time) is injected.
 */
@FunctionalInterface
public interface TaskInvocations {
    /** Nothing injected: every invocation runs. */
    TaskInvocations NONE = (function, invocation) -> invocation.run();

    /**
     * @param function   the template's logical ID of a task function (e.g. {@code RollbackFunction}), or a hook's name
     * @param invocation runs the function and answers as it does
     */
    JsonNode invoke(String function, Invocation invocation) throws TaskFailedException, FunctionHungException;

    /** One invocation of the function, as Lambda runs it. */
    @FunctionalInterface
    interface Invocation {
        JsonNode run() throws TaskFailedException, FunctionHungException;
    }
}
