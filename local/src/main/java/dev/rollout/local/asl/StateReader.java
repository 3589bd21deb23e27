package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads one state of a definition into the model, refusing what the local runtime does not execute. */
final class StateReader {
    static final String JSONATA = "JSONata";
    static final String JSONPATH = "JSONPath";

    private static final Set<String> SUPPORTED_TYPES = Set.of("Task", "Pass", "Wait", "Choice", "Succeed", "Fail");
    private static final Set<String> UNSUPPORTED_TYPES = Set.of("Map", "Parallel");

    private static final Set<String> TASK_FIELDS = fields("Next", "End", "Assign", "Output", "Resource",
            "Arguments", "TimeoutSeconds", "Retry", "Catch");
    private static final Set<String> PASS_FIELDS = fields("Next", "End", "Assign", "Output");
    private static final Set<String> WAIT_FIELDS = fields("Next", "End", "Assign", "Output", "Seconds", "Timestamp");
    private static final Set<String> CHOICE_FIELDS = fields("Choices", "Default", "Assign", "Output");
    private static final Set<String> SUCCEED_FIELDS = fields("Output");
    private static final Set<String> FAIL_FIELDS = fields("Error", "Cause");
    private static final Set<String> ARGUMENTS_FIELDS = Set.of("FunctionName", "Payload");
    private static final Set<String> RETRIER_FIELDS = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts",
            "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment");
    private static final Set<String> CATCHER_FIELDS = Set.of("ErrorEquals", "Next", "Output", "Assign", "Comment");
    private static final Set<String> CHOICE_RULE_FIELDS = Set.of("Condition", "Next", "Output", "Assign", "Comment");

    private StateReader() {
    }

    /**
     * @param topLevelQueryLanguage the definition's QueryLanguage, which a state inherits unless it sets its own
     * @param stateNames every state of the definition, to check transitions against
     */
    static State read(String name, JsonNode node, Optional<String> topLevelQueryLanguage, Set<String> stateNames) {
        StateFields fields = new StateFields(name, node, stateNames);
        if (UNSUPPORTED_TYPES.contains(fields.type())) {
            throw fields.unsupported("type \"" + fields.type() + "\" is not supported by the local runtime");
        }
        if (!SUPPORTED_TYPES.contains(fields.type())) {
            throw fields.invalid("type \"" + fields.type() + "\" is not a state type");
        }
        requireJsonata(fields, topLevelQueryLanguage);
        return switch (fields.type()) {
            case "Task" -> task(fields);
            case "Pass" -> pass(fields);
            case "Wait" -> waitState(fields);
            case "Choice" -> choice(fields);
            case "Succeed" -> succeed(fields);
            default -> fail(fields);
        };
    }

    private static void requireJsonata(StateFields fields, Optional<String> topLevelQueryLanguage) {
        String language = fields.optional("QueryLanguage").isPresent()
                ? fields.text("QueryLanguage")
                : topLevelQueryLanguage.orElse(JSONPATH); // the States language default
        if (language.equals(JSONPATH)) {
            throw fields.unsupported("QueryLanguage \"JSONPath\" is not supported by the local runtime;"
                    + " set \"QueryLanguage\": \"JSONata\" at the top level of the definition or on the state");
        }
        if (!language.equals(JSONATA)) {
            throw fields.invalid("QueryLanguage must be \"JSONata\" or \"JSONPath\", got \"" + language + "\"");
        }
    }

    private static TaskState task(StateFields fields) {
        fields.allowOnly(TASK_FIELDS);
        String arn = fields.text("Resource");
        LambdaResource resource = LambdaResource.byArn(arn).orElseThrow(() -> fields.unsupported("Resource \""
                + arn + "\" is not supported by the local runtime; it runs " + LambdaResource.INVOKE.arn()
                + " and " + LambdaResource.INVOKE_WAIT_FOR_TASK_TOKEN.arn()));
        JsonNode arguments = fields.required("Arguments");
        if (!arguments.isObject()) {
            throw fields.invalid("field \"Arguments\" must be an object with \"FunctionName\" and \"Payload\"");
        }
        fields.allowOnly(arguments, "Arguments/", ARGUMENTS_FIELDS);
        TypedField<String> functionName = TypedField.compile(fields.required(arguments, "FunctionName", "Arguments/"),
                "Arguments/FunctionName", fields.stateName(), TypedField.STRING);
        Template payload = Template.compile(fields.required(arguments, "Payload", "Arguments/"),
                "Arguments/Payload", fields.stateName());
        return new TaskState(fields.stateName(), resource, functionName, payload,
                fields.typed("TimeoutSeconds", TypedField.TIMEOUT_SECONDS),
                retriers(fields), catchers(fields), fields.template("Output"), fields.assign(), fields.nextOrEnd());
    }

    private static PassState pass(StateFields fields) {
        fields.allowOnly(PASS_FIELDS);
        return new PassState(fields.stateName(), fields.template("Output"), fields.assign(), fields.nextOrEnd());
    }

    private static WaitState waitState(StateFields fields) {
        fields.allowOnly(WAIT_FIELDS);
        Optional<TypedField<Long>> seconds = fields.typed("Seconds", TypedField.WAIT_SECONDS);
        Optional<TypedField<Instant>> timestamp = fields.typed("Timestamp", TypedField.TIMESTAMP);
        if (seconds.isPresent() == timestamp.isPresent()) {
            throw fields.invalid("a Wait state needs exactly one of \"Seconds\" and \"Timestamp\"");
        }
        return new WaitState(fields.stateName(), seconds, timestamp, fields.template("Output"), fields.assign(),
                fields.nextOrEnd());
    }

    private static ChoiceState choice(StateFields fields) {
        fields.allowOnly(CHOICE_FIELDS);
        JsonNode choices = fields.required("Choices");
        if (!choices.isArray() || choices.isEmpty()) {
            throw fields.invalid("field \"Choices\" must be a non-empty array of choice rules");
        }
        List<ChoiceRule> rules = elements(fields, "Choices", choices, CHOICE_RULE_FIELDS, (rule, path, last) ->
                new ChoiceRule(TypedField.compile(fields.required(rule, "Condition", path), path + "Condition",
                        fields.stateName(), TypedField.BOOLEAN),
                        fields.target(rule, "Next", path), fields.template(rule, "Output", path),
                        fields.assign(rule, path)));
        Optional<String> defaultNext = fields.optional("Default").map(value -> fields.target("Default"));
        return new ChoiceState(fields.stateName(), rules, defaultNext, fields.template("Output"), fields.assign());
    }

    private static SucceedState succeed(StateFields fields) {
        fields.allowOnly(SUCCEED_FIELDS);
        return new SucceedState(fields.stateName(), fields.template("Output"));
    }

    private static FailState fail(StateFields fields) {
        fields.allowOnly(FAIL_FIELDS);
        return new FailState(fields.stateName(), fields.typed("Error", TypedField.STRING),
                fields.typed("Cause", TypedField.STRING));
    }

    private static List<Retrier> retriers(StateFields fields) {
        JsonNode retry = fields.optional("Retry").orElse(Json.MAPPER.createArrayNode());
        return elements(fields, "Retry", retry, RETRIER_FIELDS, (retrier, path, last) -> {
            boolean fullJitter = jitter(fields, retrier, path);
            return new Retrier(errorEquals(fields, retrier, path, last),
                    fields.wholeNumber(retrier, "IntervalSeconds", path, 1, TypedField.MAX_SECONDS,
                            Retrier.DEFAULT_INTERVAL_SECONDS),
                    (int) fields.wholeNumber(retrier, "MaxAttempts", path, 0, TypedField.MAX_SECONDS,
                            Retrier.DEFAULT_MAX_ATTEMPTS),
                    backoffRate(fields, retrier, path),
                    fields.optionalWholeNumber(retrier, "MaxDelaySeconds", path, 1, TypedField.MAX_SECONDS),
                    fullJitter);
        });
    }

    private static List<Catcher> catchers(StateFields fields) {
        JsonNode catchField = fields.optional("Catch").orElse(Json.MAPPER.createArrayNode());
        return elements(fields, "Catch", catchField, CATCHER_FIELDS, (catcher, path, last) ->
                new Catcher(errorEquals(fields, catcher, path, last), fields.target(catcher, "Next", path),
                        fields.template(catcher, "Output", path), fields.assign(catcher, path)));
    }

    /** Reads one object of an array field, given its path (such as {@code Retry[0]/}) and whether it is the last. */
    @FunctionalInterface
    private interface ElementReader<T> {
        T read(JsonNode element, String path, boolean last);
    }

    /** The objects of an array field, each checked against the fields it may have, then read. */
    private static <T> List<T> elements(StateFields fields, String field, JsonNode array, Set<String> allowed,
                                        ElementReader<T> reader) {
        if (!array.isArray()) {
            throw fields.invalid("field \"" + field + "\" must be an array");
        }
        List<T> elements = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String path = field + "[" + i + "]/";
            JsonNode element = array.get(i);
            if (!element.isObject()) {
                throw fields.invalid("field \"" + field + "[" + i + "]\" must be an object");
            }
            fields.allowOnly(element, path, allowed);
            elements.add(reader.read(element, path, i == array.size() - 1));
        }
        return elements;
    }

    private static List<String> errorEquals(StateFields fields, JsonNode element, String path, boolean last) {
        JsonNode errorEquals = fields.required(element, "ErrorEquals", path);
        String field = "field \"" + path + "ErrorEquals\"";
        if (!errorEquals.isArray() || errorEquals.isEmpty()) {
            throw fields.invalid(field + " must be a non-empty array of error names");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode name : errorEquals) {
            if (!name.isTextual()) {
                throw fields.invalid(field + " must hold only strings, got " + name);
            }
            names.add(name.textValue());
        }
        if (names.contains(ErrorNames.ALL) && (names.size() > 1 || !last)) {
            throw fields.invalid(field + ": \"" + ErrorNames.ALL
                    + "\" must appear alone, in the last element of " + path.substring(0, path.indexOf('[')));
        }
        return names;
    }

    /** True for {@code "JitterStrategy": "FULL"}; {@code "NONE"} is the default. */
    private static boolean jitter(StateFields fields, JsonNode retrier, String path) {
        return fields.optional(retrier, "JitterStrategy").map(jitter -> {
            if (!jitter.isTextual() || !(jitter.textValue().equals("FULL") || jitter.textValue().equals("NONE"))) {
                throw fields.invalid("field \"" + path + "JitterStrategy\" must be \"FULL\" or \"NONE\", got " + jitter);
            }
            return jitter.textValue().equals("FULL");
        }).orElse(false);
    }

    private static double backoffRate(StateFields fields, JsonNode retrier, String path) {
        return fields.optional(retrier, "BackoffRate").map(rate -> {
            if (!rate.isNumber() || rate.doubleValue() < 1.0) {
                throw fields.invalid("field \"" + path + "BackoffRate\" must be a number of at least 1.0, got " + rate);
            }
            return rate.doubleValue();
        }).orElse(Retrier.DEFAULT_BACKOFF_RATE);
    }

    private static Set<String> fields(String... specific) {
        return Stream.concat(Stream.of("Type", "Comment", "QueryLanguage"), Stream.of(specific))
                .collect(Collectors.toUnmodifiableSet());
    }
}
