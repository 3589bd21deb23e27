package dev.rollout.local.asl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A started execution, seen as DescribeExecution and GetExecutionHistory see it. Safe to read from any thread. */
public interface ExecutionHandle {

    String executionArn();

    String name();

    ExecutionStatus status();

    JsonNode input();

    /** Present once the execution has succeeded. */
    Optional<JsonNode> output();

    /** Present once the execution has failed or timed out (and the failure named an error). */
    Optional<String> error();

    Optional<String> cause();

    Instant startDate();

    /** Present once the execution has ended. */
    Optional<Instant> stopDate();

    /** The events so far, oldest first, as GetExecutionHistory lists them. */
    List<HistoryEvent> history();

    /** State transitions, the unit Step Functions bills: each state entered, and each retry of a task. */
    int stateTransitions();
}
