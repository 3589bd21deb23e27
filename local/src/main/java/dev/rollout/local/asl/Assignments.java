package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An Assign field: new values for workflow variables. All its expressions see the variables as they were
 * before the state assigned anything (assignments within one Assign happen in parallel, as in AWS).
 */
final class Assignments {
    static final Assignments NONE = new Assignments(null);

    private static final Pattern VARIABLE_NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_]{0,79}");
    private static final String RESERVED = "states";

    private final Template values;

    private Assignments(Template values) {
        this.values = values;
    }

    static Assignments compile(JsonNode assign, String field, String stateName) {
        if (!assign.isObject()) {
            throw new InvalidDefinitionException("State \"" + stateName + "\": field \"" + field
                    + "\" must be an object of variable names and values");
        }
        assign.fieldNames().forEachRemaining(name -> {
            if (!VARIABLE_NAME.matcher(name).matches() || name.equals(RESERVED)) {
                throw new InvalidDefinitionException("State \"" + stateName + "\": field \"" + field + "/" + name
                        + "\" is not a valid variable name (letters, digits and _, not starting with a digit,"
                        + " at most 80 characters, not \"states\")");
            }
        });
        return new Assignments(Template.compile(assign, field, stateName));
    }

    /** The new values by variable name, in the order the definition lists them; not to be changed. */
    Map<String, JsonNode> evaluate(EvaluationScope scope) {
        if (values == null) {
            return Map.of();
        }
        Map<String, JsonNode> assigned = new LinkedHashMap<>();
        values.evaluate(scope).fields().forEachRemaining(entry -> assigned.put(entry.getKey(), entry.getValue()));
        return assigned;
    }
}
