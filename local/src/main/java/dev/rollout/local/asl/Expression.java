package dev.rollout.local.asl;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One {@code "{% ... %}"} JSONata expression of a definition, parsed when the definition loads. */
final class Expression {
    private static final String OPEN = "{%";
    private static final String CLOSE = "%}";
    private static final String BOX = "value";

    /** An expression that only reads a path of object members, such as {@code $states.result.Payload}. */
    private static final Pattern PLAIN_PATH = Pattern.compile("\\$[\\p{L}_][\\p{L}\\p{N}_]*(\\.[\\p{L}_][\\p{L}\\p{N}_]*)*");
    /**
     * A plain path with one step indexed by a variable, such as {@code $rollout.steps[$stepIndex].weight}: the
     * path before the index, the index's variable, and the member keys after it.
     */
    private static final Pattern INDEXED_PATH = Pattern.compile(
            "(\\$[\\p{L}_][\\p{L}\\p{N}_]*(?:\\.[\\p{L}_][\\p{L}\\p{N}_]*)+)\\[\\$([\\p{L}_][\\p{L}\\p{N}_]*)]"
                    + "((?:\\.[\\p{L}_][\\p{L}\\p{N}_]*)*)");
    /** Names an index cannot be read from as a variable. */
    private static final Set<String> NOT_VARIABLES = Set.of("states", "now", "millis");
    /** A {@code $name}: a variable, {@code $states}, or a function such as {@code $count}. */
    private static final Pattern NAME = Pattern.compile("\\$([\\p{L}_][\\p{L}\\p{N}_]*)");

    private final String text;
    private final String field;
    /** The names the expression can reach, bound for each evaluation; null when {@code $eval} could reach any. */
    private final List<String> names;
    /** For a plain path, its name and member keys: read directly where every step is an object member. */
    private final List<String> path;
    /** For an indexed path: the path to the array, the index's variable, and the member keys after it. */
    private final List<String> arrayPath;
    private final String indexVariable;
    private final List<String> afterIndex;
    /**
     * The expression as the value of an object constructor: JSONata leaves a key out when its value is
     * undefined, which is how an expression that returned nothing is told from one that returned null.
     */
    private final Jsonata boxed;
    /** The expression itself: evaluated first, since its result is the box's value when it is one value. */
    private final Jsonata bare;

    private Expression(String text, String field, Jsonata bare, Jsonata boxed) {
        this.text = text;
        this.field = field;
        this.bare = bare;
        this.boxed = boxed;
        Set<String> found = new LinkedHashSet<>();
        Matcher name = NAME.matcher(text);
        while (name.find()) {
            found.add(name.group(1));
        }
        this.names = found.contains("eval") ? null : List.copyOf(found);
        this.path = PLAIN_PATH.matcher(text).matches() ? List.of(text.substring(1).split("\\.")) : null;
        Matcher indexed = INDEXED_PATH.matcher(text);
        boolean isIndexed = indexed.matches() && !NOT_VARIABLES.contains(indexed.group(2));
        this.arrayPath = isIndexed ? List.of(indexed.group(1).substring(1).split("\\.")) : null;
        this.indexVariable = isIndexed ? indexed.group(2) : null;
        this.afterIndex = isIndexed && !indexed.group(3).isEmpty()
                ? List.of(indexed.group(3).substring(1).split("\\.")) : List.of();
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
            Jsonata bare = Jsonata.jsonata(text);
            return new Expression(text, field, bare, Jsonata.jsonata("{\"" + BOX + "\": (" + text + ")}"));
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
        if (path != null) {
            // Read on the JSON itself where the path starts at a variable or at $states.input, .result or .errorOutput.
            JsonNode node = members(scope, path);
            if (node != null && !node.isArray()) {
                return asRead(scope, path, node);
            }
        }
        if (arrayPath != null) {
            JsonNode node = element(scope);
            if (node != null && !node.isArray()) {
                return asRead(scope, arrayPath, node);
            }
        }
        if (path != null) {
            Object value = scope.value(path.get(0));
            int step = 1;
            while (step < path.size() && value instanceof Map<?, ?> object) {
                value = object.get(path.get(step++));
            }
            // What JSONata returns for such a path when every step reads a member of an object and the end is no
            // array; the library answers the rest (its sequence rules, its errors). The value is read, never changed.
            if (step == path.size() && value != null && !(value instanceof List<?>)) {
                return JsonataValues.toJson(value);
            }
        }
        Object value;
        try {
            // A compiled expression keeps per-evaluation state; definitions are shared across executions and threads.
            synchronized (boxed) {
                value = bare.evaluate(null, scope.bindings(names));
                // One value (not null, not undefined, not a sequence) is what the box would hold; anything else is
                // evaluated boxed, on fresh bindings, to tell undefined from null and to keep the box's sequence rules.
                if (value == null || value instanceof List<?>) {
                    Map<?, ?> box = (Map<?, ?>) boxed.evaluate(null, scope.bindings(names));
                    if (!box.containsKey(BOX)) {
                        throw new QueryEvaluationException(field, describe() + " returned nothing (undefined).");
                    }
                    value = box.get(BOX);
                }
            }
        } catch (QueryEvaluationException e) {
            throw e;
        } catch (RuntimeException e) { // an expression error must fail the state, never the executor
            throw new QueryEvaluationException(field, describe() + " threw an error during evaluation: " + e.getMessage());
        }
        return toJson(value);
    }

    /**
     * The JSON at the end of a path that starts at a variable or at {@code $states.input}, {@code .result} or
     * {@code .errorOutput}, where every step reads a member of an object; null for any other path.
     */
    private static JsonNode members(EvaluationScope scope, List<String> keys) {
        int step = keys.get(0).equals("states") ? 2 : 1;
        JsonNode node = keys.size() >= step ? scope.json(keys.get(0), step == 2 ? keys.get(1) : null) : null;
        while (node != null && step < keys.size() && node.isObject()) {
            node = node.get(keys.get(step++));
        }
        return node != null && step == keys.size() ? node : null;
    }

    /** The node read by a path, as JSONata would return it; a variable known to be in that form is not walked again. */
    private static JsonNode asRead(EvaluationScope scope, List<String> keys, JsonNode node) {
        return scope.isAsRead(keys.get(0)) ? node : scope.asRead(node);
    }

    /**
     * What JSONata returns for an indexed path where the array holds only objects (nothing for its sequences to
     * flatten), the index variable holds an integer within it (counted from the end when negative, as JSONata
     * does), and every step after it reads a member of an object; null for anything else, which the library answers.
     */
    private JsonNode element(EvaluationScope scope) {
        JsonNode array = members(scope, arrayPath);
        JsonNode index = scope.json(indexVariable, null);
        if (array == null || !array.isArray() || index == null || !index.isInt()) {
            return null;
        }
        for (JsonNode element : array) {
            if (!element.isObject()) {
                return null;
            }
        }
        int position = index.intValue() < 0 ? array.size() + index.intValue() : index.intValue();
        JsonNode node = position >= 0 && position < array.size() ? array.get(position) : null;
        int step = 0;
        while (node != null && step < afterIndex.size() && node.isObject()) {
            node = node.get(afterIndex.get(step++));
        }
        return node != null && step == afterIndex.size() ? node : null;
    }

    private JsonNode toJson(Object value) {
        try {
            return JsonataValues.toJson(value);
        } catch (IllegalArgumentException e) {
            throw new QueryEvaluationException(field, describe() + " returned " + e.getMessage() + ".");
        }
    }
}
