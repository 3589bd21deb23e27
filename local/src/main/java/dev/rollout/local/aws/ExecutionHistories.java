package dev.rollout.local.aws;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * Where the in-memory Step Functions reads the histories of executions that something else runs (the local
 * runtime's executor): what GetExecutionHistory lists.
 */
@FunctionalInterface
public interface ExecutionHistories {

    /** Every event of {@code executionArn} so far, oldest first, with its data; empty for an unknown execution. */
    Optional<List<HistoryEvent>> history(String executionArn);
}
