package rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rollout.local.aws.AwsAssertions.assertAwsError;

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
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InMemoryStepFunctionsTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private final ManualClock clock = new ManualClock(NOW);
    private final List<StartedExecution> ran = new ArrayList<>();
    private ExecutionStatus status = ExecutionStatus.RUNNING;
    private final InMemoryStepFunctions stepFunctions = new InMemoryStepFunctions(clock, AwsAccount.DEFAULT,
            execution -> {
                ran.add(execution);
                return () -> status;
            });
    private final String rollout = stepFunctions.addStateMachine("rollout");

    private StartExecutionResponse start(String name, String input) {
        return stepFunctions.startExecution(request -> request.stateMachineArn(rollout).name(name).input(input));
    }

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
}
