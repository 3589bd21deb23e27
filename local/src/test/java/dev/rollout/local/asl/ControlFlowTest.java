package dev.rollout.local.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static dev.rollout.local.asl.LocalRuntime.START;
import static dev.rollout.local.asl.LocalRuntime.json;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Choice, Wait, Succeed and Fail states, and the execution's own timeout. */
class ControlFlowTest {

    private static final String HEALTH_GATE = """
            {"QueryLanguage": "JSONata", "StartAt": "Judge", "States": {
              "Judge": {"Type": "Choice", "Default": "Promote", "Choices": [
                {"Condition": "{% $states.input.errors > 5 %}", "Next": "RollBack"},
                {"Condition": "{% $states.input.errors > 0 %}", "Next": "Watch"}]},
              "RollBack": {"Type": "Pass", "Output": {"went": "RollBack"}, "End": true},
              "Watch": {"Type": "Pass", "Output": {"went": "Watch"}, "End": true},
              "Promote": {"Type": "Pass", "Output": {"went": "Promote"}, "End": true}}}""";

    private final LocalRuntime runtime = new LocalRuntime();

    @ParameterizedTest(name = "with {0} errors the Choice goes to {1}")
    @CsvSource({"10, RollBack", "6, RollBack", "5, Watch", "1, Watch", "0, Promote"})
    void choiceTakesTheFirstRuleThatHoldsElseTheDefault(int errors, String expected) {
        ExecutionHandle execution = runtime.run(HEALTH_GATE, "{\"errors\": " + errors + "}");

        assertEquals(json("{\"went\": \"" + expected + "\"}"), execution.output().orElseThrow());
    }

    @Test
    void aMatchedRulesOutputAndAssignApplyTogetherWithTheChoiceStatesOwnAssign() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Judge", "States": {
                  "Judge": {"Type": "Choice", "Assign": {"checked": true, "verdict": "unknown"},
                            "Choices": [{"Condition": "{% $states.input.healthy %}", "Next": "Report",
                                         "Output": {"from": "rule"}, "Assign": {"verdict": "healthy"}}]},
                  "Report": {"Type": "Pass", "End": true, "Output": {
                    "input": "{% $states.input %}", "checked": "{% $checked %}", "verdict": "{% $verdict %}"}}}}""",
                "{\"healthy\": true}");

        assertEquals(json("{\"input\": {\"from\": \"rule\"}, \"checked\": true, \"verdict\": \"healthy\"}"),
                execution.output().orElseThrow());
    }

    @Test
    void aChoiceWithNoMatchingRuleAndNoDefaultFailsWithStatesNoChoiceMatched() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Judge", "States": {
                  "Judge": {"Type": "Choice", "Choices": [{"Condition": "{% false %}", "Next": "Never"}]},
                  "Never": {"Type": "Succeed"}}}""", "{}");

        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("States.NoChoiceMatched", execution.error().orElseThrow());
    }

    @Test
    void aConditionThatIsNotABooleanFailsWithStatesQueryEvaluationError() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Judge", "States": {
                  "Judge": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.errors %}", "Next": "Done"}],
                            "Default": "Done"},
                  "Done": {"Type": "Succeed"}}}""", "{\"errors\": 3}");

        assertEquals("States.QueryEvaluationError", execution.error().orElseThrow());
        assertEquals("An error occurred while executing the state 'Judge' (entered at the event id #2). The JSONata"
                + " expression '$states.input.errors' specified for the field 'Choices[0]/Condition' returned 3,"
                + " but it must be a boolean.", execution.cause().orElseThrow());
    }

    @Test
    void aWaitForSecondsComputedByAnExpressionEndsThatManyVirtualSecondsAfterItBegan() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Bake", "States": {
                  "Bake": {"Type": "Wait", "Seconds": "{% $states.input.minutes * 60 %}", "End": true}}}""",
                "{\"minutes\": 5}");

        HistoryEvent exited = LocalRuntime.events(execution, HistoryEventType.WAIT_STATE_EXITED).get(0);
        assertEquals(START.plusSeconds(300), exited.timestamp());
        assertEquals(START.plusSeconds(300), execution.stopDate().orElseThrow());
    }

    @Test
    void aOneYearWaitCostsNoWallTime() {
        ExecutionHandle execution = assertTimeout(Duration.ofSeconds(2), () -> runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Year", "States": {
                  "Year": {"Type": "Wait", "Seconds": 31536000, "End": true}}}""", "{}"));

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status());
        assertEquals(Instant.parse("2026-01-01T00:00:00Z"), runtime.clock.instant());
    }

    @ParameterizedTest(name = "a Wait until {0} ends at {1}")
    @CsvSource({"2025-01-01T06:00:00Z, 2025-01-01T06:00:00Z",
                "2025-01-01T08:00:00+02:00, 2025-01-01T06:00:00Z",
                "2024-12-31T00:00:00Z, 2025-01-01T00:00:00Z"})
    void waitUntilTimestamp(String timestamp, Instant expectedEnd) {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Until", "States": {
                  "Until": {"Type": "Wait", "Timestamp": "{% $states.input.at %}", "End": true}}}""",
                "{\"at\": \"" + timestamp + "\"}");

        assertEquals(expectedEnd, execution.stopDate().orElseThrow());
    }

    @Test
    void aWaitWhoseExpressionIsNotANumberOfSecondsFailsWithStatesQueryEvaluationError() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Bake", "States": {
                  "Bake": {"Type": "Wait", "Seconds": "{% 'soon' %}", "End": true}}}""", "{}");

        assertEquals("States.QueryEvaluationError", execution.error().orElseThrow());
        assertEquals(START, execution.stopDate().orElseThrow());
    }

    @Test
    void aFailStateComputesItsErrorAndCauseAndTheExecutionFailsWithThem() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Stop", "States": {
                  "Stop": {"Type": "Fail", "Error": "{% 'Rollout.' & $states.input.reason %}",
                           "Cause": "{% 'alarm ' & $states.input.alarm & ' fired' %}"}}}""",
                "{\"reason\": \"AlarmTriggered\", \"alarm\": \"errors-high\"}");

        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("Rollout.AlarmTriggered", execution.error().orElseThrow());
        assertEquals("alarm errors-high fired", execution.cause().orElseThrow());
        assertEquals(List.of(HistoryEventType.EXECUTION_STARTED, HistoryEventType.FAIL_STATE_ENTERED,
                HistoryEventType.EXECUTION_FAILED), LocalRuntime.types(execution));
    }

    @Test
    void aSucceedStateEndsTheExecutionWithItsOutput() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "StartAt": "Done", "States": {
                  "Done": {"Type": "Succeed", "Output": {"promoted": "{% $states.input.version %}"}}}}""",
                "{\"version\": \"3\"}");

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status());
        assertEquals(json("{\"promoted\": \"3\"}"), execution.output().orElseThrow());
    }

    @Test
    void theDefinitionsTimeoutSecondsTimesTheExecutionOutAndItsPendingWaitNoLongerMovesTheClock() {
        ExecutionHandle execution = runtime.run("""
                {"QueryLanguage": "JSONata", "TimeoutSeconds": 60, "StartAt": "Long", "States": {
                  "Long": {"Type": "Wait", "Seconds": 3600, "End": true}}}""", "{}");

        assertEquals(ExecutionStatus.TIMED_OUT, execution.status());
        assertEquals("States.Timeout", execution.error().orElseThrow());
        assertEquals(START.plusSeconds(60), execution.stopDate().orElseThrow());
        assertEquals(START.plusSeconds(60), runtime.clock.instant());
        assertEquals(List.of(HistoryEventType.EXECUTION_STARTED, HistoryEventType.WAIT_STATE_ENTERED,
                HistoryEventType.EXECUTION_TIMED_OUT), LocalRuntime.types(execution));
    }
}
