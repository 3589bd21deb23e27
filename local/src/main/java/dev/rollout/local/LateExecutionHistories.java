package dev.rollout.local;

import java.util.List;
import java.util.Optional;
import dev.rollout.local.asl.LocalStepFunctions;
import dev.rollout.local.aws.ExecutionHistories;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The executor's histories for an in-memory Step Functions built before the executor: the task handlers that read
 * executions get their clients when the runtime is wired, and the executor, which needs those handlers, comes after.
 */
public final class LateExecutionHistories implements ExecutionHistories {
    private volatile ExecutorHistories executor;

    /** From now on, histories are those of {@code stepFunctions}' executions. */
    void attach(LocalStepFunctions stepFunctions) {
        this.executor = new ExecutorHistories(stepFunctions);
    }

    @Override
    public Optional<List<HistoryEvent>> history(String executionArn) {
        ExecutorHistories attached = executor;
        return attached == null ? Optional.empty() : attached.history(executionArn);
    }
}
