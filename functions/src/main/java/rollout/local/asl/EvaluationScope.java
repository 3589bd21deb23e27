package rollout.local.asl;

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
    private final Map<String, Object> states;
    private final Map<String, Object> variables;
    private final Clock clock;

    EvaluationScope(JsonNode input, JsonNode context, Map<String, JsonNode> variables, Clock clock) {
        this.states = new LinkedHashMap<>();
        states.put("input", JsonataValues.toJsonata(input));
        states.put("context", JsonataValues.toJsonata(context));
        this.variables = new LinkedHashMap<>();
        variables.forEach((name, value) -> this.variables.put(name, JsonataValues.toJsonata(value)));
        this.clock = clock;
    }

    private EvaluationScope(EvaluationScope base, String statesKey, JsonNode value) {
        this.states = new LinkedHashMap<>(base.states);
        states.put(statesKey, JsonataValues.toJsonata(value));
        this.variables = base.variables;
        this.clock = base.clock;
    }

    /** The scope of a Task's Output and Assign after it succeeded. */
    EvaluationScope withResult(JsonNode result) {
        return new EvaluationScope(this, "result", result);
    }

    /** The scope of a Catcher's Output and Assign. */
    EvaluationScope withErrorOutput(JsonNode errorOutput) {
        return new EvaluationScope(this, "errorOutput", errorOutput);
    }

    void bindTo(Jsonata.Frame frame) {
        variables.forEach(frame::bind);
        frame.bind("states", states);
        // $now() and $millis() read the execution's clock, so virtual time is the only time a definition sees.
        frame.bind("now", new Jsonata.JFunction((input, args) -> Functions.dateTimeFromMillis(
                clock.millis(), stringArgument(args, 0), stringArgument(args, 1)), "<s?s?:s>"));
        frame.bind("millis", new Jsonata.JFunction((input, args) -> clock.millis(), "<:n>"));
    }

    private static String stringArgument(List<?> args, int index) {
        return args.size() > index ? (String) args.get(index) : null;
    }
}
