package dev.rollout.local.asl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import dev.rollout.local.time.VirtualClock;

/** A virtual clock and the state machines of one test, with helpers to read what they did. */
final class LocalRuntime {
    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    static final String STATE_MACHINE_ARN = "arn:aws:states:eu-west-1:123456789012:stateMachine:rollout";
    static final ObjectMapper MAPPER = new ObjectMapper();

    final VirtualClock clock = new VirtualClock(START);

    LocalStepFunctions machine(String definition, TaskInvoker invoker) {
        return new LocalStepFunctions(StateMachineDefinition.load(definition, Map.of()), STATE_MACHINE_ARN, clock,
                invoker);
    }

    /** Starts an execution and runs the clock until nothing is left to do. */
    ExecutionHandle run(LocalStepFunctions machine, String input) {
        ExecutionHandle execution = machine.start("test", json(input));
        clock.runUntilIdle();
        return execution;
    }

    /** Runs a definition whose tasks are never invoked. */
    ExecutionHandle run(String definition, String input) {
        return run(machine(definition, (function, payload) -> {
            throw new AssertionError("no task expected, got " + function);
        }), input);
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Test JSON does not parse: " + text, e);
        }
    }

    static List<HistoryEventType> types(ExecutionHandle execution) {
        return execution.history().stream().map(HistoryEvent::type).collect(Collectors.toList());
    }

    static List<HistoryEvent> events(ExecutionHandle execution, HistoryEventType type) {
        return execution.history().stream().filter(event -> event.type() == type).collect(Collectors.toList());
    }
}
