package dev.rollout.local.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.rollout.local.asl.LocalRuntime.START;
import static dev.rollout.local.asl.LocalRuntime.json;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tasks on lambda:invoke.waitForTaskToken: a token out, an answer back, or a timeout. */
class CallbackTaskTest {

    private static final String APPROVAL = """
            {"QueryLanguage": "JSONata", "StartAt": "AwaitApproval", "States": {
              "AwaitApproval": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                                "Arguments": {"FunctionName": "notify", "Payload": {
                                  "token": "{% $states.context.Task.Token %}", "rollout": "{% $states.input.id %}"}},
                                "TimeoutSeconds": 3600,
                                "Output": {"approval": "{% $states.result %}"},
                                "Catch": [{"ErrorEquals": ["Rollout.Rejected"], "Next": "Rejected"},
                                          {"ErrorEquals": ["States.Timeout"], "Next": "TimedOut"}],
                                "End": true},
              "Rejected": {"Type": "Pass", "End": true},
              "TimedOut": {"Type": "Pass", "End": true}}}""";

    private final LocalRuntime runtime = new LocalRuntime();
    private final FakeFunctions functions = new FakeFunctions(runtime.clock)
            .with("notify", payload -> json("{\"sent\": \"email\"}"));
    private final LocalStepFunctions machine = runtime.machine(APPROVAL, functions);

    /** Starts the approval and runs the clock until the notify function has the token. */
    private ExecutionHandle startAndAwaitToken() {
        ExecutionHandle execution = machine.start("test", json("{\"id\": \"r-1\"}"));
        runtime.clock.runUntil(() -> !functions.invocations().isEmpty());
        return execution;
    }

    private String token() {
        return functions.invocations().get(0).payload().get("token").textValue();
    }

    @Test
    void theFunctionGetsTheTokenSendTaskSuccessResumesTheTaskWithThatAnswerAsItsResult() {
        ExecutionHandle execution = startAndAwaitToken();
        runtime.clock.after(Duration.ofMinutes(10),
                () -> machine.sendTaskSuccess(token(), json("{\"approvedBy\": \"alice\"}")));

        runtime.clock.runUntilIdle();

        assertEquals(json("{\"rollout\": \"r-1\", \"token\": \"" + token() + "\"}"),
                functions.invocations().get(0).payload());
        assertEquals(json("{\"approval\": {\"approvedBy\": \"alice\"}}"), execution.output().orElseThrow());
        assertEquals(START.plus(Duration.ofMinutes(10)), execution.stopDate().orElseThrow());
        assertEquals(START.plus(Duration.ofMinutes(10)), runtime.clock.instant(), "the timeout no longer moves time");
        assertEquals(json("{\"ExecutedVersion\": \"$LATEST\", \"Payload\": {\"sent\": \"email\"}, \"StatusCode\": 200}"),
                json(LocalRuntime.events(execution, HistoryEventType.TASK_SUBMITTED).get(0)
                        .details(EventDetails.TaskSubmitted.class).output()));
    }

    @Test
    void whileItsTokenIsUnansweredTheTaskStaysSubmittedAndTheExecutionKeepsRunning() {
        ExecutionHandle execution = startAndAwaitToken();

        assertEquals(ExecutionStatus.RUNNING, execution.status());
        assertEquals(List.of(HistoryEventType.EXECUTION_STARTED, HistoryEventType.TASK_STATE_ENTERED,
                HistoryEventType.TASK_SCHEDULED, HistoryEventType.TASK_STARTED, HistoryEventType.TASK_SUBMITTED),
                LocalRuntime.types(execution));
    }

    @Test
    void sendTaskFailureFailsTheTaskWithThatErrorAndCauseAndCatchApplies() {
        ExecutionHandle execution = startAndAwaitToken();
        machine.sendTaskFailure(token(), "Rollout.Rejected", "bob: error rate too high");

        runtime.clock.runUntilIdle();

        assertEquals(json("{\"Error\": \"Rollout.Rejected\", \"Cause\": \"bob: error rate too high\"}"),
                execution.output().orElseThrow());
    }

    @Test
    void aTokenNeverAnsweredTimesOutWithStatesTimeoutAfterTimeoutSecondsAndIsVoidAfterwards() {
        ExecutionHandle execution = startAndAwaitToken();

        runtime.clock.runUntilIdle();

        assertEquals(json("{\"Error\": \"States.Timeout\","
                        + " \"Cause\": \"The task was not answered within its TimeoutSeconds (3600).\"}"),
                execution.output().orElseThrow());
        assertEquals(START.plusSeconds(3600),
                LocalRuntime.events(execution, HistoryEventType.TASK_TIMED_OUT).get(0).timestamp());
        assertThrows(TaskDoesNotExistException.class, () -> machine.sendTaskSuccess(token(), json("{}")));
    }

    @ParameterizedTest(name = "a Catch on {0} ends the execution {1}")
    @CsvSource({"States.TaskFailed, FAILED", "States.ALL, SUCCEEDED", "States.Timeout, SUCCEEDED"})
    void taskFailedDoesNotMatchTimeouts(String errorEquals, ExecutionStatus expected) {
        LocalStepFunctions timingOut = runtime.machine("""
                {"QueryLanguage": "JSONata", "StartAt": "Wait", "States": {
                  "Wait": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                           "Arguments": {"FunctionName": "notify", "Payload": "{% $states.context.Task.Token %}"},
                           "TimeoutSeconds": "{% $states.input.timeout %}",
                           "Catch": [{"ErrorEquals": ["ERROR_EQUALS"], "Next": "Caught"}], "End": true},
                  "Caught": {"Type": "Succeed"}}}""".replace("ERROR_EQUALS", errorEquals), functions);

        ExecutionHandle execution = runtime.run(timingOut, "{\"timeout\": 5}");

        assertEquals(expected, execution.status());
        assertEquals(START.plusSeconds(5), execution.stopDate().orElseThrow());
    }

    @Test
    void aTokenThisStateMachineNeverIssuedIsRefusedWithInvalidTokenException() {
        startAndAwaitToken();

        assertThrows(InvalidTokenException.class, () -> machine.sendTaskSuccess("forged", json("{}")));
        assertThrows(InvalidTokenException.class, () -> machine.sendTaskFailure("forged", "E", "c"));
    }

    @Test
    void aTokenAnsweredOnceIsRefusedTheSecondTimeWithTaskDoesNotExistException() {
        ExecutionHandle execution = startAndAwaitToken();
        machine.sendTaskSuccess(token(), json("{\"approvedBy\": \"alice\"}"));

        assertThrows(TaskDoesNotExistException.class, () -> machine.sendTaskFailure(token(), "Rollout.Rejected", "late"));
        runtime.clock.runUntilIdle();
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status());
    }

    @Test
    void aFunctionMayAnswerItsOwnTokenBeforeItReturns() {
        AtomicReference<LocalStepFunctions> self = new AtomicReference<>();
        FakeFunctions immediate = new FakeFunctions(runtime.clock).with("notify", payload -> {
            self.get().sendTaskSuccess(payload.get("token").textValue(), json("{\"approvedBy\": \"robot\"}"));
            return json("{\"sent\": \"auto\"}");
        });
        self.set(runtime.machine(APPROVAL, immediate));

        ExecutionHandle execution = runtime.run(self.get(), "{\"id\": \"r-2\"}");

        assertEquals(json("{\"approval\": {\"approvedBy\": \"robot\"}}"), execution.output().orElseThrow());
        List<HistoryEventType> types = LocalRuntime.types(execution);
        assertTrue(types.indexOf(HistoryEventType.TASK_SUBMITTED) < types.indexOf(HistoryEventType.TASK_SUCCEEDED));
    }

    @Test
    void aRetriedCallbackTaskGetsANewTokenAndTheTokenOfTheFailedAttemptIsVoid() {
        LocalStepFunctions retrying = runtime.machine("""
                {"QueryLanguage": "JSONata", "StartAt": "Wait", "States": {
                  "Wait": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                           "Arguments": {"FunctionName": "notify", "Payload": {"token": "{% $states.context.Task.Token %}"}},
                           "Retry": [{"ErrorEquals": ["Lost"]}], "End": true}}}""", functions);
        ExecutionHandle execution = retrying.start("test", json("{}"));
        runtime.clock.runUntil(() -> functions.invocations().size() == 1);
        String first = token();
        retrying.sendTaskFailure(first, "Lost", "the email bounced");

        runtime.clock.runUntil(() -> functions.invocations().size() == 2);

        String second = functions.invocations().get(1).payload().get("token").textValue();
        assertNotEquals(first, second);
        assertThrows(TaskDoesNotExistException.class, () -> retrying.sendTaskSuccess(first, json("{}")));
        retrying.sendTaskSuccess(second, json("{\"ok\": true}"));
        runtime.clock.runUntilIdle();
        assertEquals(json("{\"ok\": true}"), execution.output().orElseThrow());
    }

    @Test
    void whenTheExecutionEndsItsWaitingTokenIsVoid() {
        LocalStepFunctions bounded = runtime.machine("""
                {"QueryLanguage": "JSONata", "TimeoutSeconds": 60, "StartAt": "Wait", "States": {
                  "Wait": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                           "Arguments": {"FunctionName": "notify", "Payload": {"token": "{% $states.context.Task.Token %}"}},
                           "End": true}}}""", functions);

        ExecutionHandle execution = runtime.run(bounded, "{}");

        assertEquals(ExecutionStatus.TIMED_OUT, execution.status());
        assertThrows(TaskDoesNotExistException.class, () -> bounded.sendTaskSuccess(token(), json("{}")));
    }
}
