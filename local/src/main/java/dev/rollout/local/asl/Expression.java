package dev.rollout.local.asl;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** One {@code "{% ... %}"} JSONata expression of a definition, parsed when the definition loads. */
final class Expression {
    private static final String OPEN = "{%";
    private static final String CLOSE = "%}";
    private static final String BOX = "value";

    private final String text;
    private final String field;
    /**
     * The expression as the value of an object constructor: JSONata leaves a key out when its value is
     * undefined, which is how an expression that returned nothing is told from one that returned null.
     */
    private final Jsonata boxed;

    private Expression(String text, String field, Jsonata boxed) {
        this.text = text;
        this.field = field;
        this.boxed = boxed;
    }

    static boolean isExpression(String value) {
        return value.startsWith(OPEN) && value.endsWith(CLOSE) && value.length() >= OPEN.length() + CLOSE.length();
    }

    /**
     * @param value the whole field value, {@code "{% expr %}"}
     * @param field where it was written, the way AWS names it in errors: {@code Output/v}, {@code Choices[0]/Condition}
     */
    static Expression compile(String value, String field, String stateName) {
        String text = value.substring(OPEN.length(), value.length() - CLOSE.length()).trim();
        if (text.isEmpty()) {
            throw new InvalidDefinitionException(
                    "State \"" + stateName + "\": field \"" + field + "\" holds an empty JSONata expression");
        }
        try {
            // Parsed on its own first: inside the box, unbalanced parentheses could pass for valid syntax.
            Jsonata.jsonata(text);
            return new Expression(text, field, Jsonata.jsonata("{\"" + BOX + "\": (" + text + ")}"));
        } catch (RuntimeException e) { // JException, and the parser's own failures on odd input
            throw new InvalidDefinitionException("State \"" + stateName + "\": field \"" + field
                    + "\" holds an invalid JSONata expression '" + text + "': " + e.getMessage());
        }
    }

    String field() {
        return field;
    }

    /** The subject of an error sentence about this expression, worded as AWS words it. */
    String describe() {
        return "The JSONata expression '" + text + "' specified for the field '" + field + "'";
    }

    JsonNode evaluate(EvaluationScope scope) {
        Object box;
        try {
            Jsonata.Frame frame = boxed.createFrame();
            scope.bindTo(frame);
            box = boxed.evaluate(null, frame);
        } catch (RuntimeException e) { // an expression error must fail the state, never the executor
            throw new QueryEvaluationException(field, describe() + " threw an error during evaluation: " + e.getMessage());
        }
        Map<?, ?> result = (Map<?, ?>) box;
        if (!result.containsKey(BOX)) {
            throw new QueryEvaluationException(field, describe() + " returned nothing (undefined).");
        }
        try {
            return JsonataValues.toJson(result.get(BOX));
        } catch (IllegalArgumentException e) {
            throw new QueryEvaluationException(field, describe() + " returned " + e.getMessage() + ".");
        }
    }
}
