package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.FunctionHungException;
import dev.rollout.local.asl.TaskDoesNotExistException;
import dev.rollout.local.asl.LocalStepFunctions;
import dev.rollout.local.asl.TaskFailedException;

/**
 * Hook functions of the embedded account: each passes, fails, throws or hangs as a scenario says, and answers the
 * way its invocation asks, by returning or, given a task token, through SendTaskSuccess / SendTaskFailure after a
 * while of simulated time. Every invocation is kept, with the event the hook got.
 */
public final class SimulatedHooks {
    /** How a hook function behaves when invoked. */
    public enum Answer { PASS, FAIL, THROW, HANG }

    /**
     * @param message what the hook says: its failure message, or the exception's message when it throws
     * @param after   for an invocation with a task token, how long until the hook answers through it
     */
    public record Behaviour(Answer answer, String message, Duration after) {
    }

    /** One invocation of a hook function and the event it got. */
    public record Invocation(String function, JsonNode event) {
    }

    private final LocalAws aws;
    private final Supplier<LocalStepFunctions> stepFunctions;
    private final Map<String, Behaviour> behaviours = new LinkedHashMap<>();
    private final List<Invocation> invocations = new ArrayList<>();

    SimulatedHooks(LocalAws aws, Supplier<LocalStepFunctions> stepFunctions) {
        this.aws = aws;
        this.stepFunctions = stepFunctions;
    }

    /** Creates {@code function} in the embedded Lambda, so that Prepare finds it, behaving as {@code behaviour}. */
    public void add(String function, Behaviour behaviour) {
        aws.lambda().addFunction(function);
        behaviours.put(function, behaviour);
    }

    public synchronized List<Invocation> invocations() {
        return List.copyOf(invocations);
    }

    /** The behaviour of the hook function {@code function}, if it is one. */
    Optional<Behaviour> behaviour(String function) {
        return Optional.ofNullable(behaviours.get(function));
    }

    /** Invokes the hook as Lambda would: returns its answer, fails as a thrown error, or never returns. */
    JsonNode invoke(String function, JsonNode event) throws TaskFailedException, FunctionHungException {
        Behaviour behaviour = behaviours.get(function);
        synchronized (this) {
            invocations.add(new Invocation(function, event));
        }
        if (behaviour.answer() == Answer.HANG) {
            throw new FunctionHungException(function);
        }
        if (behaviour.answer() == Answer.THROW) {
            // As Lambda reports an unhandled exception: its type is the error, its document the cause.
            ObjectNode document = Json.object().put("errorMessage", behaviour.message())
                    .put("errorType", "java.lang.IllegalStateException");
            document.putArray("stackTrace");
            throw new TaskFailedException("java.lang.IllegalStateException", document.toString());
        }
        if (!event.hasNonNull("taskToken")) {
            return answer(behaviour);
        }
        String token = event.get("taskToken").asText();
        aws.clock().after(behaviour.after(), () -> {
            try {
                stepFunctions.get().sendTaskSuccess(token, answer(behaviour));
            } catch (TaskDoesNotExistException gone) {
                // The task ended meanwhile (timed out, the execution stopped): the hook's own call fails, ours goes on.
            }
        });
        return Json.object().put("accepted", true);
    }

    private static JsonNode answer(Behaviour behaviour) {
        ObjectNode answer = Json.object().put("status", behaviour.answer() == Answer.PASS ? "Succeeded" : "Failed");
        if (!behaviour.message().isEmpty()) {
            answer.put("message", behaviour.message());
        }
        return answer;
    }
}
