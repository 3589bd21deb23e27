package dev.rollout.local.asl;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A state machine definition (Amazon States Language, JSONata) loaded for the local runtime: parsed,
 * checked, and with every JSONata expression compiled. Anything outside the supported subset is refused
 * here, with an exception naming the state and the feature, rather than run differently from AWS.
 */
public final class StateMachineDefinition {
    private final String startAt;
    private final Map<String, State> states;
    private final Optional<Duration> timeout;

    StateMachineDefinition(String startAt, Map<String, State> states, Optional<Duration> timeout) {
        this.startAt = startAt;
        this.states = Map.copyOf(states);
        this.timeout = timeout;
    }

    /**
     * @param json the definition text, as in {@code statemachine/rollout.asl.json}
     * @param substitutions values for its {@code ${Name}} placeholders, as SAM's DefinitionSubstitutions
     * @throws UnsupportedDefinitionException for a feature the local runtime does not execute
     * @throws InvalidDefinitionException for a definition that is not valid, or a placeholder with no value
     */
    public static StateMachineDefinition load(String json, Map<String, String> substitutions) {
        return DefinitionReader.read(Placeholders.substitute(json, substitutions));
    }

    public String startAt() {
        return startAt;
    }

    public Set<String> stateNames() {
        return states.keySet();
    }

    /** The definition's TimeoutSeconds, after which an execution times out. */
    public Optional<Duration> timeout() {
        return timeout;
    }

    State state(String name) {
        return states.get(name);
    }
}
