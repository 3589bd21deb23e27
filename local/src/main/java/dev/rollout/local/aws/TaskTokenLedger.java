package dev.rollout.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Task tokens without a state machine, for handler tests: {@link #issue} plays Step Functions entering a
 * {@code .waitForTaskToken} task, {@link #timeOut} its TimeoutSeconds running out. Each token is answered at most
 * once; answering a closed one fails with TaskTimedOut and an unknown one with InvalidToken, as in Step Functions.
 */
public final class TaskTokenLedger implements CallbackTasks {

    /** Real tokens are several hundred characters of opaque base64; so are these. */
    private static final int TOKEN_BYTES = 384;

    private enum State { WAITING, SUCCEEDED, FAILED, TIMED_OUT }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, State> tokens = new HashMap<>();

    /** A fresh token for a task that now waits. */
    public synchronized String issue() {
        byte[] bytes = new byte[TOKEN_BYTES];
        random.nextBytes(bytes);
        String token = Base64.getEncoder().encodeToString(bytes);
        tokens.put(token, State.WAITING);
        return token;
    }

    /** The task's TimeoutSeconds ran out: it fails with States.Timeout and stops waiting. */
    public synchronized void timeOut(String token) {
        if (tokens.get(token) != State.WAITING) {
            throw new IllegalStateException("only a waiting task can time out; this one is " + tokens.get(token));
        }
        tokens.put(token, State.TIMED_OUT);
    }

    /** True while the token's task waits for an answer. */
    public synchronized boolean isWaiting(String token) {
        return tokens.get(token) == State.WAITING;
    }

    @Override
    public synchronized void succeed(String taskToken, JsonNode output) {
        close(taskToken, State.SUCCEEDED);
    }

    @Override
    public synchronized void fail(String taskToken, String error, String cause) {
        close(taskToken, State.FAILED);
    }

    private void close(String token, State end) {
        State state = tokens.get(token);
        if (state == null) {
            throw StepFunctionsErrors.invalidToken();
        }
        if (state != State.WAITING) {
            throw StepFunctionsErrors.taskTimedOut();
        }
        tokens.put(token, end);
    }
}
