package dev.rollout.local.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DefinitionLoadingTest {

    private static final Class<UnsupportedDefinitionException> UNSUPPORTED = UnsupportedDefinitionException.class;
    private static final Class<InvalidDefinitionException> INVALID = InvalidDefinitionException.class;

    /** A JSONata definition starting at the state under test, with a Done state for it to go to. */
    private static String oneState(String name, String state) {
        return """
                {"QueryLanguage": "JSONata", "StartAt": "%s",
                 "States": {"%s": %s, "Done": {"Type": "Succeed"}}}""".formatted(name, name, state);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                arguments("a Map state", oneState("Fan", """
                        {"Type": "Map", "Items": "{% $states.input %}", "End": true}"""),
                        UNSUPPORTED, "State \"Fan\": type \"Map\" is not supported by the local runtime"),
                arguments("a Parallel state", oneState("Both", """
                        {"Type": "Parallel", "Branches": [], "End": true}"""),
                        UNSUPPORTED, "State \"Both\": type \"Parallel\" is not supported by the local runtime"),
                arguments("a definition without QueryLanguage, so JSONPath by default", """
                        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}""",
                        UNSUPPORTED, "State \"P\": QueryLanguage \"JSONPath\" is not supported by the local runtime"),
                arguments("a state switching to JSONPath", oneState("P", """
                        {"Type": "Pass", "QueryLanguage": "JSONPath", "End": true}"""),
                        UNSUPPORTED, "State \"P\": QueryLanguage \"JSONPath\" is not supported"),
                arguments("a JSONPath-only field", oneState("P", """
                        {"Type": "Pass", "ResultPath": "$.x", "End": true}"""),
                        UNSUPPORTED, "State \"P\": field \"ResultPath\" is not supported in a Pass state"),
                arguments("a field of a state type the runtime does not run", oneState("X", """
                        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ItemsPath": "$.items",
                         "Arguments": {"FunctionName": "f", "Payload": {}}, "End": true}"""),
                        UNSUPPORTED, "State \"X\": field \"ItemsPath\" is not supported"),
                arguments("a Task resource other than Lambda invoke", oneState("Notify", """
                        {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                         "Arguments": {"TopicArn": "t", "Message": "m"}, "End": true}"""),
                        UNSUPPORTED, "State \"Notify\": Resource \"arn:aws:states:::sns:publish\" is not supported"),
                arguments("an invoke argument other than FunctionName and Payload", oneState("T", """
                        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                         "Arguments": {"FunctionName": "f", "Payload": {}, "Qualifier": "live"}, "End": true}"""),
                        UNSUPPORTED, "State \"T\": field \"Arguments/Qualifier\" is not supported in a Task state"),
                arguments("a top-level field outside the subset", """
                        {"QueryLanguage": "JSONata", "Version": "1.0", "StartAt": "P",
                         "States": {"P": {"Type": "Pass", "End": true}}}""",
                        UNSUPPORTED, "The top-level field \"Version\" of the definition is not supported"),
                arguments("an unknown query language", """
                        {"QueryLanguage": "XPath", "StartAt": "P", "States": {"P": {"Type": "Pass",
                         "QueryLanguage": "JSONata", "End": true}}}""",
                        INVALID, "The definition's \"QueryLanguage\" must be \"JSONata\" or \"JSONPath\", got \"XPath\""),
                arguments("a Next naming no state", oneState("P", """
                        {"Type": "Pass", "Next": "Nowhere"}"""),
                        INVALID, "State \"P\": field \"Next\" names state \"Nowhere\", which does not exist"),
                arguments("a Default naming no state", oneState("C", """
                        {"Type": "Choice", "Choices": [{"Condition": "{% true %}", "Next": "Done"}],
                         "Default": "Nowhere"}"""),
                        INVALID, "State \"C\": field \"Default\" names state \"Nowhere\", which does not exist"),
                arguments("a Catch naming no state", oneState("T", """
                        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                         "Arguments": {"FunctionName": "f", "Payload": {}}, "End": true,
                         "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Nowhere"}]}"""),
                        INVALID, "State \"T\": field \"Catch[0]/Next\" names state \"Nowhere\", which does not exist"),
                arguments("a StartAt naming no state", """
                        {"QueryLanguage": "JSONata", "StartAt": "Begin", "States": {"P": {"Type": "Pass", "End": true}}}""",
                        INVALID, "StartAt \"Begin\" names no state of the definition"),
                arguments("a Pass state with neither Next nor End", oneState("P", """
                        {"Type": "Pass"}"""),
                        INVALID, "State \"P\": a Pass state needs \"Next\" or \"End\": true"),
                arguments("a state nothing leads to", """
                        {"QueryLanguage": "JSONata", "StartAt": "P",
                         "States": {"P": {"Type": "Pass", "End": true}, "Orphan": {"Type": "Succeed"}}}""",
                        INVALID, "State \"Orphan\" cannot be reached from StartAt \"P\""),
                arguments("States.ALL in a retrier before the last", oneState("T", """
                        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                         "Arguments": {"FunctionName": "f", "Payload": {}}, "End": true,
                         "Retry": [{"ErrorEquals": ["States.ALL"]}, {"ErrorEquals": ["Boom"]}]}"""),
                        INVALID, "State \"T\": field \"Retry[0]/ErrorEquals\": \"States.ALL\" must appear alone,"
                                + " in the last element of Retry"),
                arguments("States.ALL beside another error name", oneState("T", """
                        {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                         "Arguments": {"FunctionName": "f", "Payload": {}}, "End": true,
                         "Catch": [{"ErrorEquals": ["Boom", "States.ALL"], "Next": "Done"}]}"""),
                        INVALID, "State \"T\": field \"Catch[0]/ErrorEquals\": \"States.ALL\" must appear alone"),
                arguments("a JSONata syntax error", oneState("P", """
                        {"Type": "Pass", "Output": {"v": "{% 1 + %}"}, "End": true}"""),
                        INVALID, "State \"P\": field \"Output/v\" holds an invalid JSONata expression '1 +'"),
                arguments("a Wait with both Seconds and Timestamp", oneState("W", """
                        {"Type": "Wait", "Seconds": 1, "Timestamp": "2025-01-01T00:00:00Z", "End": true}"""),
                        INVALID, "State \"W\": a Wait state needs exactly one of \"Seconds\" and \"Timestamp\""),
                arguments("a negative wait", oneState("W", """
                        {"Type": "Wait", "Seconds": -1, "End": true}"""),
                        INVALID, "State \"W\": field \"Seconds\" must be a whole number of seconds from 0 to 99999999"),
                arguments("a variable named like the reserved $states", oneState("P", """
                        {"Type": "Pass", "Assign": {"states": 1}, "End": true}"""),
                        INVALID, "State \"P\": field \"Assign/states\" is not a valid variable name"),
                arguments("text that is not JSON", "{\"StartAt\": ",
                        INVALID, "The definition is not valid JSON"));
    }

    @ParameterizedTest(name = "refuses {0}")
    @MethodSource("refusals")
    void refusesWithAMessageNamingTheStateAndTheFeature(String description, String definition,
                                                        Class<? extends InvalidDefinitionException> expected,
                                                        String message) {
        InvalidDefinitionException refusal =
                assertThrowsExactly(expected, () -> StateMachineDefinition.load(definition, Map.of()));

        assertTrue(refusal.getMessage().startsWith(message), () -> "message was: " + refusal.getMessage());
    }

    @Test
    void aPlaceholderWithoutASubstitutionIsRefusedNamingEachMissingPlaceholder() {
        String definition = """
                {"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {
                  "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                  "Arguments": {"FunctionName": "${DeployFunctionArn}", "Payload": {"topic": "${TopicArn}",
                                "table": "${TableName}"}}}}}""";

        InvalidDefinitionException refusal = assertThrowsExactly(INVALID, () ->
                StateMachineDefinition.load(definition, Map.of("TableName", "rollouts")));

        assertEquals("The definition uses placeholders ${DeployFunctionArn}, ${TopicArn} with no value in the"
                + " substitutions", refusal.getMessage());
    }

    @Test
    void placeholdersAreReplacedEverywhereInTheTextAsSAMsDefinitionSubstitutionsDo() {
        String definition = """
                {"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {
                  "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                  "Arguments": {"FunctionName": "${DeployFunctionArn}",
                                "Payload": {"again": "${DeployFunctionArn}", "price": "${Price}"}}}}}""";
        LocalRuntime runtime = new LocalRuntime();
        List<String> invoked = new ArrayList<>();
        StateMachineDefinition loaded = StateMachineDefinition.load(definition,
                Map.of("DeployFunctionArn", "arn:aws:lambda:eu-west-1:123456789012:function:deploy", "Price", "$5"));
        LocalStepFunctions machine = new LocalStepFunctions(loaded, LocalRuntime.STATE_MACHINE_ARN, runtime.clock,
                (function, payload) -> {
                    invoked.add(function + " " + payload);
                    return payload;
                });

        runtime.run(machine, "{}");

        assertEquals(List.of("arn:aws:lambda:eu-west-1:123456789012:function:deploy"
                + " {\"again\":\"arn:aws:lambda:eu-west-1:123456789012:function:deploy\",\"price\":\"$5\"}"), invoked);
    }

    @Test
    void aDefinitionInTheSupportedSubsetLoadsWithEveryFieldTheSubsetNames() {
        String definition = """
                {"Comment": "every supported field once", "QueryLanguage": "JSONata", "TimeoutSeconds": 3600,
                 "StartAt": "Prepare", "States": {
                  "Prepare": {"Type": "Pass", "Comment": "c", "Assign": {"step": 0}, "Output": {"a": 1},
                              "Next": "Invoke"},
                  "Invoke": {"Type": "Task", "QueryLanguage": "JSONata",
                             "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                             "Arguments": {"FunctionName": "f", "Payload": {"token": "{% $states.context.Task.Token %}"}},
                             "TimeoutSeconds": "{% 60 * 5 %}",
                             "Retry": [{"ErrorEquals": ["Throttled"], "IntervalSeconds": 2, "MaxAttempts": 5,
                                        "BackoffRate": 1.5, "MaxDelaySeconds": 30, "JitterStrategy": "NONE",
                                        "Comment": "c"}],
                             "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed", "Comment": "c",
                                        "Output": "{% $states.errorOutput %}", "Assign": {"why": "x"}}],
                             "Assign": {"r": "{% $states.result %}"}, "Output": "{% $states.result %}",
                             "Next": "Pause"},
                  "Pause": {"Type": "Wait", "Seconds": "{% 10 %}", "Assign": {}, "Output": {}, "Next": "Later"},
                  "Later": {"Type": "Wait", "Timestamp": "2030-01-01T00:00:00Z", "Next": "Decide"},
                  "Decide": {"Type": "Choice", "Assign": {"d": 1}, "Output": {},
                             "Choices": [{"Condition": "{% $d = 1 %}", "Next": "Done", "Comment": "c",
                                          "Output": {}, "Assign": {"e": 2}}],
                             "Default": "Failed"},
                  "Done": {"Type": "Succeed", "Output": {"ok": true}},
                  "Failed": {"Type": "Fail", "Error": "{% 'Rollout.' & 'Failed' %}", "Cause": "because"}}}""";

        StateMachineDefinition loaded = StateMachineDefinition.load(definition, Map.of());

        assertEquals("Prepare", loaded.startAt());
        assertEquals(Set.of("Prepare", "Invoke", "Pause", "Later", "Decide", "Done", "Failed"), loaded.stateNames());
        assertEquals(3600, loaded.timeout().orElseThrow().getSeconds());
    }
}
