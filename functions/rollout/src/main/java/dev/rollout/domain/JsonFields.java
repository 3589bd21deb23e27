package dev.rollout.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Typed reads of input fields that record a problem naming the field instead of throwing. */
final class JsonFields {
    private JsonFields() {
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case STRING -> "the string \"" + node.asText() + "\"";
            case NUMBER -> "the number " + node.asText();
            case BOOLEAN -> "the boolean " + node.asText();
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /** Typos in field names are the most common input mistake; silently ignoring them hides it. */
    static void refuseUnknown(JsonNode object, String field, Set<String> allowed, Problems problems) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                String at = field.isEmpty() ? name : field + "." + name;
                problems.add(at, "unknown field; expected one of " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    static Optional<String> text(JsonNode parent, String name, String field, boolean required, Problems problems) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                problems.add(field, "is required");
            }
            return Optional.empty();
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            problems.add(field, "expected a non-empty string, got " + describe(node));
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    static Optional<Long> integer(JsonNode parent, String name, String parentField, long min, long max,
                                  String expectation, Problems problems) {
        String field = parentField.isEmpty() ? name : parentField + "." + name;
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            problems.add(field, "is required: " + expectation);
            return Optional.empty();
        }
        if (!node.canConvertToExactIntegral() || node.isTextual() || !node.canConvertToLong()) {
            problems.add(field, "expected " + expectation + ", got " + describe(node));
            return Optional.empty();
        }
        long value = node.asLong();
        if (value < min || value > max) {
            problems.add(field, "expected " + expectation + ", got " + value);
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** A duration in whole seconds or text such as {@code "10m"}; at most what Step Functions allows. */
    static Optional<Duration> duration(JsonNode node, String field, boolean positive, Problems problems) {
        String expectation = "expected a duration such as 90, \"90s\", \"10m\" or \"1h30m\"";
        Duration duration;
        if (node == null || node.isNull()) {
            problems.add(field, "is required: " + expectation);
            return Optional.empty();
        }
        if (node.isTextual()) {
            String text = node.asText().trim();
            if (text.startsWith("-")) {
                problems.add(field, "must not be negative, got \"" + text + "\"");
                return Optional.empty();
            }
            Optional<Duration> parsed = Durations.parse(text);
            if (parsed.isEmpty()) {
                problems.add(field, expectation + ", got " + describe(node));
                return Optional.empty();
            }
            duration = parsed.get();
        } else if (node.canConvertToExactIntegral()) {
            if (node.bigIntegerValue().signum() < 0) {
                problems.add(field, "must not be negative, got " + node.asText());
                return Optional.empty();
            }
            // Beyond a long, the number is still a duration, only far too long: the range check below says so.
            duration = node.canConvertToLong() ? Duration.ofSeconds(Math.min(node.asLong(), Durations.TOO_LONG.getSeconds()))
                    : Durations.TOO_LONG;
        } else {
            problems.add(field, expectation + ", got " + describe(node));
            return Optional.empty();
        }
        if (positive && duration.isZero()) {
            problems.add(field, "must be longer than 0s");
            return Optional.empty();
        }
        if (duration.compareTo(Durations.STEP_FUNCTIONS_MAX) > 0) {
            problems.add(field, "is " + (duration.compareTo(Durations.TOO_LONG) >= 0 ? "far longer than 365d, got "
                    + describe(node) : Durations.format(duration))
                    + "; at most 365d, the longest a Standard Step Functions execution may run");
            return Optional.empty();
        }
        return Optional.of(duration);
    }

    static Optional<OnTimeout> onTimeout(JsonNode node, String field, Problems problems) {
        Optional<OnTimeout> value = node.isTextual() ? OnTimeout.fromWireName(node.asText()) : Optional.empty();
        if (value.isPresent()) {
            return value;
        }
        problems.add(field, "expected \"rollback\" or \"promote\", got " + describe(node));
        return Optional.empty();
    }
}
