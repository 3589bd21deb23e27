package rollout.local.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessResponse;

/**
 * The task-token half of Step Functions: SendTaskSuccess and SendTaskFailure, checked as Step Functions checks
 * them, then handed to the {@link CallbackTasks} that holds the waiting tasks. Every accepted answer is recorded,
 * in order, for tests to read.
 *
 * <p>The local runtime routes answers to its executor by passing a {@link CallbackTasks} that resumes the
 * execution and translates the executor's "no such token" errors into {@link StepFunctionsErrors}.
 */
public final class InMemoryStepFunctionsTasks implements SfnClient {

    /** Step Functions' limits, from the API reference. */
    static final int MAX_TOKEN_LENGTH = 2048;
    static final int MAX_OUTPUT_BYTES = 262_144;
    static final int MAX_ERROR_LENGTH = 256;
    static final int MAX_CAUSE_LENGTH = 32_768;

    private final Clock clock;
    private final CallbackTasks tasks;
    private final List<TaskAnswer> answers = new ArrayList<>();
    private final FaultInjector faults = new FaultInjector(Set.of("SendTaskSuccess", "SendTaskFailure"));

    public InMemoryStepFunctionsTasks(Clock clock, CallbackTasks tasks) {
        this.clock = clock;
        this.tasks = tasks;
    }

    /** Every answer accepted so far, oldest first. */
    public synchronized List<TaskAnswer> answers() {
        return List.copyOf(answers);
    }

    /** The accepted answer to {@code taskToken}, if any. */
    public synchronized Optional<TaskAnswer> answer(String taskToken) {
        return answers.stream().filter(answer -> answer.taskToken().equals(taskToken)).findFirst();
    }

    /** Plans failures of this service's operations, named as in the Step Functions API (e.g. {@code SendTaskSuccess}). */
    public FaultInjector faults() {
        return faults;
    }

    @Override
    public SendTaskSuccessResponse sendTaskSuccess(SendTaskSuccessRequest request) {
        faults.enter("SendTaskSuccess");
        requireToken(request.taskToken());
        if (request.output() == null) {
            throw StepFunctionsErrors.missing("output");
        }
        if (request.output().getBytes(StandardCharsets.UTF_8).length > MAX_OUTPUT_BYTES) {
            throw StepFunctionsErrors.tooLong("output", MAX_OUTPUT_BYTES);
        }
        JsonNode output;
        try {
            output = Json.MAPPER.readTree(request.output());
        } catch (JsonProcessingException notJson) {
            throw StepFunctionsErrors.invalidOutput("output is not valid JSON");
        }
        if (output == null || output.isMissingNode()) {
            throw StepFunctionsErrors.invalidOutput("output is not valid JSON");
        }
        tasks.succeed(request.taskToken(), output);
        record(new TaskAnswer.Success(request.taskToken(), output, clock.instant()));
        return SendTaskSuccessResponse.builder().build();
    }

    @Override
    public SendTaskFailureResponse sendTaskFailure(SendTaskFailureRequest request) {
        faults.enter("SendTaskFailure");
        requireToken(request.taskToken());
        requireLength("error", request.error(), MAX_ERROR_LENGTH);
        requireLength("cause", request.cause(), MAX_CAUSE_LENGTH);
        tasks.fail(request.taskToken(), request.error(), request.cause());
        record(new TaskAnswer.Failure(request.taskToken(), request.error(), request.cause(), clock.instant()));
        return SendTaskFailureResponse.builder().build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        // Nothing to release.
    }

    private synchronized void record(TaskAnswer answer) {
        answers.add(answer);
    }

    private static void requireToken(String token) {
        if (token == null) {
            throw StepFunctionsErrors.missing("taskToken");
        }
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw StepFunctionsErrors.invalid("taskToken",
                    "Member must have length between 1 and " + MAX_TOKEN_LENGTH);
        }
    }

    private static void requireLength(String member, String value, int max) {
        if (value != null && value.length() > max) {
            throw StepFunctionsErrors.tooLong(member, max);
        }
    }
}
