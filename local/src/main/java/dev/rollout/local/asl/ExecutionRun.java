package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import dev.rollout.local.time.ScheduledEvent;

/**
 * One execution, interpreted step by step on the virtual clock: each transition is an event at the current
 * time, a Wait an event at its end, a retry an event after its backoff. Steps run under this object's lock
 * and only while the execution runs, so a late timer or callback cannot act on an ended execution.
 */
final class ExecutionRun implements ExecutionHandle {
    /** Step Functions fails an execution whose history reaches this size; here it also stops runaway loops. */
    static final int MAX_HISTORY_EVENTS = 25_000;
    private final ExecutionEnvironment environment;
    private final String executionArn;
    private final String name;
    private final JsonNode input;
    private final Instant startDate;
    private final History history = new History();
    private final AtomicInteger stateTransitions = new AtomicInteger();
    private final Variables variables = new Variables();
    private final ClockFunctions clockFunctions;
    private final ContextObject.ExecutionContext executionContext;

    private volatile ExecutionStatus status = ExecutionStatus.RUNNING;
    private volatile JsonNode output;
    private volatile String error;
    private volatile String cause;
    private volatile Instant stopDate;

    /** The one step the execution waits for: a transition, the end of a Wait, or a retry. */
    private ScheduledEvent nextStep;
    private ScheduledEvent executionTimeout;
    private TaskStateRun currentTask;

    ExecutionRun(ExecutionEnvironment environment, String name, JsonNode input) {
        this.environment = environment;
        this.executionArn = environment.stateMachine().executionArn(name);
        this.name = name;
        this.input = input;
        this.startDate = environment.clock().instant();
        this.clockFunctions = new ClockFunctions(environment.clock());
        this.executionContext = new ContextObject.ExecutionContext(executionArn, input, name, startDate,
                environment.stateMachine());
    }

    synchronized void begin() {
        record(HistoryEventType.EXECUTION_STARTED, texts -> new EventDetails.ExecutionStarted(texts.text(input)));
        environment.definition().timeout().ifPresent(limit ->
                executionTimeout = schedule(startDate.plus(limit), () -> timeOut(limit)));
        nextStep = schedule(startDate, () -> enter(environment.definition().startAt(), input));
    }

    /** Runs a step of this execution, unless the execution has ended meanwhile; steps never interleave. */
    synchronized void act(Runnable step) {
        if (status == ExecutionStatus.RUNNING) {
            step.run();
        }
    }

    ScheduledEvent schedule(Instant at, Runnable step) {
        return environment.clock().schedule(at, () -> act(step));
    }

    /** Schedules a task's next attempt; Step Functions bills each retry as a state transition. */
    void retryAfter(Duration delay, Runnable attempt) {
        stateTransitions.incrementAndGet();
        nextStep = schedule(environment.clock().instant().plus(delay), attempt);
    }

    private void enter(String stateName, JsonNode stateInput) {
        if (historyExhausted()) {
            return;
        }
        State state = environment.definition().state(stateName);
        stateTransitions.incrementAndGet();
        long enteredEventId = record(HistoryEventType.entered(state),
                texts -> new EventDetails.StateEntered(stateName, texts.text(stateInput)));
        StateVisit visit = new StateVisit(state, stateInput, environment.clock().instant(), enteredEventId);
        failingOnEvaluationErrors(visit, () -> run(visit));
    }

    /** Where nothing can catch a failed expression (outside a Task, or in a Catcher), the execution fails. */
    void failingOnEvaluationErrors(StateVisit visit, Runnable step) {
        try {
            step.run();
        } catch (QueryEvaluationException e) {
            fail(ErrorNames.QUERY_EVALUATION_ERROR, evaluationFailed(visit, e));
        }
    }

    private void run(StateVisit visit) {
        State state = visit.state();
        if (state instanceof TaskState task) {
            currentTask = new TaskStateRun(this, environment, task, visit);
            currentTask.attempt();
        } else if (state instanceof PassState pass) {
            leave(visit, pass.assign(), pass.output(), scope(visit), visit.input(), pass.next());
        } else if (state instanceof WaitState wait) {
            EvaluationScope scope = scope(visit);
            nextStep = schedule(wait.until(scope, visit.enteredAt()), () -> failingOnEvaluationErrors(visit,
                    () -> leave(visit, wait.assign(), wait.output(), scope, visit.input(), wait.next())));
        } else if (state instanceof ChoiceState choice) {
            choose(visit, choice);
        } else if (state instanceof SucceedState succeed) {
            leave(visit, Assignments.NONE, succeed.output(), scope(visit), visit.input(), Optional.empty());
        } else if (state instanceof FailState failState) {
            EvaluationScope scope = scope(visit);
            fail(failState.error().map(field -> field.evaluate(scope)).orElse(null),
                    failState.cause().map(field -> field.evaluate(scope)).orElse(null));
        }
    }

    private void choose(StateVisit visit, ChoiceState choice) {
        EvaluationScope scope = scope(visit);
        for (ChoiceRule rule : choice.choices()) {
            if (rule.condition().evaluate(scope)) {
                Map<String, JsonNode> assigned = choice.assign().evaluate(scope);
                Map<String, JsonNode> assignedByRule = rule.assign().evaluate(scope);
                if (!assignedByRule.isEmpty()) {
                    assigned = new LinkedHashMap<>(assigned);
                    assigned.putAll(assignedByRule);
                }
                Optional<Template> output = rule.output().or(choice::output);
                leave(visit, assigned, output.isPresent() ? output.get().evaluate(scope) : visit.input(),
                        Optional.of(rule.next()));
                return;
            }
        }
        if (choice.defaultNext().isEmpty()) {
            fail(ErrorNames.NO_CHOICE_MATCHED, "No Choice Rule of state '" + choice.name()
                    + "' matched, and it has no Default.");
            return;
        }
        leave(visit, choice.assign(), choice.output(), scope, visit.input(), choice.defaultNext());
    }

    /**
     * Evaluates Assign and Output against one scope, with the variables as they were on entry, then leaves.
     *
     * @throws QueryEvaluationException before anything was assigned
     */
    void leave(StateVisit visit, Assignments assign, Optional<Template> outputTemplate, EvaluationScope scope,
               JsonNode defaultOutput, Optional<String> next) {
        Map<String, JsonNode> assigned = assign.evaluate(scope);
        JsonNode stateOutput = outputTemplate.isPresent() ? outputTemplate.get().evaluate(scope) : defaultOutput;
        leave(visit, assigned, stateOutput, next);
    }

    private void leave(StateVisit visit, Map<String, JsonNode> assigned, JsonNode stateOutput, Optional<String> next) {
        variables.assign(assigned);
        String stateName = visit.state().name();
        record(HistoryEventType.exited(visit.state()), texts -> {
            Map<String, String> assignedText = texts.assigned(assigned);
            return new EventDetails.StateExited(stateName, texts.text(stateOutput), assignedText);
        });
        currentTask = null;
        if (next.isPresent()) {
            nextStep = schedule(environment.clock().instant(), () -> enter(next.get(), stateOutput));
        } else {
            succeed(stateOutput);
        }
    }

    EvaluationScope scope(StateVisit visit) {
        return scope(visit, 0, Optional.empty());
    }

    EvaluationScope scope(StateVisit visit, int retryCount, Optional<String> taskToken) {
        ContextObject context = new ContextObject(executionContext, visit.state().name(), visit.enteredAt(),
                retryCount, taskToken);
        return new EvaluationScope(visit.input(), context, variables, clockFunctions);
    }

    /** Records a failed expression; returns the cause the state fails with. */
    String evaluationFailed(StateVisit visit, QueryEvaluationException failure) {
        String failureCause = visit.errorPrefix() + failure.getMessage();
        record(HistoryEventType.EVALUATION_FAILED, new EventDetails.EvaluationFailed(
                ErrorNames.QUERY_EVALUATION_ERROR, failureCause, failure.field(), visit.state().name()));
        return failureCause;
    }

    /** Fails the execution when its history is full, as Step Functions does; true if it did. */
    boolean historyExhausted() {
        if (history.size() < MAX_HISTORY_EVENTS) {
            return false;
        }
        fail(ErrorNames.RUNTIME, "The execution reached the maximum number of history events ("
                + MAX_HISTORY_EVENTS + ").");
        return true;
    }

    long record(HistoryEventType type, EventDetails details) {
        return record(type, texts -> details);
    }

    /** Records an event whose details hold JSON texts, written when the history is read. */
    long record(HistoryEventType type, History.Details details) {
        return history.add(environment.clock().instant(), type, details);
    }

    private void succeed(JsonNode finalOutput) {
        output = finalOutput;
        end(ExecutionStatus.SUCCEEDED, HistoryEventType.EXECUTION_SUCCEEDED,
                texts -> new EventDetails.ExecutionSucceeded(texts.text(finalOutput)));
    }

    void fail(String failureError, String failureCause) {
        error = failureError;
        cause = failureCause;
        end(ExecutionStatus.FAILED, HistoryEventType.EXECUTION_FAILED,
                texts -> new EventDetails.ExecutionFailed(failureError, failureCause));
    }

    private void timeOut(Duration limit) {
        error = ErrorNames.TIMEOUT;
        cause = "The execution ran longer than the definition's TimeoutSeconds (" + limit.getSeconds() + ").";
        end(ExecutionStatus.TIMED_OUT, HistoryEventType.EXECUTION_TIMED_OUT,
                texts -> new EventDetails.ExecutionTimedOut(error, cause));
    }

    /** Stops the execution as StopExecution does: no Retry or Catch runs, whatever state it was in. */
    synchronized void stop(String stopError, String stopCause) {
        if (status != ExecutionStatus.RUNNING) {
            return;
        }
        error = stopError;
        cause = stopCause;
        end(ExecutionStatus.ABORTED, HistoryEventType.EXECUTION_ABORTED,
                texts -> new EventDetails.ExecutionAborted(stopError, stopCause));
    }

    private void end(ExecutionStatus finalStatus, HistoryEventType type, History.Details details) {
        record(type, details);
        stopDate = environment.clock().instant();
        // Nothing of an ended execution may move the clock or answer a token any more.
        if (nextStep != null) {
            nextStep.cancel();
        }
        if (executionTimeout != null) {
            executionTimeout.cancel();
        }
        if (currentTask != null) {
            currentTask.abandon();
        }
        status = finalStatus; // written last: a reader that sees it also sees the fields above
        environment.endListeners().forEach(listener -> listener.accept(this));
    }

    @Override
    public String executionArn() {
        return executionArn;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ExecutionStatus status() {
        return status;
    }

    @Override
    public JsonNode input() {
        return input.deepCopy();
    }

    @Override
    public Optional<JsonNode> output() {
        return status == ExecutionStatus.SUCCEEDED ? Optional.of(output.deepCopy()) : Optional.empty();
    }

    @Override
    public Optional<String> error() {
        return status == ExecutionStatus.RUNNING ? Optional.empty() : Optional.ofNullable(error);
    }

    @Override
    public Optional<String> cause() {
        return status == ExecutionStatus.RUNNING ? Optional.empty() : Optional.ofNullable(cause);
    }

    @Override
    public Instant startDate() {
        return startDate;
    }

    @Override
    public Optional<Instant> stopDate() {
        return status == ExecutionStatus.RUNNING ? Optional.empty() : Optional.of(stopDate);
    }

    @Override
    public List<HistoryEvent> history() {
        return history.events();
    }

    @Override
    public int stateTransitions() {
        return stateTransitions.get();
    }
}
