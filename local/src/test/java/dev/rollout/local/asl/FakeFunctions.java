package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Lambda functions as lambdas, recording each invocation with the virtual time it happened at. */
final class FakeFunctions implements TaskInvoker {

    @FunctionalInterface
    interface Function {
        JsonNode apply(JsonNode payload) throws TaskFailedException, FunctionHungException;
    }

    record Invocation(String functionName, JsonNode payload, Instant at) {
    }

    private final Clock clock;
    private final Map<String, Function> functions = new HashMap<>();
    private final List<Invocation> invocations = new ArrayList<>();

    FakeFunctions(Clock clock) {
        this.clock = clock;
    }

    FakeFunctions with(String functionName, Function function) {
        functions.put(functionName, function);
        return this;
    }

    List<Invocation> invocations() {
        return invocations;
    }

    @Override
    public JsonNode invoke(String functionName, JsonNode payload) throws TaskFailedException, FunctionHungException {
        invocations.add(new Invocation(functionName, payload, clock.instant()));
        Function function = functions.get(functionName);
        if (function == null) {
            throw new TaskFailedException("Lambda.ResourceNotFoundException", "Function not found: " + functionName);
        }
        return function.apply(payload);
    }
}
