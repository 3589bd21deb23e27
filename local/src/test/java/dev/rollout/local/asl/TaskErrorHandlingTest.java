package dev.rollout.local.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.rollout.local.asl.LocalRuntime.START;
import static dev.rollout.local.asl.LocalRuntime.json;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Retry and Catch on Task states, as the States language spec orders them. */
class TaskErrorHandlingTest {

    private final LocalRuntime runtime = new LocalRuntime();

    /** States a Catch may go to; each is added to a definition that names it (unreachable states are refused). */
    private static final Map<String, String> CATCH_TARGETS = Map.of(
            "Handled", "{\"Type\": \"Pass\", \"End\": true}",
            "RollBack", "{\"Type\": \"Pass\", \"Output\": {\"went\": \"RollBack\", \"error\": \"{% $states.input.Error %}\"}, \"End\": true}",
            "Escalate", "{\"Type\": \"Pass\", \"Output\": {\"went\": \"Escalate\", \"error\": \"{% $states.input.Error %}\"}, \"End\": true}");

    /** A definition whose one task, "T", invokes function "f" with the given Retry and Catch. */
    private static String task(String retryAndCatch) {
        String targets = CATCH_TARGETS.entrySet().stream()
                .filter(target -> retryAndCatch.contains("\"" + target.getKey() + "\""))
                .map(target -> ", \"" + target.getKey() + "\": " + target.getValue())
                .collect(Collectors.joining());
        return """
                {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                        "Arguments": {"FunctionName": "f", "Payload": {"attempt": "{% $states.context.State.RetryCount %}"}},
                """ + retryAndCatch + " \"End\": true}" + targets + "}}";
    }

    private static FakeFunctions.Function failing(String error) {
        return payload -> {
            throw new TaskFailedException(error, "attempt " + payload.get("attempt") + " failed");
        };
    }

    /** Seconds after the start at which each invocation happened. */
    private static List<Long> invocationOffsets(FakeFunctions functions) {
        return functions.invocations().stream()
                .map(invocation -> Duration.between(START, invocation.at()).getSeconds())
                .collect(Collectors.toList());
    }

    @Test
    void retriesBackOffOnTheVirtualClockByBackoffRateUpToMaxDelaySeconds() {
        FakeFunctions functions = new FakeFunctions(runtime.clock).with("f", failing("Throttled"));
        ExecutionHandle execution = runtime.run(runtime.machine(task("""
                "Retry": [{"ErrorEquals": ["Throttled"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 4,
                           "MaxDelaySeconds": 30}],"""), functions), "{}");

        assertEquals(List.of(0L, 2L, 8L, 26L, 56L), invocationOffsets(functions));
        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("Throttled", execution.error().orElseThrow());
        assertEquals("attempt 4 failed", execution.cause().orElseThrow());
    }

    @Test
    void withFullJitterEachRetryWaitsBetweenZeroAndTheComputedDelayTheSameOnEveryRun() {
        String definition = task("""
                "Retry": [{"ErrorEquals": ["Throttled"], "IntervalSeconds": 8, "BackoffRate": 2, "MaxAttempts": 3,
                           "JitterStrategy": "FULL"}],""");
        FakeFunctions functions = new FakeFunctions(runtime.clock).with("f", failing("Throttled"));
        runtime.run(runtime.machine(definition, functions), "{}");
        List<Long> offsets = invocationOffsets(functions);
        List<Long> computed = List.of(8L, 16L, 32L);
        for (int i = 0; i < computed.size(); i++) {
            long waited = offsets.get(i + 1) - offsets.get(i);
            assertTrue(waited >= 0 && waited <= computed.get(i), "retry " + i + " waited " + waited + " s");
        }
        assertTrue(offsets.get(3) < 8 + 16 + 32, "the waits are drawn, not all at their maximum: " + offsets);

        LocalRuntime again = new LocalRuntime();
        FakeFunctions replayed = new FakeFunctions(again.clock).with("f", failing("Throttled"));
        again.run(again.machine(definition, replayed), "{}");
        assertEquals(offsets, invocationOffsets(replayed));
    }

    @Test
    void aRetriersDefaultsAreOneSecondDoublingThreeRetries() {
        FakeFunctions functions = new FakeFunctions(runtime.clock).with("f", failing("Throttled"));
        runtime.run(runtime.machine(task("\"Retry\": [{\"ErrorEquals\": [\"States.ALL\"]}],"), functions), "{}");

        assertEquals(List.of(0L, 1L, 3L, 7L), invocationOffsets(functions));
    }

    @Test
    void maxAttemptsZeroNeverRetries() {
        FakeFunctions functions = new FakeFunctions(runtime.clock).with("f", failing("Throttled"));
        runtime.run(runtime.machine(task("\"Retry\": [{\"ErrorEquals\": [\"Throttled\"], \"MaxAttempts\": 0}],"),
                functions), "{}");

        assertEquals(List.of(0L), invocationOffsets(functions));
    }

    @Test
    void onceMaxAttemptsAreSpentCatchTakesOverAndTheNextStateReceivesTheErrorOutput() {
        FakeFunctions functions = new FakeFunctions(runtime.clock).with("f", failing("Boom"));
        ExecutionHandle execution = runtime.run(runtime.machine(task("""
                "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 2}],
                "Catch": [{"ErrorEquals": ["Boom"], "Next": "Handled"}],"""), functions), "{}");

        assertEquals(3, functions.invocations().size());
        assertEquals(json("{\"Error\": \"Boom\", \"Cause\": \"attempt 2 failed\"}"), execution.output().orElseThrow());
    }

    @Test
    void eachRetrierCountsItsOwnRetriesAndOnlyTheFirstMatchingRetrierIsConsulted() {
        Iterator<String> errors = List.of("A", "B", "A", "B").iterator();
        FakeFunctions functions = new FakeFunctions(runtime.clock).with("f", payload -> {
            throw new TaskFailedException(errors.next(), "failed");
        });
        ExecutionHandle execution = runtime.run(runtime.machine(task("""
                "Retry": [{"ErrorEquals": ["A"], "MaxAttempts": 1}, {"ErrorEquals": ["B"], "MaxAttempts": 1},
                          {"ErrorEquals": ["A", "B"], "MaxAttempts": 5}],"""), functions), "{}");

        assertEquals(3, functions.invocations().size(), "A retried once, B retried once, then A again is final");
        assertEquals("A", execution.error().orElseThrow());
    }

    @ParameterizedTest(name = "a task failing with {0} goes to {1}")
    @CsvSource({"Rollout.AlarmTriggered, RollBack", "Rollout.HookFailed, Escalate",
                "java.lang.IllegalStateException, Escalate"})
    void namedErrorsBeforeStatesAll(String error, String expectedState) {
        FakeFunctions functions = new FakeFunctions(runtime.clock).with("f", failing(error));
        ExecutionHandle execution = runtime.run(runtime.machine(task("""
                "Catch": [{"ErrorEquals": ["Rollout.AlarmTriggered"], "Next": "RollBack"},
                          {"ErrorEquals": ["States.ALL"], "Next": "Escalate"}],"""), functions), "{}");

        assertEquals(json("{\"went\": \"" + expectedState + "\", \"error\": \"" + error + "\"}"),
                execution.output().orElseThrow());
    }

    @Test
    void statesTaskFailedCatchesAFunctionsError() {
        FakeFunctions functions = new FakeFunctions(runtime.clock).with("f", failing("Rollout.Conflict"));
        ExecutionHandle execution = runtime.run(runtime.machine(task("""
                "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "RollBack"}],"""), functions), "{}");

        assertEquals(json("{\"went\": \"RollBack\", \"error\": \"Rollout.Conflict\"}"), execution.output().orElseThrow());
    }

    @Test
    void anUncaughtTaskFailureFailsTheExecutionWithTheTasksErrorAndCause() {
        FakeFunctions functions = new FakeFunctions(runtime.clock).with("f", failing("Rollout.InvalidInput"));
        ExecutionHandle execution = runtime.run(runtime.machine(task("""
                "Catch": [{"ErrorEquals": ["Rollout.AlarmTriggered"], "Next": "RollBack"}],"""), functions), "{}");

        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("Rollout.InvalidInput", execution.error().orElseThrow());
        assertEquals("attempt 0 failed", execution.cause().orElseThrow());
    }

    @Test
    void anExceptionEscapingTheInvokerFailsTheTaskAsLambdaReportsAnUnhandledJavaException() {
        ExecutionHandle execution = runtime.run(runtime.machine(task("""
                "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handled"}],"""), (function, payload) -> {
                    throw new IllegalStateException("alias live not found");
                }), "{}");

        assertEquals(json("{\"Error\": \"java.lang.IllegalStateException\", \"Cause\": \"alias live not found\"}"),
                execution.output().orElseThrow());
    }

    @Test
    void aCatchersOutputAndAssignSeeStatesErrorOutputAndItsAssignReachesLaterStates() {
        FakeFunctions functions = new FakeFunctions(runtime.clock).with("f", failing("Boom"));
        ExecutionHandle execution = runtime.run(runtime.machine("""
                {"QueryLanguage": "JSONata", "StartAt": "T", "States": {
                  "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                        "Arguments": {"FunctionName": "f", "Payload": {"attempt": 0}},
                        "Assign": {"never": "assigned on failure"},
                        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Report",
                                   "Output": {"why": "{% $states.errorOutput.Cause %}"},
                                   "Assign": {"failedIn": "{% $states.context.State.Name %}"}}],
                        "End": true},
                  "Report": {"Type": "Pass", "End": true, "Output": {
                    "input": "{% $states.input %}", "failedIn": "{% $failedIn %}", "never": "{% $exists($never) %}"}}}}""",
                functions), "{}");

        assertEquals(json("{\"input\": {\"why\": \"attempt 0 failed\"}, \"failedIn\": \"T\", \"never\": false}"),
                execution.output().orElseThrow());
    }

    @Test
    void statesContextStateRetryCountCountsTheRetriesOfTheStateSoFar() {
        Iterator<Boolean> fails = List.of(true, true, false).iterator();
        FakeFunctions functions = new FakeFunctions(runtime.clock).with("f", payload -> {
            if (fails.next()) {
                throw new TaskFailedException("Throttled", "slow down");
            }
            return json("{\"ok\": true}");
        });
        ExecutionHandle execution = runtime.run(runtime.machine(task(
                "\"Retry\": [{\"ErrorEquals\": [\"Throttled\"]}], \"Output\": \"{% $states.result.Payload %}\","),
                functions), "{}");

        assertEquals(List.of(json("{\"attempt\": 0}"), json("{\"attempt\": 1}"), json("{\"attempt\": 2}")),
                functions.invocations().stream().map(FakeFunctions.Invocation::payload).collect(Collectors.toList()));
        assertEquals(json("{\"ok\": true}"), execution.output().orElseThrow());
    }

    @Test
    void aFunctionThatNeverReturnsEndsWithStatesTimeoutOnceTheStatesTimeoutSecondsPass() {
        FakeFunctions functions = new FakeFunctions(runtime.clock).with("f", payload -> {
            throw new FunctionHungException("f");
        });
        ExecutionHandle execution = runtime.run(runtime.machine(task("""
                "TimeoutSeconds": 45,
                "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "RollBack"}],"""), functions), "{}");

        assertEquals(ExecutionStatus.SUCCEEDED, execution.status());
        assertEquals(json("{\"went\": \"RollBack\", \"error\": \"States.Timeout\"}"), execution.output().orElseThrow());
        assertEquals(1, LocalRuntime.events(execution, HistoryEventType.TASK_TIMED_OUT).size());
        assertEquals(START.plusSeconds(45), runtime.clock.instant());
    }
}
