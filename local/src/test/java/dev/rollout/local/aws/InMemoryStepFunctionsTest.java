package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.rollout.local.aws.AwsAssertions.assertAwsError;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

class InMemoryStepFunctionsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private final ManualClock clock = new ManualClock(NOW);
    private final List<StartedExecution> ran = new ArrayList<>();
    private ExecutionStatus status = ExecutionStatus.RUNNING;
    private final TaskTokenLedger ledger = new TaskTokenLedger();
    private final InMemoryStepFunctions stepFunctions = InMemoryStepFunctions.builder(clock)
            .executionRunner(execution -> {
                ran.add(execution);
                return () -> status;
            })
            .callbackTasks(ledger)
            .build();
    private final String rollout = stepFunctions.addStateMachine("rollout");

    private StartExecutionResponse start(String name, String input) {
        return stepFunctions.startExecution(request -> request.stateMachineArn(rollout).name(name).input(input));
    }

    // ---- StartExecution ----

    @Test
    void anAcceptedExecutionIsHandedToTheRunnerWithItsArnNameInputAndStart() {
        StartExecutionResponse response = start("orders-live-v2", "{\"targetVersion\":\"2\"}");

        assertEquals("arn:aws:states:us-east-1:123456789012:execution:rollout:orders-live-v2", response.executionArn());
        assertEquals(NOW, response.startDate());
        assertEquals(List.of(new StartedExecution(response.executionArn(), rollout, "orders-live-v2",
                "{\"targetVersion\":\"2\"}", NOW)), ran);
        assertEquals(ran, stepFunctions.executions());
    }

    @Test
    void aRepeatedStartOfARunningExecutionWithTheSameInputReturnsTheFirstAnswerAndRunsNothing() {
        StartExecutionResponse first = start("orders-live-v2", "{}");
        clock.advance(Duration.ofMinutes(3));

        StartExecutionResponse again = start("orders-live-v2", "{}");

        assertEquals(first.executionArn(), again.executionArn());
        assertEquals(first.startDate(), again.startDate());
        assertEquals(1, ran.size());
    }

    @Test
    void aRepeatedStartWithAnotherInputIsRefusedEvenWhileTheFirstRuns() {
        start("orders-live-v2", "{}");
        assertAwsError(ExecutionAlreadyExistsException.class, 400, "ExecutionAlreadyExists",
                () -> start("orders-live-v2", "{\"comment\":\"again\"}"));
        assertEquals(1, ran.size());
    }

    @Test
    void aRepeatedStartAfterTheExecutionEndedIsRefusedWhateverTheInput() {
        start("orders-live-v2", "{}");
        status = ExecutionStatus.SUCCEEDED;
        ExecutionAlreadyExistsException refused = assertAwsError(ExecutionAlreadyExistsException.class, 400,
                "ExecutionAlreadyExists", () -> start("orders-live-v2", "{}"));
        assertTrue(refused.getMessage().contains("execution:rollout:orders-live-v2"), refused.getMessage());
        assertEquals(1, ran.size());
    }

    @Test
    void aStartWithoutNameOrInputGetsAGeneratedNameAndEmptyInput() {
        StartExecutionResponse response = stepFunctions.startExecution(request -> request.stateMachineArn(rollout));
        assertTrue(response.executionArn().matches(".*:execution:rollout:[0-9a-f-]{36}"), response.executionArn());
        assertEquals("{}", ran.get(0).input());
    }

    static Stream<Arguments> invalidNames() {
        return Stream.of(
                Arguments.of("an empty name", ""),
                Arguments.of("a name longer than 80 characters", "n".repeat(81)),
                Arguments.of("whitespace", "orders live"),
                Arguments.of("brackets", "orders[live]"),
                Arguments.of("wildcards", "orders*"),
                Arguments.of("a colon, which would break the execution ARN", "orders:live"),
                Arguments.of("a slash", "orders/live"),
                Arguments.of("a dollar sign", "orders-$LATEST"),
                Arguments.of("a control character", "orders\u0007"));
    }

    @ParameterizedTest(name = "a name with {0} is refused")
    @MethodSource("invalidNames")
    void executionNamesFollowStepFunctionsRules(String what, String name) {
        assertAwsError(InvalidNameException.class, 400, "InvalidName", () -> start(name, "{}"));
        assertTrue(ran.isEmpty());
    }

    @Test
    void aNameOf80AllowedCharactersIsAccepted() {
        start("n".repeat(80), "{}");
        assertEquals(1, ran.size());
    }

    @Test
    void theInputMustBeOneJsonDocument() {
        assertAwsError(InvalidExecutionInputException.class, 400, "InvalidExecutionInput", () -> start("a", "{"));
        assertAwsError(InvalidExecutionInputException.class, 400, "InvalidExecutionInput", () -> start("b", "{} {}"));
        assertAwsError(InvalidExecutionInputException.class, 400, "InvalidExecutionInput", () -> start("c", ""));
        assertTrue(ran.isEmpty());
    }

    @Test
    void theInputMayBeAtMost256KibOfUtf8() {
        String justFits = "\"" + "x".repeat(262_144 - 2) + "\"";
        start("fits", justFits);
        assertAwsError(ValidationException.class, 400, "ValidationException",
                () -> start("too-long", "\"" + "é".repeat(131_072) + "\""));
        assertEquals(1, ran.size());
    }

    @Test
    void theStateMachineMustExistAndBeNamedByItsArn() {
        assertAwsError(StateMachineDoesNotExistException.class, 400, "StateMachineDoesNotExist",
                () -> stepFunctions.startExecution(request -> request
                        .stateMachineArn(AwsAccount.DEFAULT.arn("states", "stateMachine:other"))));
        assertAwsError(InvalidArnException.class, 400, "InvalidArn",
                () -> stepFunctions.startExecution(request -> request.stateMachineArn("rollout")));
        assertTrue(ran.isEmpty());
    }

    @Test
    void executionsOfDifferentStateMachinesMayShareAName() {
        String other = stepFunctions.addStateMachine("other");
        start("orders-live-v2", "{}");
        stepFunctions.startExecution(request -> request.stateMachineArn(other).name("orders-live-v2").input("{}"));
        assertEquals(2, ran.size());
    }

    @Test
    void anInjectedThrottleFailsTheCallAsTheSdkReportsItAndStartsNothing() {
        stepFunctions.faults().failNext("StartExecution", 1, StepFunctionsErrors::throttled);
        SfnException throttled = assertAwsError(SfnException.class, 400, "ThrottlingException",
                () -> start("orders-live-v2", "{}"));
        assertTrue(throttled.isThrottlingException());
        assertTrue(ran.isEmpty());
        start("orders-live-v2", "{}");
        assertEquals(1, ran.size());
    }

    @Test
    void traceHeadersAreNotModelledAndSaySo() {
        assertThrows(UnsupportedOperationException.class, () -> stepFunctions.startExecution(request -> request
                .stateMachineArn(rollout).traceHeader("Root=1-5759e988-bd862e3fe1be46a994272793")));
    }

    // ---- SendTaskSuccess and SendTaskFailure ----

    @Test
    void aSuccessClosesTheTaskAndIsRecordedWithItsOutput() {
        String token = ledger.issue();

        stepFunctions.sendTaskSuccess(r -> r.taskToken(token).output("{\"approved\": true}"));

        assertFalse(ledger.isWaiting(token));
        TaskAnswer.Success answer = (TaskAnswer.Success) stepFunctions.answer(token).orElseThrow();
        assertTrue(answer.output().path("approved").asBoolean());
        assertEquals(NOW, answer.at());
    }

    @Test
    void aTokenIsAnsweredOnceAndThenCountsAsTimedOut() {
        String token = ledger.issue();
        stepFunctions.sendTaskFailure(r -> r.taskToken(token).error("Rollout.Rejected").cause("rejected by Bo"));

        assertAwsError(TaskTimedOutException.class, 400, "TaskTimedOut",
                () -> stepFunctions.sendTaskSuccess(r -> r.taskToken(token).output("{}")));

        assertEquals(List.of(new TaskAnswer.Failure(token, "Rollout.Rejected", "rejected by Bo", NOW)),
                stepFunctions.answers());
    }

    @Test
    void aTimedOutTaskCanNoLongerBeAnswered() {
        String token = ledger.issue();
        ledger.timeOut(token);

        assertAwsError(TaskTimedOutException.class, 400, "TaskTimedOut",
                () -> stepFunctions.sendTaskSuccess(r -> r.taskToken(token).output("{}")));
        assertEquals(List.of(), stepFunctions.answers());
    }

    @Test
    void aTokenNeverIssuedIsInvalid() {
        assertAwsError(InvalidTokenException.class, 400, "InvalidToken",
                () -> stepFunctions.sendTaskFailure(r -> r.taskToken("forged").error("Rollout.Rejected")));
    }

    @Test
    void taskAnswersAreCheckedAsStepFunctionsChecksThem() {
        String token = ledger.issue();
        assertAwsError(InvalidOutputException.class, 400, "InvalidOutput",
                () -> stepFunctions.sendTaskSuccess(r -> r.taskToken(token).output("{approved: yes")));
        assertAwsError(ValidationException.class, 400, "ValidationException",
                () -> stepFunctions.sendTaskSuccess(r -> r.taskToken(token)));
        assertAwsError(ValidationException.class, 400, "ValidationException",
                () -> stepFunctions.sendTaskSuccess(r -> r.taskToken("t".repeat(2049)).output("{}")));
        assertAwsError(ValidationException.class, 400, "ValidationException",
                () -> stepFunctions.sendTaskFailure(r -> r.taskToken(token).error("E".repeat(257))));
        assertAwsError(ValidationException.class, 400, "ValidationException",
                () -> stepFunctions.sendTaskFailure(r -> r.taskToken(token).cause("c".repeat(32_769))));
        assertTrue(ledger.isWaiting(token), "a refused request leaves the task waiting");
    }

    @Test
    void anInjectedFaultLeavesTheTaskWaiting() {
        String token = ledger.issue();
        stepFunctions.faults().failNext("SendTaskSuccess", 1, StepFunctionsErrors::throttled);

        SfnException throttled = assertAwsError(SfnException.class, 400, "ThrottlingException",
                () -> stepFunctions.sendTaskSuccess(r -> r.taskToken(token).output("{}")));

        assertTrue(throttled.isThrottlingException());
        assertTrue(ledger.isWaiting(token));
    }

    @Test
    void answersGoToWhateverHoldsTheWaitingTasks() {
        List<String> routed = new ArrayList<>();
        InMemoryStepFunctions routing = InMemoryStepFunctions.builder(clock).callbackTasks(new CallbackTasks() {
            @Override
            public void succeed(String taskToken, JsonNode output) {
                routed.add("success " + taskToken + " " + output);
            }

            @Override
            public void fail(String taskToken, String error, String cause) {
                if (taskToken.equals("gone")) {
                    throw StepFunctionsErrors.taskDoesNotExist();
                }
                routed.add("failure " + taskToken + " " + error + ": " + cause);
            }
        }).build();

        routing.sendTaskSuccess(r -> r.taskToken("t1").output("{\"approved\":true}"));
        routing.sendTaskFailure(r -> r.taskToken("t2").error("Rollout.Rejected").cause("no"));
        assertAwsError(TaskDoesNotExistException.class, 400,
                "TaskDoesNotExist", () -> routing.sendTaskFailure(r -> r.taskToken("gone")));

        assertEquals(List.of("success t1 {\"approved\":true}", "failure t2 Rollout.Rejected: no"), routed);
        assertEquals(2, routing.answers().size(), "only accepted answers are recorded");
    }

    // ---- Hooks not wired ----

    @Test
    void withoutAnExecutionRunnerStartExecutionIsRefusedAndNamesTheMissingRunner() {
        InMemoryStepFunctions answersOnly = InMemoryStepFunctions.builder(clock).callbackTasks(ledger).build();
        String arn = answersOnly.addStateMachine("rollout");

        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                () -> answersOnly.startExecution(request -> request.stateMachineArn(arn).name("orders-live-v2")));

        assertTrue(refused.getMessage().contains("StartExecution needs an ExecutionRunner"), refused.getMessage());
        assertEquals(List.of(), answersOnly.executions());
    }

    @Test
    void withoutCallbackTasksTaskAnswersAreRefusedAndNameTheMissingTasks() {
        InMemoryStepFunctions startsOnly = InMemoryStepFunctions.builder(clock)
                .executionRunner(execution -> () -> status)
                .build();
        String token = ledger.issue();

        UnsupportedOperationException success = assertThrows(UnsupportedOperationException.class,
                () -> startsOnly.sendTaskSuccess(r -> r.taskToken(token).output("{}")));
        UnsupportedOperationException failure = assertThrows(UnsupportedOperationException.class,
                () -> startsOnly.sendTaskFailure(r -> r.taskToken(token).error("Rollout.Rejected")));

        assertTrue(success.getMessage().contains("SendTaskSuccess needs CallbackTasks"), success.getMessage());
        assertTrue(failure.getMessage().contains("SendTaskFailure needs CallbackTasks"), failure.getMessage());
        assertEquals(List.of(), startsOnly.answers());
        assertTrue(ledger.isWaiting(token));
    }
}
