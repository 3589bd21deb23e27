package dev.rollout.local.asl;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a state's expressions see: {@code $states} (input, context, and result or errorOutput where AWS
 * provides them), the workflow variables as they were when the state was entered, and the clock.
 */
final class EvaluationScope {
    private final Map<String, JsonNode> states;
    private final Map<String, JsonNode> variables;
    private final Jsonata.JFunction now;
    private final Jsonata.JFunction millis;

    EvaluationScope(JsonNode input, JsonNode context, Map<String, JsonNode> variables, Clock clock) {
        this.states = new LinkedHashMap<>();
        states.put("input", input);
        states.put("context", context);
        this.variables = Map.copyOf(variables);
        // $now() and $millis() read the execution's clock, so virtual time is the only time a definition sees.
        this.now = new Jsonata.JFunction((ignoredInput, args) -> Functions.dateTimeFromMillis(
                clock.millis(), stringArgument(args, 0), stringArgument(args, 1)), "<s?s?:s>");
        this.millis = new Jsonata.JFunction((ignoredInput, args) -> clock.millis(), "<:n>");
    }

    private EvaluationScope(EvaluationScope base, String statesKey, JsonNode value) {
        this.states = new LinkedHashMap<>(base.states);
        states.put(statesKey, value);
        this.variables = base.variables;
        this.now = base.now;
        this.millis = base.millis;
    }

    /** The scope of a Task's Output and Assign after it succeeded. */
    EvaluationScope withResult(JsonNode result) {
        return new EvaluationScope(this, "result", result);
    }

    /** The scope of a Catcher's Output and Assign. */
    EvaluationScope withErrorOutput(JsonNode errorOutput) {
        return new EvaluationScope(this, "errorOutput", errorOutput);
    }

    /** Binds fresh values for each evaluation: the JSONata library rewrites the nulls of what it returns in place. */
    void bindTo(Jsonata.Frame frame) {
        variables.forEach((name, value) -> frame.bind(name, JsonataValues.toJsonata(value)));
        Map<String, Object> statesValue = new LinkedHashMap<>();
        states.forEach((key, value) -> statesValue.put(key, JsonataValues.toJsonata(value)));
        frame.bind("states", statesValue);
        frame.bind("now", now);
        frame.bind("millis", millis);
    }

    private static String stringArgument(List<?> args, int index) {
        return args.size() > index ? (String) args.get(index) : null;
    }
}
