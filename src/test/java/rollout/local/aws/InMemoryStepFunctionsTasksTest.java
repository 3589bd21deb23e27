package rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static rollout.local.aws.AwsAssertions.assertAwsError;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InMemoryStepFunctionsTasksTest {

    private static final Instant NOW = Instant.parse("2025-01-06T10:00:00Z");

    private final ManualClock clock = new ManualClock(NOW);
    private final TaskTokenLedger ledger = new TaskTokenLedger();
    private final InMemoryStepFunctionsTasks sfn = new InMemoryStepFunctionsTasks(clock, ledger);

    @Test
    void a_success_closes_the_task_and_is_recorded_with_its_output() {
        String token = ledger.issue();

        sfn.sendTaskSuccess(r -> r.taskToken(token).output("{\"approved\": true}"));

        assertFalse(ledger.isWaiting(token));
        TaskAnswer.Success answer = (TaskAnswer.Success) sfn.answer(token).orElseThrow();
        assertTrue(answer.output().path("approved").asBoolean());
        assertEquals(NOW, answer.at());
    }

    @Test
    void a_token_is_answered_once_and_then_counts_as_timed_out() {
        String token = ledger.issue();
        sfn.sendTaskFailure(r -> r.taskToken(token).error("Rollout.Rejected").cause("rejected by Bo"));

        assertAwsError(TaskTimedOutException.class, 400, "TaskTimedOut",
                () -> sfn.sendTaskSuccess(r -> r.taskToken(token).output("{}")));

        assertEquals(List.of(new TaskAnswer.Failure(token, "Rollout.Rejected", "rejected by Bo", NOW)), sfn.answers());
    }

    @Test
    void a_timed_out_task_can_no_longer_be_answered() {
        String token = ledger.issue();
        ledger.timeOut(token);

        assertAwsError(TaskTimedOutException.class, 400, "TaskTimedOut",
                () -> sfn.sendTaskSuccess(r -> r.taskToken(token).output("{}")));
        assertEquals(List.of(), sfn.answers());
    }

    @Test
    void a_token_never_issued_is_invalid() {
        assertAwsError(InvalidTokenException.class, 400, "InvalidToken",
                () -> sfn.sendTaskFailure(r -> r.taskToken("forged").error("Rollout.Rejected")));
    }

    @Test
    void requests_are_checked_as_step_functions_checks_them() {
        String token = ledger.issue();
        assertAwsError(InvalidOutputException.class, 400, "InvalidOutput",
                () -> sfn.sendTaskSuccess(r -> r.taskToken(token).output("{approved: yes")));
        assertAwsError(ValidationException.class, 400, "ValidationException",
                () -> sfn.sendTaskSuccess(r -> r.taskToken(token)));
        assertAwsError(ValidationException.class, 400, "ValidationException",
                () -> sfn.sendTaskSuccess(r -> r.taskToken("t".repeat(2049)).output("{}")));
        assertAwsError(ValidationException.class, 400, "ValidationException",
                () -> sfn.sendTaskFailure(r -> r.taskToken(token).error("E".repeat(257))));
        assertAwsError(ValidationException.class, 400, "ValidationException",
                () -> sfn.sendTaskFailure(r -> r.taskToken(token).cause("c".repeat(32_769))));
        assertTrue(ledger.isWaiting(token), "a refused request leaves the task waiting");
    }

    @Test
    void injected_faults_leave_the_task_waiting() {
        String token = ledger.issue();
        sfn.faults().failNext("SendTaskSuccess", 1, StepFunctionsErrors::throttled);

        SfnException throttled = assertAwsError(SfnException.class, 400, "ThrottlingException",
                () -> sfn.sendTaskSuccess(r -> r.taskToken(token).output("{}")));

        assertTrue(throttled.isThrottlingException());
        assertTrue(ledger.isWaiting(token));
    }

    @Test
    void answers_go_to_whatever_holds_the_waiting_tasks() {
        List<String> routed = new ArrayList<>();
        InMemoryStepFunctionsTasks routing = new InMemoryStepFunctionsTasks(clock, new CallbackTasks() {
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
        });

        routing.sendTaskSuccess(r -> r.taskToken("t1").output("{\"approved\":true}"));
        routing.sendTaskFailure(r -> r.taskToken("t2").error("Rollout.Rejected").cause("no"));
        assertAwsError(TaskDoesNotExistException.class, 400,
                "TaskDoesNotExist", () -> routing.sendTaskFailure(r -> r.taskToken("gone")));

        assertEquals(List.of("success t1 {\"approved\":true}", "failure t2 Rollout.Rejected: no"), routed);
        assertEquals(2, routing.answers().size(), "only accepted answers are recorded");
    }
}
