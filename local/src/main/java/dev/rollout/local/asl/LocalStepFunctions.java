package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import dev.rollout.local.time.VirtualClock;

/**
 * Runs executions of one state machine definition in-process, on a virtual clock, invoking tasks through a
 * {@link TaskInvoker}: the local runtime's Step Functions. Executions advance only as the clock runs its
 * events; drive the clock from one thread. Starting executions and answering task tokens work from any thread.
 */
public final class LocalStepFunctions {
    /** What StartExecution refuses in a name: whitespace, brackets, wildcards, and ARN-breaking characters. */
    private static final Pattern NAME_FORBIDDEN = Pattern.compile("[\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\p{Cntrl}]");
    private static final int MAX_NAME_LENGTH = 80;

    private final ExecutionEnvironment environment;
    private final Map<String, ExecutionRun> executions = new LinkedHashMap<>();

    /**
     * @param stateMachineArn the ARN executions report as {@code StateMachine.Id}, and derive their own from,
     *     e.g. {@code arn:aws:states:us-east-1:123456789012:stateMachine:rollout}
     */
    public LocalStepFunctions(StateMachineDefinition definition, String stateMachineArn, VirtualClock clock,
                              TaskInvoker invoker) {
        this.environment = new ExecutionEnvironment(definition, StateMachineArn.parse(stateMachineArn), clock,
                invoker, new TaskTokens());
    }

    public String stateMachineArn() {
        return environment.stateMachine().arn();
    }

    /**
     * Starts an execution, as StartExecution: its first state is entered when the clock runs next.
     *
     * @param input the execution input; null stands for {@code {}}, as when StartExecution is given none
     * @throws ExecutionAlreadyExistsException if an execution of that name exists
     */
    public ExecutionHandle start(String executionName, JsonNode input) {
        requireValidName(executionName);
        JsonNode executionInput = input == null ? Json.MAPPER.createObjectNode() : input.deepCopy();
        ExecutionRun execution;
        synchronized (executions) {
            String executionArn = environment.stateMachine().executionArn(executionName);
            if (executions.containsKey(executionArn)) {
                throw new ExecutionAlreadyExistsException("Execution already exists: '" + executionArn + "'");
            }
            execution = new ExecutionRun(environment, executionName, executionInput);
            executions.put(executionArn, execution);
        }
        execution.begin();
        return execution;
    }

    public Optional<ExecutionHandle> execution(String executionArn) {
        synchronized (executions) {
            return Optional.ofNullable(executions.get(executionArn));
        }
    }

    /** Every execution started, oldest first. */
    public List<ExecutionHandle> executions() {
        synchronized (executions) {
            return new ArrayList<>(executions.values());
        }
    }

    /**
     * Stops a running execution, as StopExecution: it ends ABORTED at once, no Catch runs, and a task waiting for
     * its token stops waiting. An execution that has already ended is left as it is, as Step Functions leaves it.
     *
     * @param error optional, as StopExecution's {@code error}
     * @param cause optional, as StopExecution's {@code cause}
     * @throws IllegalArgumentException for an execution this state machine never started
     */
    public void stop(String executionArn, String error, String cause) {
        ExecutionRun execution;
        synchronized (executions) {
            execution = executions.get(executionArn);
        }
        if (execution == null) {
            throw new IllegalArgumentException("Execution does not exist: '" + executionArn + "'");
        }
        execution.stop(error, cause);
    }

    /**
     * Tells {@code listener} of every execution that ends from now on (succeeded, failed, timed out or stopped), on
     * the thread that ended it: what Step Functions announces with an Execution Status Change event.
     */
    public void onExecutionEnd(Consumer<ExecutionHandle> listener) {
        environment.endListeners().add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Answers a callback task, as SendTaskSuccess: its state succeeds with {@code output} as its result when
     * the clock runs next.
     *
     * @throws InvalidTokenException for a token this state machine never issued
     * @throws TaskDoesNotExistException for a token whose task no longer waits
     */
    public void sendTaskSuccess(String taskToken, JsonNode output) {
        Objects.requireNonNull(output, "output");
        TaskTokens.Waiter waiter = environment.tokens().claim(taskToken);
        JsonNode result = output.deepCopy();
        environment.clock().schedule(environment.clock().instant(), () -> waiter.succeed(result));
    }

    /**
     * Fails a callback task, as SendTaskFailure: its state fails with {@code error} and {@code cause} (both
     * optional) when the clock runs next, then Retry and Catch apply.
     *
     * @throws InvalidTokenException for a token this state machine never issued
     * @throws TaskDoesNotExistException for a token whose task no longer waits
     */
    public void sendTaskFailure(String taskToken, String error, String cause) {
        TaskTokens.Waiter waiter = environment.tokens().claim(taskToken);
        environment.clock().schedule(environment.clock().instant(), () -> waiter.fail(error, cause));
    }

    private static void requireValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || NAME_FORBIDDEN.matcher(name).find()) {
            throw new IllegalArgumentException("Invalid execution name '" + name + "': 1 to " + MAX_NAME_LENGTH
                    + " characters, without whitespace, brackets, wildcards or any of \" # % \\ ^ | ~ ` $ & , ; : /");
        }
    }
}
