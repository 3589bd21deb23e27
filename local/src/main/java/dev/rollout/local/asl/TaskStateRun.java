package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import dev.rollout.local.time.ScheduledEvent;

/**
 * One visit to a Task state: its attempts, the retries between them, and how it ends. A failure goes to
 * the first Retrier whose ErrorEquals matches while it has attempts left, else to the first matching Catcher,
 * else fails the execution, as the States language spec orders them. A failed expression of the state
 * (Arguments, TimeoutSeconds, Output, Assign) is such a failure too, named States.QueryEvaluationError.
 */
final class TaskStateRun {
    private final ExecutionRun execution;
    private final ExecutionEnvironment environment;
    private final TaskState task;
    private final StateVisit visit;
    private final int[] retriesByRetrier;
    private int retries;
    /** While the task's function runs: an answer to its token then waits until the invocation has returned. */
    private boolean invoking;
    /** The current attempt's wait for its task token, for callback tasks. */
    private Callback callback;

    TaskStateRun(ExecutionRun execution, ExecutionEnvironment environment, TaskState task, StateVisit visit) {
        this.execution = execution;
        this.environment = environment;
        this.task = task;
        this.visit = visit;
        this.retriesByRetrier = new int[task.retriers().size()];
    }

    void attempt() {
        if (execution.historyExhausted()) {
            return;
        }
        Optional<String> token = Optional.empty();
        callback = null;
        if (task.resource().waitsForTaskToken()) {
            callback = new Callback(true);
            token = Optional.of(callback.token);
        }
        EvaluationScope scope = execution.scope(visit, retries, token);
        String functionName;
        JsonNode payload;
        Optional<Long> timeoutSeconds;
        try {
            functionName = task.functionName().evaluate(scope);
            payload = task.payload().evaluate(scope);
            timeoutSeconds = task.timeoutSeconds().map(field -> field.evaluate(scope));
        } catch (QueryEvaluationException e) {
            abandon();
            failed(ErrorNames.QUERY_EVALUATION_ERROR, execution.evaluationFailed(visit, e));
            return;
        }
        ObjectNode parameters = Json.MAPPER.createObjectNode().put("FunctionName", functionName);
        parameters.set("Payload", payload);
        String resource = resourceName();
        String region = environment.stateMachine().region();
        Long timeout = timeoutSeconds.orElse(null);
        execution.record(HistoryEventType.TASK_SCHEDULED, texts -> new EventDetails.TaskScheduled(
                LambdaResource.RESOURCE_TYPE, resource, region, texts.text(parameters), timeout));
        execution.record(HistoryEventType.TASK_STARTED,
                new EventDetails.TaskStarted(LambdaResource.RESOURCE_TYPE, resourceName()));
        JsonNode result;
        try {
            invoking = true;
            result = invokeResult(invoke(functionName, payload));
        } catch (TaskFailedException e) {
            abandon();
            taskFailed(e.error(), e.cause());
            return;
        } catch (FunctionHungException hung) {
            // Nothing will answer: only the state's TimeoutSeconds ends the task, if it has one.
            if (callback == null) {
                callback = new Callback(false);
            }
            timeoutSeconds.ifPresent(callback::timeOutAfter);
            return;
        } finally {
            invoking = false;
        }
        if (callback == null) {
            execution.record(HistoryEventType.TASK_SUCCEEDED, texts ->
                    new EventDetails.TaskSucceeded(LambdaResource.RESOURCE_TYPE, resource, texts.text(result)));
            succeeded(result);
            return;
        }
        execution.record(HistoryEventType.TASK_SUBMITTED, texts ->
                new EventDetails.TaskSubmitted(LambdaResource.RESOURCE_TYPE, resource, texts.text(result)));
        timeoutSeconds.ifPresent(callback::timeOutAfter);
        callback.answerHeldDuringInvocation();
    }

    /** The execution ended, or the attempt failed before it could be answered: its token is void. */
    void abandon() {
        if (callback != null) {
            callback.settle();
        }
    }

    private JsonNode invoke(String functionName, JsonNode payload) throws TaskFailedException, FunctionHungException {
        try {
            JsonNode response = environment.invoker().invoke(functionName, payload);
            return response == null ? NullNode.getInstance() : response;
        } catch (RuntimeException e) { // as Lambda reports an unhandled exception of a Java handler
            throw TaskFailedException.of(e);
        }
    }

    /** The result of the lambda:invoke integration: the Invoke API's response, around the function's payload. */
    private static JsonNode invokeResult(JsonNode payload) {
        ObjectNode result = Json.MAPPER.createObjectNode().put("ExecutedVersion", "$LATEST");
        result.set("Payload", payload);
        return result.put("StatusCode", 200);
    }

    private void succeeded(JsonNode result) {
        EvaluationScope scope = execution.scope(visit, retries, Optional.empty()).withResult(result);
        try {
            execution.leave(visit, task.assign(), task.output(), scope, result, task.next());
        } catch (QueryEvaluationException e) {
            failed(ErrorNames.QUERY_EVALUATION_ERROR, execution.evaluationFailed(visit, e));
        }
    }

    private void taskFailed(String error, String cause) {
        execution.record(HistoryEventType.TASK_FAILED,
                new EventDetails.TaskFailed(LambdaResource.RESOURCE_TYPE, resourceName(), error, cause));
        failed(error, cause);
    }

    private void failed(String error, String cause) {
        List<Retrier> retriers = task.retriers();
        for (int i = 0; i < retriers.size(); i++) {
            Retrier retrier = retriers.get(i);
            if (retrier.handles(error)) {
                if (retriesByRetrier[i] < retrier.maxAttempts()) {
                    Duration delay = retrier.delayBeforeRetry(retriesByRetrier[i], jitter());
                    retriesByRetrier[i]++;
                    retries++;
                    execution.retryAfter(delay, this::attempt);
                    return;
                }
                break; // an exhausted retrier hands over to Catch, not to the retriers after it
            }
        }
        Optional<Catcher> catcher = task.catchers().stream().filter(candidate -> candidate.handles(error)).findFirst();
        if (catcher.isPresent()) {
            recover(catcher.get(), error, cause);
        } else {
            execution.fail(error, cause);
        }
    }

    /**
     * The random share of a jittered delay, drawn from the execution, state and attempt, so that a run is reproducible
     * while executions, states and attempts each draw differently.
     */
    private double jitter() {
        long seed = (execution.executionArn() + "/" + visit.state().name() + "/" + visit.enteredEventId() + "/" + retries)
                .hashCode();
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L).nextDouble();
    }

    private void recover(Catcher catcher, String error, String cause) {
        ObjectNode errorOutput = Json.MAPPER.createObjectNode().put("Error", error).put("Cause", cause);
        EvaluationScope scope = execution.scope(visit, retries, Optional.empty()).withErrorOutput(errorOutput);
        execution.failingOnEvaluationErrors(visit, () -> execution.leave(visit, catcher.assign(), catcher.output(),
                scope, errorOutput, Optional.of(catcher.next())));
    }

    private String resourceName() {
        return task.resource().historyName();
    }

    /**
     * An attempt waiting for its task token to be answered or its timeout to expire; without a token, an attempt
     * whose function hung, which only its timeout ends.
     */
    private final class Callback implements TaskTokens.Waiter {
        private boolean waiting = true;
        private ScheduledEvent timeout;
        private final String token;
        /** An answer that came while the function was still running (it answered its own token): applied after. */
        private Runnable heldAnswer;

        Callback(boolean issueToken) {
            token = issueToken ? environment.tokens().issue(execution.executionArn(), this) : null;
        }

        void timeOutAfter(long seconds) {
            timeout = execution.schedule(environment.clock().instant().plus(Duration.ofSeconds(seconds)), () -> {
                if (settle()) {
                    String cause = "The task was not answered within its TimeoutSeconds (" + seconds + ").";
                    execution.record(HistoryEventType.TASK_TIMED_OUT, new EventDetails.TaskTimedOut(
                            LambdaResource.RESOURCE_TYPE, resourceName(), ErrorNames.TIMEOUT, cause));
                    failed(ErrorNames.TIMEOUT, cause);
                }
            });
        }

        /**
         * Applies the answer the invoked function gave its own token (a bake ended by a control recorded before it
         * began), after the invocation's TaskSubmitted, in the order Step Functions records them.
         */
        void answerHeldDuringInvocation() {
            if (heldAnswer != null) {
                Runnable answer = heldAnswer;
                heldAnswer = null;
                answer.run();
            }
        }

        @Override
        public void succeed(JsonNode output) {
            execution.act(() -> {
                if (invoking) {
                    heldAnswer = heldAnswer != null ? heldAnswer : () -> succeed(output);
                    return;
                }
                if (settle()) {
                    String resource = resourceName();
                    execution.record(HistoryEventType.TASK_SUCCEEDED, texts -> new EventDetails.TaskSucceeded(
                            LambdaResource.RESOURCE_TYPE, resource, texts.text(output)));
                    succeeded(output);
                }
            });
        }

        @Override
        public void fail(String error, String cause) {
            execution.act(() -> {
                if (invoking) {
                    heldAnswer = heldAnswer != null ? heldAnswer : () -> fail(error, cause);
                    return;
                }
                if (settle()) {
                    taskFailed(error, cause);
                }
            });
        }

        /** Stops waiting; false if it already had. */
        boolean settle() {
            if (!waiting) {
                return false;
            }
            waiting = false;
            if (token != null) {
                environment.tokens().withdraw(token);
            }
            if (timeout != null) {
                timeout.cancel();
            }
            return true;
        }
    }
}
