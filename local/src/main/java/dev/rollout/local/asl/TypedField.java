package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * A field holding one kind of value, written either literally (checked when the definition loads) or as a
 * JSONata expression (checked when it is evaluated): a Choice Condition, a Wait's Seconds, a Fail's Error.
 */
final class TypedField<T> {

    /** What a field must hold, in words for error messages, and how to read it from JSON. */
    record Kind<T>(String expectation, Function<JsonNode, Optional<T>> reader) {
    }

    /** Step Functions' upper bound on waits and timeouts. */
    static final long MAX_SECONDS = 99_999_999;

    /** A Choice reads a condition per rule it tries: its two answers are made once. */
    private static final Optional<Boolean> TRUE = Optional.of(true);
    private static final Optional<Boolean> FALSE = Optional.of(false);

    static final Kind<Boolean> BOOLEAN = new Kind<>("a boolean",
            node -> node.isBoolean() ? (node.booleanValue() ? TRUE : FALSE) : Optional.empty());
    static final Kind<String> STRING = new Kind<>("a string",
            node -> node.isTextual() ? Optional.of(node.textValue()) : Optional.empty());
    static final Kind<Long> WAIT_SECONDS = seconds(0);
    static final Kind<Long> TIMEOUT_SECONDS = seconds(1);
    static final Kind<Instant> TIMESTAMP = new Kind<>("an ISO-8601 timestamp such as \"2025-01-31T12:00:00Z\"",
            TypedField::timestamp);

    private final T literal;
    private final Expression expression;
    private final Kind<T> kind;

    private TypedField(T literal, Expression expression, Kind<T> kind) {
        this.literal = literal;
        this.expression = expression;
        this.kind = kind;
    }

    static <T> TypedField<T> compile(JsonNode value, String field, String stateName, Kind<T> kind) {
        if (value.isTextual() && Expression.isExpression(value.textValue())) {
            return new TypedField<>(null, Expression.compile(value.textValue(), field, stateName), kind);
        }
        T literal = kind.reader().apply(value).orElseThrow(() -> new InvalidDefinitionException("State \""
                + stateName + "\": field \"" + field + "\" must be " + kind.expectation()
                + " or a JSONata expression, got " + value));
        return new TypedField<>(literal, null, kind);
    }

    T evaluate(EvaluationScope scope) {
        if (expression == null) {
            return literal;
        }
        JsonNode value = expression.evaluate(scope);
        Optional<T> read = kind.reader().apply(value);
        if (read.isEmpty()) {
            throw new QueryEvaluationException(expression.field(),
                    expression.describe() + " returned " + value + ", but it must be " + kind.expectation() + ".");
        }
        return read.get();
    }

    private static Kind<Long> seconds(long min) {
        return new Kind<>("a whole number of seconds from " + min + " to " + MAX_SECONDS,
                node -> node.isIntegralNumber() && node.canConvertToLong()
                        && node.longValue() >= min && node.longValue() <= MAX_SECONDS
                        ? Optional.of(node.longValue()) : Optional.empty());
    }

    private static Optional<Instant> timestamp(JsonNode node) {
        if (!node.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(node.textValue()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
