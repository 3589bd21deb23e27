package dev.rollout.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import dev.rollout.local.LocalAws;
import dev.rollout.local.TaskFunctions;
import dev.rollout.local.asl.StateMachineDefinition;

/** The rollout definition's safety contract, checked on the file itself. */
class RolloutDefinitionTest {
    private static final Path ROOT = ProjectRoot.path();
    private static final Set<String> LAMBDA_TRANSIENT = Set.of("Lambda.ServiceException", "Lambda.AWSLambdaException",
            "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Rollout.Transient", "Rollout.Throttled");
    private static final Set<String> LAMBDA_OWN_TRANSIENT = Set.of("Lambda.ServiceException",
            "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException");

    private final JsonNode definition;

    RolloutDefinitionTest() throws Exception {
        definition = Json.MAPPER.readTree(ROOT.resolve("statemachine/rollout.asl.json").toFile());
    }

    @Test
    void loadsAsValidAslWithTheTemplatesSubstitutions() throws Exception {
        TaskFunctions functions = TaskFunctions.fromTemplate(ROOT.resolve("template.yaml"),
                LocalAws.create(java.time.Instant.EPOCH));
        StateMachineDefinition loaded = StateMachineDefinition.load(
                Files.readString(ROOT.resolve("statemachine/rollout.asl.json")), functions.substitutions());
        assertEquals("Prepare", loaded.startAt());
        assertEquals("JSONata", definition.path("QueryLanguage").asText());
    }

    @Test
    void everyTaskRetriesThrottlingAndTransientServiceErrors() {
        forEachTask((name, state) -> {
            Set<String> retried = new HashSet<>();
            state.path("Retry").forEach(retrier -> retrier.path("ErrorEquals").forEach(error -> retried.add(error.asText())));
            // A hook is someone else's function: Lambda's own transient errors are retried, never what it throws.
            boolean hook = !state.at("/Arguments/FunctionName").asText().startsWith("${");
            Set<String> expected = hook ? LAMBDA_OWN_TRANSIENT : LAMBDA_TRANSIENT;
            assertTrue(hook ? retried.equals(expected) : retried.containsAll(expected), name + " retries " + retried);
        });
    }

    @Test
    void throttledTasksRetryWithFullJitterAndNoneSoonerThanRollback() {
        // Under a fleet's load, a failing version's rollback must not wait behind the other rollouts' forward steps.
        long rollback = throttlingRetrier(definition.at("/States/Rollback")).path("MaxDelaySeconds").asLong();
        forEachTask((name, state) -> {
            JsonNode retrier = throttlingRetrier(state);
            if (!retrier.isMissingNode()) {
                assertEquals("FULL", retrier.path("JitterStrategy").asText(),
                        name + ": throttled retries would come back together");
                assertTrue(retrier.path("MaxDelaySeconds").asLong() >= rollback, name + " retries sooner than Rollback");
            }
        });
    }

    private static JsonNode throttlingRetrier(JsonNode state) {
        for (JsonNode retrier : state.path("Retry")) {
            for (JsonNode error : retrier.path("ErrorEquals")) {
                if (error.asText().equals("Rollout.Throttled")) {
                    return retrier;
                }
            }
        }
        return MissingNode.getInstance();
    }

    @Test
    void everyStateThatCanRunAfterTrafficMovedReachesRollbackOnFailure() {
        // Every task reachable from the first shift must catch States.ALL, and from a task that may
        // have moved traffic the catch must lead to Rollback.
        Set<String> afterShift = reachableFrom("ShiftTraffic");
        for (String name : afterShift) {
            JsonNode state = definition.path("States").path(name);
            if (!state.path("Type").asText().equals("Task")) {
                continue;
            }
            JsonNode catchAll = null;
            for (JsonNode catcher : state.path("Catch")) {
                if (catcher.path("ErrorEquals").toString().contains("States.ALL")) {
                    catchAll = catcher;
                }
            }
            assertTrue(catchAll != null, name + " has no Catch for States.ALL");
            if (Set.of("ShiftTraffic", "CheckHealth", "RequestApproval", "Promote", "InvokeHook", "AwaitHookCallback")
                    .contains(name)) {
                assertTrue(reachableFrom(catchAll.path("Next").asText()).contains("Rollback"),
                        name + "'s Catch does not lead to Rollback");
            }
        }
    }

    @Test
    void aFailedPrepareNeverRollsBackBecauseNothingMoved() {
        JsonNode prepare = definition.at("/States/Prepare");
        String next = prepare.path("Catch").get(0).path("Next").asText();
        assertFalse(reachableFrom(next).contains("Rollback"));
    }

    private Set<String> reachableFrom(String start) {
        Set<String> seen = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(start);
        while (!queue.isEmpty()) {
            String name = queue.poll();
            if (!seen.add(name)) {
                continue;
            }
            JsonNode state = definition.path("States").path(name);
            state.findValues("Next").forEach(next -> queue.add(next.asText()));
            state.findValues("Default").forEach(next -> queue.add(next.asText()));
        }
        return seen;
    }

    private void forEachTask(java.util.function.BiConsumer<String, JsonNode> check) {
        for (Iterator<Map.Entry<String, JsonNode>> it = definition.path("States").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getValue().path("Type").asText().equals("Task")) {
                check.accept(entry.getKey(), entry.getValue());
            }
        }
    }
}
