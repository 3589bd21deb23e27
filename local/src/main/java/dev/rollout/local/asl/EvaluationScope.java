package dev.rollout.local.asl;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What a state's expressions see: {@code $states} (input, context, and result or errorOutput where AWS
 * provides them), the workflow variables as they were when the state was entered, and the clock.
 *
 * <p>Each value is converted to JSONata's form once, when an expression first needs it, and each evaluation binds
 * only the names its expression uses: the library copies every binding into a frame of its own per evaluation.
 */
final class EvaluationScope {
    private final JsonNode input;
    private final ContextObject context;
    private final Variables variables;
    private final ClockFunctions clock;
    private final StatesValue states;
    /** The copies {@link #asRead} made, by original; made when first needed (most scopes read as-read variables). */
    private Map<JsonNode, JsonNode> readCopies;

    EvaluationScope(JsonNode input, ContextObject context, Variables variables, ClockFunctions clock) {
        this(input, context, variables, clock, null, null);
    }

    private EvaluationScope(JsonNode input, ContextObject context, Variables variables, ClockFunctions clock,
                            String resultKey, JsonNode result) {
        this.input = input;
        this.context = context;
        this.variables = variables;
        this.clock = clock;
        this.states = new StatesValue(input, context, resultKey, result);
    }

    /** The scope of a Task's Output and Assign after it succeeded. */
    EvaluationScope withResult(JsonNode result) {
        return new EvaluationScope(input, context, variables, clock, "result", result);
    }

    /** The scope of a Catcher's Output and Assign. */
    EvaluationScope withErrorOutput(JsonNode errorOutput) {
        return new EvaluationScope(input, context, variables, clock, "errorOutput", errorOutput);
    }

    /**
     * What {@code $name} stands for, for a path read without the library: {@code $states} or a variable; null for
     * anything else (the clock functions, an unknown name).
     */
    Object value(String name) {
        return switch (name) {
            case "states" -> states;
            case "now", "millis" -> null;
            default -> variables.value(name);
        };
    }

    /**
     * The JSON a plain path starts from, never to be changed: a variable, or {@code $states.input}, {@code .result}
     * or {@code .errorOutput} when {@code member} names one; null for anything else ({@code $states.context} is
     * read through {@link #value}).
     */
    JsonNode json(String name, String member) {
        return switch (name) {
            case "states" -> member == null ? null : states.json(member);
            case "now", "millis" -> null;
            default -> variables.json(name);
        };
    }

    /** Whether everything read from the JSON {@link #json} gives for this name is already in JSONata's form. */
    boolean isAsRead(String name) {
        return switch (name) {
            case "states", "now", "millis" -> false;
            default -> variables.isAsRead(name);
        };
    }

    /**
     * The node as an expression reading it returns it ({@link JsonataValues#asRead}): what this scope's expressions
     * read more than once, such as a task's payload in Output and a part of it in Assign, is copied once.
     */
    JsonNode asRead(JsonNode node) {
        if (readCopies == null) {
            if (!node.isContainerNode() || JsonataValues.isAsRead(node)) {
                return JsonataValues.asRead(node, Map.of()); // nothing to copy, or one number: nothing to keep
            }
            readCopies = new IdentityHashMap<>(4);
        }
        return JsonataValues.asRead(node, readCopies);
    }

    /**
     * The bindings for one evaluation.
     *
     * @param names the {@code $names} the expression uses, or null when it may reach any (it calls {@code $eval})
     */
    Jsonata.Frame bindings(Collection<String> names) {
        Jsonata.Frame frame = new Jsonata.Frame(null);
        if (names == null) {
            variables.bindAll(frame);
            frame.bind("states", states);
            clock.bindTo(frame);
            return frame;
        }
        for (String name : names) {
            switch (name) {
                case "states" -> frame.bind("states", states);
                // As before variables existed: the functions win over a variable of the same name.
                case "now", "millis" -> clock.bindTo(frame);
                default -> variables.bind(frame, name);
            }
        }
        return frame;
    }
}
