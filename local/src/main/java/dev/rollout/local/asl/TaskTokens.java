package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The task tokens of waiting callback tasks, and the answer each token is waiting for. Thread-safe. */
final class TaskTokens {

    /** A callback task waiting for its token to be answered. */
    interface Waiter {
        void succeed(JsonNode output);

        void fail(String error, String cause);
    }

    private final Map<String, Waiter> waiting = new ConcurrentHashMap<>();
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final AtomicLong issuedCount = new AtomicLong();

    /** An opaque token, derived from a counter rather than randomness so runs are reproducible. */
    String issue(String executionArn, Waiter waiter) {
        String seed = executionArn + "#" + issuedCount.incrementAndGet();
        String token = UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
        issued.add(token);
        waiting.put(token, waiter);
        return token;
    }

    /** The token's task stopped waiting (it failed, timed out, or its execution ended). */
    void withdraw(String token) {
        waiting.remove(token);
    }

    /** Takes the waiter a token answers; a token is answered once. */
    Waiter claim(String token) {
        Waiter waiter = waiting.remove(token);
        if (waiter != null) {
            return waiter;
        }
        if (issued.contains(token)) {
            throw new TaskDoesNotExistException("Task does not exist anymore: the task of token '" + token
                    + "' was already answered, timed out, or its execution ended");
        }
        throw new InvalidTokenException("Invalid token: '" + token + "' was not issued by this state machine");
    }
}
