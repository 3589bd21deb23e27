package dev.rollout.local.aws;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whatever holds the tasks that wait for a task token, and resumes them: a {@link TaskTokenLedger} in handler
 * tests, the local runtime's state machine executor in a simulation. {@link InMemoryStepFunctions} checks a
 * SendTaskSuccess or SendTaskFailure request as Step Functions does, then passes the answer here.
 *
 * <p>An implementation that cannot take the answer throws what Step Functions would: the factories of
 * {@link StepFunctionsErrors} ({@code invalidToken()}, {@code taskTimedOut()}, {@code taskDoesNotExist()}).
 * Called from the thread that answered (for the approval page, an HTTP request thread).
 */
public interface CallbackTasks {

    /** The task waiting for {@code taskToken} succeeds with {@code output} as its result. */
    void succeed(String taskToken, JsonNode output);

    /** The task waiting for {@code taskToken} fails with {@code error} and {@code cause}, either of which may be null. */
    void fail(String taskToken, String error, String cause);
}
