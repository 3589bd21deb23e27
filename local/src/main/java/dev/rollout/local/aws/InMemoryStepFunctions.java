package dev.rollout.local.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryRequest;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskFailureResponse;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessRequest;
import software.amazon.awssdk.services.sfn.model.SendTaskSuccessResponse;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * Step Functions in memory: StartExecution, SendTaskSuccess, SendTaskFailure, GetExecutionHistory and
 * DescribeExecution, each checked as Step Functions
 * checks it. The service runs no state machine itself; hooks do the work, and each is optional so that a test
 * wires only the half it exercises:
 *
 * <ul>
 *   <li>an {@link ExecutionRunner} runs the executions StartExecution accepts (the local runtime's executor, or a
 *       test's stand-in);
 *   <li>{@link CallbackTasks} hold the tasks that wait for a task token and take the answers (a
 *       {@link TaskTokenLedger} in handler tests; in the local runtime, a {@code CallbackTasks} that resumes the
 *       execution and translates the executor's "no such token" errors into {@link StepFunctionsErrors});
 *   <li>{@link ExecutionHistories} list what GetExecutionHistory returns and DescribeExecution summarises (in the
 *       local runtime, the executor's histories in the API's shape).
 * </ul>
 *
 * An operation whose hook was not wired throws {@link UnsupportedOperationException} naming the missing hook.
 *
 * <p>StartExecution's rules: execution names of 1 to 80 characters without whitespace, brackets, wildcards or
 * ARN-breaking characters; input that is JSON of at most 256 KiB; a state machine that exists; and one execution per
 * name and state machine. A start with a name already taken returns the first start's answer when that execution
 * still runs and the input is identical, and fails with {@code ExecutionAlreadyExists} when the input differs or the
 * execution has ended. (Step Functions frees a name 90 days after its execution; names here stay taken for the life
 * of the object.)
 *
 * <p>Every accepted execution and every accepted task answer is recorded, in order, for tests to read.
 */
public final class InMemoryStepFunctions implements SfnClient {

    private static final Pattern NAME_FORBIDDEN =
            Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\x{0000}-\\x{001F}\\x{007F}-\\x{009F}]");
    private static final int MAX_NAME_LENGTH = 80;
    private static final Pattern STATE_MACHINE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern STATE_MACHINE_ARN =
            Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}");
    /** Step Functions' limits, from the API reference; execution input and task output share the payload limit. */
    private static final int MAX_PAYLOAD_BYTES = 262_144;
    private static final int MAX_TOKEN_LENGTH = 2048;
    private static final int MAX_ERROR_LENGTH = 256;
    private static final int MAX_CAUSE_LENGTH = 32_768;
    /** One JSON value, nothing after it. */
    private static final ObjectReader JSON_TEXT =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Clock clock;
    private final AwsAccount account;
    private final ExecutionRunner runner;
    private final CallbackTasks tasks;
    private final ExecutionHistories histories;
    private final Set<String> stateMachines = new TreeSet<>();
    private final Map<String, Execution> executions = new LinkedHashMap<>();
    private final List<TaskAnswer> answers = new ArrayList<>();
    private static final Set<String> OPERATIONS = Set.of("StartExecution", "SendTaskSuccess", "SendTaskFailure",
            "GetExecutionHistory", "DescribeExecution");
    private final FaultInjector faults;
    private static final Pattern EXECUTION_ARN =
            Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:execution:[A-Za-z0-9_-]{1,80}:[^:]{1,80}");
    /** GetExecutionHistory's page size: 100 unless asked, at most 1000. */
    private static final int DEFAULT_PAGE = 100;
    private static final int MAX_PAGE = 1000;

    private record Execution(StartedExecution started, Supplier<ExecutionStatus> status) {
    }

    private InMemoryStepFunctions(Builder builder) {
        this.clock = builder.clock;
        this.account = builder.account;
        this.runner = builder.runner;
        this.tasks = builder.tasks;
        this.histories = builder.histories;
        this.faults = builder.faults != null ? builder.faults : new FaultInjector(OPERATIONS);
    }

    /** A Step Functions on {@code clock}, in {@link AwsAccount#DEFAULT} and with no hook wired until told. */
    public static Builder builder(Clock clock) {
        return new Builder(clock);
    }

    /** Wires the hooks: only the operations whose hook is wired can be called. */
    public static final class Builder {
        private final Clock clock;
        private AwsAccount account = AwsAccount.DEFAULT;
        private ExecutionRunner runner;
        private CallbackTasks tasks;
        private ExecutionHistories histories;
        private FaultInjector faults;

        private Builder(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** The account whose ARNs state machines and executions get. */
        public Builder account(AwsAccount account) {
            this.account = Objects.requireNonNull(account, "account");
            return this;
        }

        /** Runs the executions StartExecution accepts; without it, StartExecution is refused. */
        public Builder executionRunner(ExecutionRunner runner) {
            this.runner = Objects.requireNonNull(runner, "runner");
            return this;
        }

        /** Takes the answers of SendTaskSuccess and SendTaskFailure; without them, both are refused. */
        public Builder callbackTasks(CallbackTasks tasks) {
            this.tasks = Objects.requireNonNull(tasks, "tasks");
            return this;
        }

        /** Lists the histories GetExecutionHistory returns; without them, GetExecutionHistory is refused. */
        public Builder executionHistories(ExecutionHistories histories) {
            this.histories = Objects.requireNonNull(histories, "histories");
            return this;
        }

        /**
         * Shares the faults (and quotas) of {@code other}: another view of the same account's Step Functions, as the
         * approval page, the sweeper and the rules' targets each get one, fails when it does.
         */
        public Builder sharingFaultsOf(InMemoryStepFunctions other) {
            this.faults = other.faults;
            return this;
        }

        public InMemoryStepFunctions build() {
            return new InMemoryStepFunctions(this);
        }
    }

    // ---- Scenario API ----

    /** Creates a standard state machine named {@code name}; returns its ARN. */
    public synchronized String addStateMachine(String name) {
        if (name == null || !STATE_MACHINE_NAME.matcher(name).matches()) {
            throw StepFunctionsErrors.invalidName(String.valueOf(name));
        }
        String arn = account.arn("states", "stateMachine:" + name);
        stateMachines.add(arn);
        return arn;
    }

    /** Every execution accepted so far, oldest first. */
    public synchronized List<StartedExecution> executions() {
        return executions.values().stream().map(Execution::started).toList();
    }

    /** Every task answer accepted so far, oldest first. */
    public synchronized List<TaskAnswer> answers() {
        return List.copyOf(answers);
    }

    /** The accepted answer to {@code taskToken}, if any. */
    public synchronized Optional<TaskAnswer> answer(String taskToken) {
        return answers.stream().filter(answer -> answer.taskToken().equals(taskToken)).findFirst();
    }

    /**
     * Plans failures of this service's operations, named as in the Step Functions API ({@code StartExecution},
     * {@code SendTaskSuccess}, {@code SendTaskFailure}).
     */
    public FaultInjector faults() {
        return faults;
    }

    // ---- SfnClient ----

    @Override
    public synchronized StartExecutionResponse startExecution(StartExecutionRequest request) {
        if (runner == null) {
            throw notWired("StartExecution", "an ExecutionRunner", "executionRunner");
        }
        faults.enter("StartExecution");
        if (request.traceHeader() != null) {
            throw new UnsupportedOperationException(
                    "X-Ray trace headers are not supported by the in-memory Step Functions");
        }
        String stateMachine = request.stateMachineArn();
        if (stateMachine == null || !STATE_MACHINE_ARN.matcher(stateMachine).matches()) {
            throw StepFunctionsErrors.invalidArn(String.valueOf(stateMachine));
        }
        if (!stateMachines.contains(stateMachine)) {
            throw StepFunctionsErrors.stateMachineDoesNotExist(stateMachine);
        }
        String name = request.name() != null ? request.name() : UUID.randomUUID().toString();
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || NAME_FORBIDDEN.matcher(name).find()) {
            throw StepFunctionsErrors.invalidName(name);
        }
        String input = request.input() != null ? request.input() : "{}";
        checkInput(input);

        String executionArn = stateMachine.replace(":stateMachine:", ":execution:") + ":" + name;
        Execution existing = executions.get(executionArn);
        if (existing != null) {
            if (existing.status().get() == ExecutionStatus.RUNNING && existing.started().input().equals(input)) {
                return response(existing.started());
            }
            throw StepFunctionsErrors.executionAlreadyExists(executionArn);
        }
        StartedExecution started = new StartedExecution(executionArn, stateMachine, name, input, clock.instant());
        executions.put(executionArn, new Execution(started, runner.run(started)));
        return response(started);
    }

    // The task answers hold no lock of this service while the callback tasks run: those guard their own tokens, and
    // the record of answers is the only state here they touch.
    @Override
    public SendTaskSuccessResponse sendTaskSuccess(SendTaskSuccessRequest request) {
        CallbackTasks waiting = callbackTasks("SendTaskSuccess");
        faults.enter("SendTaskSuccess");
        requireToken(request.taskToken());
        if (request.output() == null) {
            throw StepFunctionsErrors.missing("output");
        }
        requirePayloadSize("output", request.output());
        JsonNode output = parseOutput(request.output());
        waiting.succeed(request.taskToken(), output);
        record(new TaskAnswer.Success(request.taskToken(), output, clock.instant()));
        return SendTaskSuccessResponse.builder().build();
    }

    @Override
    public SendTaskFailureResponse sendTaskFailure(SendTaskFailureRequest request) {
        CallbackTasks waiting = callbackTasks("SendTaskFailure");
        faults.enter("SendTaskFailure");
        requireToken(request.taskToken());
        requireLength("error", request.error(), MAX_ERROR_LENGTH);
        requireLength("cause", request.cause(), MAX_CAUSE_LENGTH);
        waiting.fail(request.taskToken(), request.error(), request.cause());
        record(new TaskAnswer.Failure(request.taskToken(), request.error(), request.cause(), clock.instant()));
        return SendTaskFailureResponse.builder().build();
    }

    /**
     * Lists an execution's events as GetExecutionHistory does: oldest first unless {@code reverseOrder}, pages of
     * {@code maxResults} (100 by default, at most 1000) joined by {@code nextToken}, inputs and outputs left out when
     * {@code includeExecutionData} is false.
     */
    @Override
    public GetExecutionHistoryResponse getExecutionHistory(GetExecutionHistoryRequest request) {
        if (histories == null) {
            throw notWired("GetExecutionHistory", "ExecutionHistories", "executionHistories");
        }
        faults.enter("GetExecutionHistory");
        String executionArn = request.executionArn();
        if (executionArn == null) {
            throw StepFunctionsErrors.missing("executionArn");
        }
        if (!EXECUTION_ARN.matcher(executionArn).matches()) {
            throw StepFunctionsErrors.invalidArn(executionArn);
        }
        int pageSize = request.maxResults() == null || request.maxResults() == 0 ? DEFAULT_PAGE : request.maxResults();
        if (pageSize < 0 || pageSize > MAX_PAGE) {
            throw StepFunctionsErrors.invalid("maxResults", "Member must have value less than or equal to " + MAX_PAGE);
        }
        List<HistoryEvent> events = new ArrayList<>(histories.history(executionArn)
                .orElseThrow(() -> StepFunctionsErrors.executionDoesNotExist(executionArn)));
        if (Boolean.TRUE.equals(request.reverseOrder())) {
            Collections.reverse(events);
        }
        int from = 0;
        if (request.nextToken() != null) {
            String last = PageToken.decode("history", request.nextToken())
                    .orElseThrow(() -> StepFunctionsErrors.invalid("nextToken", "Invalid pagination token"));
            for (int i = 0; i < events.size(); i++) {
                if (String.valueOf(events.get(i).id()).equals(last)) {
                    from = i + 1;
                }
            }
        }
        int to = Math.min(events.size(), from + pageSize);
        boolean withData = !Boolean.FALSE.equals(request.includeExecutionData());
        List<HistoryEvent> page = events.subList(from, to).stream()
                .map(event -> withData ? event : withoutData(event))
                .toList();
        return GetExecutionHistoryResponse.builder()
                .events(page)
                .nextToken(to < events.size() ? PageToken.encode("history", String.valueOf(events.get(to - 1).id())) : null)
                .build();
    }

    /**
     * Describes an execution from its history, as DescribeExecution does: its status follows from the event that
     * ended it (RUNNING while none has), its input from ExecutionStarted.
     */
    @Override
    public DescribeExecutionResponse describeExecution(DescribeExecutionRequest request) {
        if (histories == null) {
            throw notWired("DescribeExecution", "ExecutionHistories", "executionHistories");
        }
        faults.enter("DescribeExecution");
        String executionArn = request.executionArn();
        if (executionArn == null) {
            throw StepFunctionsErrors.missing("executionArn");
        }
        if (!EXECUTION_ARN.matcher(executionArn).matches()) {
            throw StepFunctionsErrors.invalidArn(executionArn);
        }
        List<HistoryEvent> events = histories.history(executionArn)
                .orElseThrow(() -> StepFunctionsErrors.executionDoesNotExist(executionArn));
        HistoryEvent last = events.get(events.size() - 1);
        ExecutionStatus status = switch (last.type()) {
            case EXECUTION_SUCCEEDED -> ExecutionStatus.SUCCEEDED;
            case EXECUTION_FAILED -> ExecutionStatus.FAILED;
            case EXECUTION_TIMED_OUT -> ExecutionStatus.TIMED_OUT;
            case EXECUTION_ABORTED -> ExecutionStatus.ABORTED;
            default -> ExecutionStatus.RUNNING;
        };
        String stateMachineArn = executionArn.replaceFirst(":execution:([^:]+):[^:]+$", ":stateMachine:$1");
        DescribeExecutionResponse.Builder response = DescribeExecutionResponse.builder()
                .executionArn(executionArn)
                .stateMachineArn(stateMachineArn)
                .name(executionArn.substring(executionArn.lastIndexOf(':') + 1))
                .status(status)
                .startDate(events.get(0).timestamp())
                .input(events.get(0).executionStartedEventDetails().input());
        if (status != ExecutionStatus.RUNNING) {
            response.stopDate(last.timestamp());
        }
        return response.build();
    }

    /** An event as GetExecutionHistory lists it with includeExecutionData false: states and errors, no data. */
    private static HistoryEvent withoutData(HistoryEvent event) {
        HistoryEvent.Builder builder = event.toBuilder();
        if (event.stateEnteredEventDetails() != null) {
            builder.stateEnteredEventDetails(event.stateEnteredEventDetails().toBuilder().input(null).build());
        }
        if (event.stateExitedEventDetails() != null) {
            builder.stateExitedEventDetails(event.stateExitedEventDetails().toBuilder().output(null).build());
        }
        if (event.executionStartedEventDetails() != null) {
            builder.executionStartedEventDetails(event.executionStartedEventDetails().toBuilder().input(null).build());
        }
        if (event.executionSucceededEventDetails() != null) {
            builder.executionSucceededEventDetails(
                    event.executionSucceededEventDetails().toBuilder().output(null).build());
        }
        if (event.taskSucceededEventDetails() != null) {
            builder.taskSucceededEventDetails(event.taskSucceededEventDetails().toBuilder().output(null).build());
        }
        if (event.taskScheduledEventDetails() != null) {
            builder.taskScheduledEventDetails(event.taskScheduledEventDetails().toBuilder().parameters(null).build());
        }
        return builder.build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        // Nothing to release: the state lives as long as the object.
    }

    private CallbackTasks callbackTasks(String operation) {
        if (tasks == null) {
            throw notWired(operation, "CallbackTasks", "callbackTasks");
        }
        return tasks;
    }

    private static UnsupportedOperationException notWired(String operation, String hook, String builderMethod) {
        return new UnsupportedOperationException(operation + " needs " + hook + ", and this in-memory Step Functions"
                + " was built without: wire it with InMemoryStepFunctions.Builder." + builderMethod + "(...)");
    }

    private synchronized void record(TaskAnswer answer) {
        answers.add(answer);
    }

    private static void checkInput(String input) {
        requirePayloadSize("input", input);
        try {
            if (JSON_TEXT.readTree(input).isMissingNode()) {
                throw StepFunctionsErrors.invalidInput("No content to map due to end-of-input");
            }
        } catch (JsonProcessingException notJson) {
            throw StepFunctionsErrors.invalidInput(notJson.getOriginalMessage());
        }
    }

    // Unlike execution input, task output is read leniently: the shared mapper ignores anything after the first JSON
    // value. Nobody has checked whether Step Functions refuses such output, so this fake does not refuse it either.
    private static JsonNode parseOutput(String text) {
        JsonNode output;
        try {
            output = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException notJson) {
            throw StepFunctionsErrors.invalidOutput("output is not valid JSON");
        }
        if (output == null || output.isMissingNode()) {
            throw StepFunctionsErrors.invalidOutput("output is not valid JSON");
        }
        return output;
    }

    /** Step Functions measures input and output in bytes of UTF-8. */
    private static void requirePayloadSize(String member, String json) {
        if (json.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw StepFunctionsErrors.tooLong(member, MAX_PAYLOAD_BYTES);
        }
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

    private static StartExecutionResponse response(StartedExecution started) {
        return StartExecutionResponse.builder()
                .executionArn(started.executionArn())
                .startDate(started.startDate())
                .build();
    }
}
