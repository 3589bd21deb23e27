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
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
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

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
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
    void an_accepted_execution_is_handed_to_the_runner_with_its_arn_name_input_and_start() {
        StartExecutionResponse response = start("orders-live-v2", "{\"targetVersion\":\"2\"}");

        assertEquals("arn:aws:states:us-east-1:123456789012:execution:rollout:orders-live-v2", response.executionArn());
        assertEquals(NOW, response.startDate());
        assertEquals(List.of(new StartedExecution(response.executionArn(), rollout, "orders-live-v2",
                "{\"targetVersion\":\"2\"}", NOW)), ran);
        assertEquals(ran, stepFunctions.executions());
    }

    @Test
    void a_repeated_start_of_a_running_execution_with_the_same_input_returns_the_first_answer_and_runs_nothing() {
        StartExecutionResponse first = start("orders-live-v2", "{}");
        clock.advance(Duration.ofMinutes(3));

        StartExecutionResponse again = start("orders-live-v2", "{}");

        assertEquals(first.executionArn(), again.executionArn());
        assertEquals(first.startDate(), again.startDate());
        assertEquals(1, ran.size());
    }

    @Test
    void a_repeated_start_with_another_input_is_refused_even_while_the_first_runs() {
        start("orders-live-v2", "{}");
        assertAwsError(ExecutionAlreadyExistsException.class, 400, "ExecutionAlreadyExists",
                () -> start("orders-live-v2", "{\"comment\":\"again\"}"));
        assertEquals(1, ran.size());
    }

    @Test
    void a_repeated_start_after_the_execution_ended_is_refused_whatever_the_input() {
        start("orders-live-v2", "{}");
        status = ExecutionStatus.SUCCEEDED;
        ExecutionAlreadyExistsException refused = assertAwsError(ExecutionAlreadyExistsException.class, 400,
                "ExecutionAlreadyExists", () -> start("orders-live-v2", "{}"));
        assertTrue(refused.getMessage().contains("execution:rollout:orders-live-v2"), refused.getMessage());
        assertEquals(1, ran.size());
    }

    @Test
    void a_start_without_name_or_input_gets_a_generated_name_and_empty_input() {
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
    void execution_names_follow_step_functions_rules(String what, String name) {
        assertAwsError(InvalidNameException.class, 400, "InvalidName", () -> start(name, "{}"));
        assertTrue(ran.isEmpty());
    }

    @Test
    void a_name_of_80_allowed_characters_is_accepted() {
        start("n".repeat(80), "{}");
        assertEquals(1, ran.size());
    }

    @Test
    void the_input_must_be_one_json_document() {
        assertAwsError(InvalidExecutionInputException.class, 400, "InvalidExecutionInput", () -> start("a", "{"));
        assertAwsError(InvalidExecutionInputException.class, 400, "InvalidExecutionInput", () -> start("b", "{} {}"));
        assertAwsError(InvalidExecutionInputException.class, 400, "InvalidExecutionInput", () -> start("c", ""));
        assertTrue(ran.isEmpty());
    }

    @Test
    void the_input_may_be_at_most_256_kib_of_utf8() {
        String justFits = "\"" + "x".repeat(262_144 - 2) + "\"";
        start("fits", justFits);
        assertAwsError(ValidationException.class, 400, "ValidationException",
                () -> start("too-long", "\"" + "é".repeat(131_072) + "\""));
        assertEquals(1, ran.size());
    }

    @Test
    void the_state_machine_must_exist_and_be_named_by_its_arn() {
        assertAwsError(StateMachineDoesNotExistException.class, 400, "StateMachineDoesNotExist",
                () -> stepFunctions.startExecution(request -> request
                        .stateMachineArn(AwsAccount.DEFAULT.arn("states", "stateMachine:other"))));
        assertAwsError(InvalidArnException.class, 400, "InvalidArn",
                () -> stepFunctions.startExecution(request -> request.stateMachineArn("rollout")));
        assertTrue(ran.isEmpty());
    }

    @Test
    void executions_of_different_state_machines_may_share_a_name() {
        String other = stepFunctions.addStateMachine("other");
        start("orders-live-v2", "{}");
        stepFunctions.startExecution(request -> request.stateMachineArn(other).name("orders-live-v2").input("{}"));
        assertEquals(2, ran.size());
    }

    @Test
    void an_injected_throttle_fails_the_call_as_the_sdk_reports_it_and_starts_nothing() {
        stepFunctions.faults().failNext("StartExecution", 1, StepFunctionsErrors::throttled);
        SfnException throttled = assertAwsError(SfnException.class, 400, "ThrottlingException",
                () -> start("orders-live-v2", "{}"));
        assertTrue(throttled.isThrottlingException());
        assertTrue(ran.isEmpty());
        start("orders-live-v2", "{}");
        assertEquals(1, ran.size());
    }

    @Test
    void trace_headers_are_not_modelled_and_say_so() {
        assertThrows(UnsupportedOperationException.class, () -> stepFunctions.startExecution(request -> request
                .stateMachineArn(rollout).traceHeader("Root=1-5759e988-bd862e3fe1be46a994272793")));
    }

    // ---- SendTaskSuccess and SendTaskFailure ----

    @Test
    void a_success_closes_the_task_and_is_recorded_with_its_output() {
        String token = ledger.issue();

        stepFunctions.sendTaskSuccess(r -> r.taskToken(token).output("{\"approved\": true}"));

        assertFalse(ledger.isWaiting(token));
        TaskAnswer.Success answer = (TaskAnswer.Success) stepFunctions.answer(token).orElseThrow();
        assertTrue(answer.output().path("approved").asBoolean());
        assertEquals(NOW, answer.at());
    }

    @Test
    void a_token_is_answered_once_and_then_counts_as_timed_out() {
        String token = ledger.issue();
        stepFunctions.sendTaskFailure(r -> r.taskToken(token).error("Rollout.Rejected").cause("rejected by Bo"));

        assertAwsError(TaskTimedOutException.class, 400, "TaskTimedOut",
                () -> stepFunctions.sendTaskSuccess(r -> r.taskToken(token).output("{}")));

        assertEquals(List.of(new TaskAnswer.Failure(token, "Rollout.Rejected", "rejected by Bo", NOW)),
                stepFunctions.answers());
    }

    @Test
    void a_timed_out_task_can_no_longer_be_answered() {
        String token = ledger.issue();
        ledger.timeOut(token);

        assertAwsError(TaskTimedOutException.class, 400, "TaskTimedOut",
                () -> stepFunctions.sendTaskSuccess(r -> r.taskToken(token).output("{}")));
        assertEquals(List.of(), stepFunctions.answers());
    }

    @Test
    void a_token_never_issued_is_invalid() {
        assertAwsError(InvalidTokenException.class, 400, "InvalidToken",
                () -> stepFunctions.sendTaskFailure(r -> r.taskToken("forged").error("Rollout.Rejected")));
    }

    @Test
    void task_answers_are_checked_as_step_functions_checks_them() {
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
    void an_injected_fault_leaves_the_task_waiting() {
        String token = ledger.issue();
        stepFunctions.faults().failNext("SendTaskSuccess", 1, StepFunctionsErrors::throttled);

        SfnException throttled = assertAwsError(SfnException.class, 400, "ThrottlingException",
                () -> stepFunctions.sendTaskSuccess(r -> r.taskToken(token).output("{}")));

        assertTrue(throttled.isThrottlingException());
        assertTrue(ledger.isWaiting(token));
    }

    @Test
    void answers_go_to_whatever_holds_the_waiting_tasks() {
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
    void without_an_execution_runner_start_execution_is_refused_and_names_the_missing_runner() {
        InMemoryStepFunctions answersOnly = InMemoryStepFunctions.builder(clock).callbackTasks(ledger).build();
        String arn = answersOnly.addStateMachine("rollout");

        UnsupportedOperationException refused = assertThrows(UnsupportedOperationException.class,
                () -> answersOnly.startExecution(request -> request.stateMachineArn(arn).name("orders-live-v2")));

        assertTrue(refused.getMessage().contains("StartExecution needs an ExecutionRunner"), refused.getMessage());
        assertEquals(List.of(), answersOnly.executions());
    }

    @Test
    void without_callback_tasks_task_answers_are_refused_and_name_the_missing_tasks() {
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
