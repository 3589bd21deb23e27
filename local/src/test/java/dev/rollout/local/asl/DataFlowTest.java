package dev.rollout.local.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.rollout.local.asl.LocalRuntime.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How data moves through an execution: $states, Output, Assign and workflow variables, as AWS defines them. */
class DataFlowTest {

    private final LocalRuntime runtime = new LocalRuntime();

    @Test
    void theExpressionsOfOneAssignAllSeeTheVariablesFromBeforeItSoTwoVariablesCanSwap() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
                  "Init": {"Type": "Pass", "Assign": {"x": 1, "y": 2}, "Next": "Swap"},
                  "Swap": {"Type": "Pass", "Assign": {"x": "{% $y %}", "y": "{% $x %}"}, "Next": "Report"},
                  "Report": {"Type": "Pass", "Output": {"x": "{% $x %}", "y": "{% $y %}"}, "End": true}}}""", "{}");

        assertEquals(json("{\"x\": 2, \"y\": 1}"), execution.output().orElseThrow());
    }

    @Test
    void aStatesOutputSeesTheVariablesAsTheyWereBeforeItsOwnAssignLaterStatesSeeTheNewOnes() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
                  "Init": {"Type": "Pass", "Assign": {"count": 1}, "Next": "Bump"},
                  "Bump": {"Type": "Pass", "Assign": {"count": "{% $count + 1 %}"},
                           "Output": {"seenByBump": "{% $count %}"}, "Next": "Report"},
                  "Report": {"Type": "Pass", "End": true,
                             "Output": {"seenByBump": "{% $states.input.seenByBump %}", "seenAfter": "{% $count %}"}}}}""",
                "{}");

        assertEquals(json("{\"seenByBump\": 1, \"seenAfter\": 2}"), execution.output().orElseThrow());
    }

    @Test
    void withoutOutputAStatePassesItsInputOnWithOutputItsOutputIsTheEvaluatedOutput() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Keep", "States": {
                  "Keep": {"Type": "Pass", "Next": "Reshape"},
                  "Reshape": {"Type": "Pass", "Output": {"id": "{% $states.input.rollout %}", "fixed": [1, "two"]},
                              "End": true}}}""", "{\"rollout\": \"r-1\", \"dropped\": true}");

        assertEquals(json("{\"id\": \"r-1\", \"fixed\": [1, \"two\"]}"), execution.output().orElseThrow());
    }

    @Test
    void aTaskWithoutOutputOutputsTheWholeInvokeResultWhichOutputAndAssignSeeAsStatesResult() {
        FakeFunctions functions = new FakeFunctions(runtime.clock)
                .with("deploy", payload -> json("{\"version\": 7}"));
        ExecutionHandle execution = runtime.run(runtime.machine("""
                {"QueryLanguage": "JSONata", "StartAt": "Deploy", "States": {
                  "Deploy": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                             "Arguments": {"FunctionName": "deploy", "Payload": {"alias": "live"}},
                             "Assign": {"deployed": "{% $states.result.Payload.version %}"}, "Next": "Report"},
                  "Report": {"Type": "Pass", "End": true,
                             "Output": {"deployed": "{% $deployed %}", "taskOutput": "{% $states.input %}"}}}}""",
                functions), "{}");

        assertEquals(json("""
                {"deployed": 7,
                 "taskOutput": {"ExecutedVersion": "$LATEST", "Payload": {"version": 7}, "StatusCode": 200}}"""),
                execution.output().orElseThrow());
        assertEquals(json("{\"alias\": \"live\"}"), functions.invocations().get(0).payload());
    }

    @Test
    void jsonValuesKeepTheirTypesThroughJSONataIntegersStayIntegersNullStaysNull() {
        String input = """
                {"int": 3, "long": 10000000000, "decimal": 1.5, "nothing": null, "yes": true,
                 "list": [1, "a", null, {"empty": []}], "object": {}}""";
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Echo", "States": {
                  "Echo": {"Type": "Pass", "End": true, "Output": {
                    "same": "{% $states.input %}",
                    "sum": "{% $states.input.int + 2 %}",
                    "half": "{% $states.input.int / 2 %}",
                    "wholeDivision": "{% 6 / 3 %}",
                    "nullField": "{% $states.input.nothing %}"}}}}""", input);

        JsonNode output = execution.output().orElseThrow();
        assertEquals(json(input), output.get("same"));
        assertTrue(output.get("same").get("int").isInt() && output.get("same").get("long").isLong());
        assertEquals(json("5"), output.get("sum"));
        assertEquals(json("1.5"), output.get("half"));
        assertEquals(json("2"), output.get("wholeDivision"));
        assertTrue(output.get("nullField").isNull());
    }

    @Test
    void statesContextNamesTheExecutionTheStateAndTheStateMachineWithVirtualTimes() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Later", "States": {
                  "Later": {"Type": "Wait", "Seconds": 90, "Next": "Look"},
                  "Look": {"Type": "Pass", "Output": "{% $states.context %}", "End": true}}}""", "{\"a\": 1}");

        assertEquals(json("""
                {"Execution": {"Id": "arn:aws:states:eu-west-1:123456789012:execution:rollout:test",
                               "Input": {"a": 1}, "Name": "test", "StartTime": "2025-01-01T00:00:00.000Z"},
                 "State": {"EnteredTime": "2025-01-01T00:01:30.000Z", "Name": "Look", "RetryCount": 0},
                 "StateMachine": {"Id": "arn:aws:states:eu-west-1:123456789012:stateMachine:rollout",
                                  "Name": "rollout"}}"""), execution.output().orElseThrow());
    }

    @Test
    void nowAndMillisReadTheVirtualClock() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Later", "States": {
                  "Later": {"Type": "Wait", "Seconds": 3600, "Next": "Look"},
                  "Look": {"Type": "Pass", "End": true, "Output": {"now": "{% $now() %}", "millis": "{% $millis() %}",
                           "hour": "{% $now('[H01]:[m01]') %}"}}}}""", "{}");

        assertEquals(json("""
                {"now": "2025-01-01T01:00:00.000Z", "millis": 1735693200000, "hour": "01:00"}"""),
                execution.output().orElseThrow());
    }

    @Test
    void anExpressionThatReturnsNothingFailsWithStatesQueryEvaluationErrorNamingExpressionAndField() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Start", "States": {
                  "Start": {"Type": "Pass", "Next": "P"},
                  "P": {"Type": "Pass", "Output": {"v": "{% $states.input.missing %}"}, "End": true}}}""", "{}");

        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("States.QueryEvaluationError", execution.error().orElseThrow());
        String cause = "An error occurred while executing the state 'P' (entered at the event id #4)."
                + " The JSONata expression '$states.input.missing' specified for the field 'Output/v'"
                + " returned nothing (undefined).";
        assertEquals(cause, execution.cause().orElseThrow());
        assertEquals(new EventDetails.EvaluationFailed("States.QueryEvaluationError", cause, "Output/v", "P"),
                LocalRuntime.events(execution, HistoryEventType.EVALUATION_FAILED).get(0).details());
    }

    @Test
    void anExpressionErrorInsideATaskIsAStatesQueryEvaluationErrorThatCatchCanHandle() {
        FakeFunctions functions = new FakeFunctions(runtime.clock);
        ExecutionHandle execution = runtime.run(runtime.machine("""
                {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                        "Arguments": {"FunctionName": "f", "Payload": {"n": "{% $number('not a number') %}"}},
                        "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Next": "Recovered"}],
                        "End": true},
                  "Recovered": {"Type": "Pass", "Output": {"error": "{% $states.input.Error %}"}, "End": true}}}""",
                functions), "{}");

        assertEquals(json("{\"error\": \"States.QueryEvaluationError\"}"), execution.output().orElseThrow());
        assertEquals(List.of(), functions.invocations());
    }

    @Test
    void aVariableHoldingJsonNullsReadsTheSameInEveryExpressionAndStateThatUsesIt() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
                  "Init": {"Type": "Pass", "Assign": {"v": {"a": null, "list": [null, 1], "deep": {"b": null}}},
                           "Next": "First"},
                  "First": {"Type": "Pass", "Next": "Second", "Output": {
                    "whole": "{% $v %}", "a": "{% $v.a %}", "list": "{% $v.list %}", "isNull": "{% $v.a = null %}",
                    "exists": "{% $exists($v.deep.b) %}"}},
                  "Second": {"Type": "Pass", "End": true, "Output": {
                    "first": "{% $states.input %}", "again": {
                    "whole": "{% $v %}", "a": "{% $v.a %}", "list": "{% $v.list %}", "isNull": "{% $v.a = null %}",
                    "exists": "{% $exists($v.deep.b) %}"}}}}}""", "{}");

        JsonNode expected = json("""
                {"whole": {"a": null, "list": [null, 1], "deep": {"b": null}}, "a": null, "list": [null, 1],
                 "isNull": true, "exists": true}""");
        assertEquals(expected, execution.output().orElseThrow().get("first"));
        assertEquals(expected, execution.output().orElseThrow().get("again"));
    }

    @Test
    void aPlainPathReadsWhatJsonataReadsMembersWholeNumbersArraysAndNothingForAMissingMember() {
        String input = """
                {"a": {"b": 1.0, "c": "text", "one": [7], "many": [{"d": 1}, {"d": 2}]}}""";
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Read", "States": {
                  "Read": {"Type": "Pass", "End": true, "Output": {
                    "plain": {"b": "{% $states.input.a.b %}", "c": "{% $states.input.a.c %}",
                              "one": "{% $states.input.a.one %}", "d": "{% $states.input.a.many.d %}"},
                    "jsonata": {"b": "{% ($states.input.a.b) %}", "c": "{% ($states.input.a.c) %}",
                                "one": "{% ($states.input.a.one) %}", "d": "{% ($states.input.a.many.d) %}"}}}}}""",
                input);

        JsonNode output = execution.output().orElseThrow();
        assertEquals(output.get("jsonata"), output.get("plain"));
        assertTrue(output.at("/plain/b").isInt(), "a whole number reads as an integer, as JSONata prints it");
        assertEquals(json("[1, 2]"), output.at("/plain/d"));

        ExecutionHandle missing = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Read", "States": {
                  "Read": {"Type": "Pass", "End": true, "Output": "{% $states.input.a.c.missing %}"}}}""", input);
        assertEquals("States.QueryEvaluationError", missing.error().orElseThrow());
    }

    @Test
    void anIndexedPathReadsWhatJsonataReadsCountingFromTheEndFlooringAndFlatteningAsTheLibraryDoes() {
        String input = """
                {"steps": [{"w": 1.0, "t": "Shift", "list": [1, 2]}, {"w": 2, "inner": {"x": "y"}}, {"w": 3}],
                 "mixed": [{"w": 1}, [{"w": 2}, {"w": 3}], {"w": 4}]}""";
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
                  "Init": {"Type": "Pass", "Next": "Read",
                           "Assign": {"s": "{% $states.input %}", "zero": 0, "one": 1, "last": -1, "half": 1.5}},
                  "Read": {"Type": "Pass", "End": true, "Output": {
                    "plain": {"w": "{% $s.steps[$zero].w %}", "t": "{% $s.steps[$zero].t %}",
                              "list": "{% $s.steps[$zero].list %}", "x": "{% $s.steps[$one].inner.x %}",
                              "whole": "{% $s.steps[$one] %}", "last": "{% $s.steps[$last].w %}",
                              "half": "{% $s.steps[$half].w %}", "mixed": "{% $s.mixed[$one].w %}",
                              "input": "{% $states.input.steps[$last].w %}"},
                    "jsonata": {"w": "{% ($s.steps[$zero].w) %}", "t": "{% ($s.steps[$zero].t) %}",
                                "list": "{% ($s.steps[$zero].list) %}", "x": "{% ($s.steps[$one].inner.x) %}",
                                "whole": "{% ($s.steps[$one]) %}", "last": "{% ($s.steps[$last].w) %}",
                                "half": "{% ($s.steps[$half].w) %}", "mixed": "{% ($s.mixed[$one].w) %}",
                                "input": "{% ($states.input.steps[$last].w) %}"}}}}}""", input);

        JsonNode output = execution.output().orElseThrow();
        assertEquals(output.get("jsonata"), output.get("plain"));
        assertEquals(json("""
                {"w": 1, "t": "Shift", "list": [1, 2], "x": "y", "whole": {"w": 2, "inner": {"x": "y"}}, "last": 3,
                 "half": 2, "mixed": [2, 3], "input": 3}"""), output.get("plain"));
        assertTrue(output.at("/plain/w").isInt(), "a whole number reads as an integer, as JSONata prints it");

        ExecutionHandle outside = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
                  "Init": {"Type": "Pass", "Assign": {"s": "{% $states.input %}", "far": 3}, "Next": "Read"},
                  "Read": {"Type": "Pass", "End": true, "Output": "{% $s.steps[$far].w %}"}}}""", input);
        assertEquals("States.QueryEvaluationError", outside.error().orElseThrow());
    }

    @Test
    void oneLoadedDefinitionRunsExecutionAfterExecutionEachWithOnlyItsOwnVariables() {
        LocalStepFunctions machine = runtime.machine("""
                {"QueryLanguage": "JSONata", "StartAt": "Check", "States": {
                  "Check": {"Type": "Pass", "Output": {"before": "{% $exists($seen) %}"}, "Next": "Mark"},
                  "Mark": {"Type": "Pass", "Assign": {"seen": "{% $states.input.before %}"}, "End": true}}}""",
                (function, payload) -> payload);

        for (String name : List.of("first", "second")) {
            ExecutionHandle execution = machine.start(name, json("{}"));
            runtime.clock.runUntil(() -> execution.status() != ExecutionStatus.RUNNING);
            assertEquals(json("{\"before\": false}"), execution.output().orElseThrow(), name);
        }
    }
}
