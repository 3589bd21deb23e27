package dev.rollout.local.aws;

import java.time.Instant;

/**
 * An execution that StartExecution accepted, as the in-memory Step Functions hands it to its
 * {@link ExecutionRunner}.
 *
 * @param input the execution input, JSON text exactly as given to StartExecution
 */
public record StartedExecution(String executionArn, String stateMachineArn, String name, String input,
                               Instant startDate) {
}
