package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The context object, {@code $states.context}, with the fields AWS documents, built in JSONata's form. */
record ContextObject(ExecutionContext execution, String stateName, Instant enteredTime, int retryCount,
                     Optional<String> taskToken) {

    private static final DateTimeFormatter CONTEXT_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    /** False when the execution input holds a JSON null: then it is built afresh for each expression. */
    boolean reusable() {
        return execution.reusable;
    }

    /**
     * The context in JSONata's form, each member built when an expression first reads it: most read only
     * {@code Execution.Id}, which every state of the execution shares.
     */
    Map<String, Object> toJsonata() {
        return new View();
    }

    /** {@code State}, each member made when read: a task's arguments read RetryCount, a bake's EnteredTime. */
    private final class StateView extends AbstractMap<String, Object> {
        @Override
        public Object get(Object key) {
            if (!(key instanceof String name)) {
                return null;
            }
            return switch (name) {
                case "EnteredTime" -> CONTEXT_TIME.format(enteredTime);
                case "Name" -> stateName;
                case "RetryCount" -> retryCount;
                default -> null;
            };
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Map<String, Object> state = new LinkedHashMap<>();
            for (String name : List.of("EnteredTime", "Name", "RetryCount")) {
                state.put(name, get(name));
            }
            return state.entrySet();
        }
    }

    /** The members in AWS's order; read-only, as the library only reads what it is given. */
    private final class View extends AbstractMap<String, Object> {
        private Map<String, Object> state;

        @Override
        public Object get(Object key) {
            if (!(key instanceof String name)) {
                return null;
            }
            return switch (name) {
                case "Execution" -> execution.execution();
                case "State" -> {
                    if (state == null) {
                        state = new StateView();
                    }
                    yield state;
                }
                case "StateMachine" -> execution.stateMachine;
                case "Task" -> taskToken.map(token -> (Object) Map.of("Token", token)).orElse(null);
                default -> null;
            };
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Map<String, Object> context = new LinkedHashMap<>();
            for (String name : List.of("Execution", "State", "StateMachine", "Task")) {
                Object value = get(name);
                if (value != null) {
                    context.put(name, value);
                }
            }
            return context.entrySet();
        }
    }

    /** The members every state of one execution shares, built once per execution. */
    static final class ExecutionContext {
        private final String executionArn;
        private final JsonNode input;
        private final String name;
        private final String startTime;
        private final Map<String, Object> stateMachine = new LinkedHashMap<>();
        private final boolean reusable;
        private Map<String, Object> execution;

        ExecutionContext(String executionArn, JsonNode input, String name, Instant startTime, StateMachineArn stateMachine) {
            this.executionArn = executionArn;
            this.input = input;
            this.name = name;
            this.startTime = CONTEXT_TIME.format(startTime);
            this.stateMachine.put("Id", stateMachine.arn());
            this.stateMachine.put("Name", stateMachine.name());
            this.reusable = !JsonataValues.holdsNull(input);
        }

        private Map<String, Object> execution() {
            if (execution != null) {
                return execution;
            }
            Map<String, Object> built = new LinkedHashMap<>();
            built.put("Id", executionArn);
            built.put("Input", JsonataValues.toJsonata(input));
            built.put("Name", name);
            built.put("StartTime", startTime);
            if (reusable) {
                execution = built;
            }
            return built;
        }
    }
}
