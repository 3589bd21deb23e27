package dev.rollout.local.aws;

import java.util.function.Supplier;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * What runs the executions the in-memory Step Functions accepts: the local runtime's executor, or a test's stand-in.
 * It is called once per execution, while StartExecution holds the service's lock, so it must only schedule the
 * execution and must not call the service back.
 */
@FunctionalInterface
public interface ExecutionRunner {

    /**
     * Starts running {@code execution}.
     *
     * @return the execution's status as it changes; the service asks it whenever an answer depends on whether the
     *     execution still runs (StartExecution with a name already taken)
     */
    Supplier<ExecutionStatus> run(StartedExecution execution);
}
