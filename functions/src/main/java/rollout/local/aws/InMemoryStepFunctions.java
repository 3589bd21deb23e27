package rollout.local.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * Step Functions' StartExecution in memory, with its rules: execution names of 1 to 80 characters without
 * whitespace, brackets, wildcards or ARN-breaking characters; input that is JSON of at most 256 KiB; a state machine
 * that exists; and one execution per name and state machine. A start with a name already taken returns the first
 * start's answer when that execution still runs and the input is identical, and fails with
 * {@code ExecutionAlreadyExists} when the input differs or the execution has ended. (Step Functions frees a name 90
 * days after its execution; names here stay taken for the life of the object.)
 *
 * <p>Accepted executions are handed to an {@link ExecutionRunner}, through which the local runtime runs them on its
 * executor.
 */
public final class InMemoryStepFunctions implements SfnClient {

    private static final Pattern NAME_FORBIDDEN =
            Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\x{0000}-\\x{001F}\\x{007F}-\\x{009F}]");
    private static final int MAX_NAME_LENGTH = 80;
    private static final Pattern STATE_MACHINE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final Pattern STATE_MACHINE_ARN =
            Pattern.compile("arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}");
    private static final int MAX_INPUT_BYTES = 262_144;
    /** One JSON value, nothing after it. */
    private static final ObjectReader JSON_TEXT =
            Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Clock clock;
    private final AwsAccount account;
    private final ExecutionRunner runner;
    private final Set<String> stateMachines = new TreeSet<>();
    private final Map<String, Execution> executions = new LinkedHashMap<>();
    private final FaultInjector faults = new FaultInjector(Set.of("StartExecution"));

    private record Execution(StartedExecution started, Supplier<ExecutionStatus> status) {
    }

    public InMemoryStepFunctions(Clock clock, AwsAccount account, ExecutionRunner runner) {
        this.clock = clock;
        this.account = account;
        this.runner = runner;
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

    /** Plans failures of this service's operations, named as in the Step Functions API (e.g. {@code StartExecution}). */
    public FaultInjector faults() {
        return faults;
    }

    // ---- SfnClient ----

    @Override
    public synchronized StartExecutionResponse startExecution(StartExecutionRequest request) {
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

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        // Nothing to release: the state lives as long as the object.
    }

    private static void checkInput(String input) {
        if (input.getBytes(StandardCharsets.UTF_8).length > MAX_INPUT_BYTES) {
            throw StepFunctionsErrors.tooLong("input", MAX_INPUT_BYTES);
        }
        try {
            if (JSON_TEXT.readTree(input).isMissingNode()) {
                throw StepFunctionsErrors.invalidInput("No content to map due to end-of-input");
            }
        } catch (JsonProcessingException notJson) {
            throw StepFunctionsErrors.invalidInput(notJson.getOriginalMessage());
        }
    }

    private static StartExecutionResponse response(StartedExecution started) {
        return StartExecutionResponse.builder()
                .executionArn(started.executionArn())
                .startDate(started.startDate())
                .build();
    }
}
