package dev.rollout.local.aws;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The subset of DynamoDB's condition and update expressions that the in-memory DynamoDB understands: top-level
 * attributes named through {@code #placeholders}, values through {@code :placeholders}. Mistakes DynamoDB refuses
 * (undefined or unused placeholders, a clause used twice, overlapping paths) fail with its ValidationException;
 * valid forms outside the subset (OR, comparisons other than =, functions other than attribute_not_exists, nested
 * paths, ADD, DELETE, arithmetic) fail with {@link UnsupportedOperationException}, so a test never passes on an
 * expression the fake merely skipped.
 */
final class DynamoDbExpressions {

    static final String CONDITION_FORMS =
            "#name = :value, #name = #name and attribute_not_exists(#name), joined with AND";
    static final String UPDATE_FORMS = "SET #name = :value, ... and REMOVE #name, ...";

    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(?:(?<name>#[A-Za-z0-9_]+)|(?<value>:[A-Za-z0-9_]+)|(?<word>[A-Za-z_][A-Za-z0-9_]*)"
                    + "|(?<symbol><>|<=|>=|[=<>(),.\\[\\]+-]))");

    private DynamoDbExpressions() {
    }

    /** The placeholders a request defines, and which of them its expressions use. */
    static final class Placeholders {
        private final Map<String, String> names;
        private final Map<String, AttributeValue> values;
        private final Set<String> usedNames = new HashSet<>();
        private final Set<String> usedValues = new HashSet<>();

        Placeholders(Map<String, String> names, Map<String, AttributeValue> values) {
            this.names = names;
            this.values = values;
        }

        String name(String placeholder) {
            String name = names.get(placeholder);
            if (name == null) {
                throw DynamoDbErrors.validation("Invalid expression: An expression attribute name used in the"
                        + " document path is not defined; attribute name: " + placeholder);
            }
            usedNames.add(placeholder);
            return name;
        }

        AttributeValue value(String placeholder) {
            AttributeValue value = values.get(placeholder);
            if (value == null) {
                throw DynamoDbErrors.validation("Invalid expression: An expression attribute value used in"
                        + " expression is not defined; attribute value: " + placeholder);
            }
            usedValues.add(placeholder);
            return value;
        }

        /** DynamoDB refuses placeholders that no expression of the request uses. */
        void requireAllUsed() {
            Set<String> unusedNames = new TreeSet<>(names.keySet());
            unusedNames.removeAll(usedNames);
            if (!unusedNames.isEmpty()) {
                throw DynamoDbErrors.validation("Value provided in ExpressionAttributeNames unused in expressions:"
                        + " keys: {" + String.join(", ", unusedNames) + "}");
            }
            Set<String> unusedValues = new TreeSet<>(values.keySet());
            unusedValues.removeAll(usedValues);
            if (!unusedValues.isEmpty()) {
                throw DynamoDbErrors.validation("Value provided in ExpressionAttributeValues unused in expressions:"
                        + " keys: {" + String.join(", ", unusedValues) + "}");
            }
        }
    }

    /** A parsed ConditionExpression. */
    interface Condition {
        boolean holds(Map<String, AttributeValue> item);
    }

    /** A parsed UpdateExpression: attributes to set and attributes to remove. */
    record Update(Map<String, AttributeValue> set, List<String> remove) {
        Set<String> touched() {
            Set<String> touched = new HashSet<>(set.keySet());
            touched.addAll(remove);
            return touched;
        }

        Map<String, AttributeValue> applyTo(Map<String, AttributeValue> item) {
            Map<String, AttributeValue> updated = new LinkedHashMap<>(item);
            updated.putAll(set);
            remove.forEach(updated::remove);
            return updated;
        }
    }

    static Condition condition(String expression, Placeholders placeholders) {
        Tokens tokens = new Tokens("ConditionExpression", expression, CONDITION_FORMS);
        List<Condition> terms = new ArrayList<>();
        do {
            terms.add(term(tokens, placeholders));
        } while (tokens.nextIsWord("AND"));
        tokens.requireEnd();
        return item -> terms.stream().allMatch(term -> term.holds(item));
    }

    static Update update(String expression, Placeholders placeholders) {
        Tokens tokens = new Tokens("UpdateExpression", expression, UPDATE_FORMS);
        Map<String, AttributeValue> set = new LinkedHashMap<>();
        List<String> remove = new ArrayList<>();
        Set<String> clauses = new HashSet<>();
        Set<String> paths = new HashSet<>();
        do {
            String clause = tokens.word().toUpperCase(Locale.ROOT);
            if (!clause.equals("SET") && !clause.equals("REMOVE")) {
                throw tokens.unsupported(clause);
            }
            if (!clauses.add(clause)) {
                throw DynamoDbErrors.validation("Invalid UpdateExpression: The \"" + clause
                        + "\" section can only be used once in an update expression;");
            }
            do {
                String path = placeholders.name(tokens.name());
                if (!paths.add(path)) {
                    throw DynamoDbErrors.validation("Invalid UpdateExpression: Two document paths overlap with each"
                            + " other; must remove or rewrite one of these paths; path one: [" + path
                            + "], path two: [" + path + "]");
                }
                if (clause.equals("SET")) {
                    tokens.symbol("=");
                    set.put(path, placeholders.value(tokens.value()));
                } else {
                    remove.add(path);
                }
            } while (tokens.nextIsSymbol(","));
        } while (!tokens.atEnd());
        return new Update(set, remove);
    }

    /** Equality as DynamoDB compares: same type, numbers by value, sets regardless of order. */
    static boolean equal(AttributeValue a, AttributeValue b) {
        if (a.type() != b.type()) {
            return false;
        }
        return switch (a.type()) {
            case N -> new BigDecimal(a.n()).compareTo(new BigDecimal(b.n())) == 0;
            case SS -> Set.copyOf(a.ss()).equals(Set.copyOf(b.ss()));
            case NS -> numbers(a.ns()).equals(numbers(b.ns()));
            case BS -> Set.copyOf(a.bs()).equals(Set.copyOf(b.bs()));
            default -> a.equals(b);
        };
    }

    private static Set<BigDecimal> numbers(List<String> numbers) {
        Set<BigDecimal> values = new HashSet<>();
        numbers.forEach(number -> values.add(new BigDecimal(number).stripTrailingZeros()));
        return values;
    }

    private static Condition term(Tokens tokens, Placeholders placeholders) {
        if (tokens.nextIsWord("attribute_not_exists")) {
            tokens.symbol("(");
            String path = placeholders.name(tokens.name());
            tokens.symbol(")");
            return item -> !item.containsKey(path);
        }
        String path = placeholders.name(tokens.name());
        tokens.symbol("=");
        if (tokens.peekIsName()) {
            String other = placeholders.name(tokens.name());
            return item -> item.containsKey(path) && item.containsKey(other) && equal(item.get(path), item.get(other));
        }
        AttributeValue value = placeholders.value(tokens.value());
        return item -> item.containsKey(path) && equal(item.get(path), value);
    }

    /** The tokens of one expression, read front to back. */
    private static final class Tokens {
        private final String parameter;
        private final String expression;
        private final String supported;
        private final List<String[]> tokens = new ArrayList<>();
        private int next;

        Tokens(String parameter, String expression, String supported) {
            this.parameter = parameter;
            this.expression = expression;
            this.supported = supported;
            Matcher matcher = TOKEN.matcher(expression);
            int at = 0;
            while (at < expression.length()) {
                if (expression.substring(at).isBlank()) {
                    break;
                }
                if (!matcher.find(at) || matcher.start() != at) {
                    throw DynamoDbErrors.validation("Invalid " + parameter + ": Syntax error; token: \""
                            + expression.substring(at).strip().charAt(0) + "\", near: \"" + expression + "\"");
                }
                for (String kind : new String[] {"name", "value", "word", "symbol"}) {
                    if (matcher.group(kind) != null) {
                        tokens.add(new String[] {kind, matcher.group(kind)});
                    }
                }
                at = matcher.end();
            }
            if (tokens.isEmpty()) {
                throw DynamoDbErrors.validation("Invalid " + parameter + ": The expression can not be empty;");
            }
        }

        boolean atEnd() {
            return next == tokens.size();
        }

        void requireEnd() {
            if (!atEnd()) {
                throw unsupported(tokens.get(next)[1]);
            }
        }

        boolean peekIsName() {
            return !atEnd() && tokens.get(next)[0].equals("name");
        }

        boolean nextIsWord(String word) {
            if (!atEnd() && tokens.get(next)[0].equals("word") && tokens.get(next)[1].equalsIgnoreCase(word)) {
                next++;
                return true;
            }
            return false;
        }

        boolean nextIsSymbol(String symbol) {
            if (!atEnd() && tokens.get(next)[1].equals(symbol)) {
                next++;
                return true;
            }
            return false;
        }

        String word() {
            return take("word");
        }

        String name() {
            return take("name");
        }

        String value() {
            return take("value");
        }

        void symbol(String symbol) {
            if (atEnd()) {
                throw endedEarly();
            }
            if (!nextIsSymbol(symbol)) {
                throw unsupported(tokens.get(next)[1]);
            }
        }

        private String take(String kind) {
            if (atEnd()) {
                throw endedEarly();
            }
            String[] token = tokens.get(next);
            if (!token[0].equals(kind)) {
                throw unsupported(token[1]);
            }
            next++;
            return token[1];
        }

        private RuntimeException endedEarly() {
            return DynamoDbErrors.validation("Invalid " + parameter + ": Syntax error; token: \"<EOF>\", near: \""
                    + expression + "\"");
        }

        UnsupportedOperationException unsupported(String token) {
            return new UnsupportedOperationException("the in-memory DynamoDB does not understand \"" + token
                    + "\" in " + parameter + " \"" + expression + "\"; it supports " + supported);
        }
    }
}
