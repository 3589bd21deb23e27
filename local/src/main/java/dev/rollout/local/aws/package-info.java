/**
 * An embedded, in-memory AWS for handler tests and the local runtime: {@link dev.rollout.local.aws.InMemoryLambda},
 * {@link dev.rollout.local.aws.InMemoryCloudWatch}, {@link dev.rollout.local.aws.InMemorySns},
 * {@link dev.rollout.local.aws.InMemoryDynamoDb} and {@link dev.rollout.local.aws.InMemoryStepFunctions} implement the SDK v2
 * client interfaces the handlers take, enforce the services' own rules and fail with the exception types, status
 * codes and error codes the SDK would report. Only the operations the rollout uses are implemented; the others keep the SDK's
 * default of throwing {@link UnsupportedOperationException}, as do parameters of implemented operations that these
 * fakes do not model.
 *
 * <p>Time comes from the {@link java.time.Clock} each service is built with. A simulation drives traffic with
 * {@link dev.rollout.local.aws.LambdaTraffic#invokeAlias} and evaluates alarms with
 * {@link dev.rollout.local.aws.InMemoryCloudWatch#evaluateAlarms()}; each service's {@code faults()} makes chosen calls
 * fail.
 *
 * <p>{@link dev.rollout.local.aws.InMemoryStepFunctions} runs no state machine: it accepts StartExecution calls by Step
 * Functions' rules and hands each execution to an {@link dev.rollout.local.aws.ExecutionRunner}, and passes task-token
 * answers to a {@link dev.rollout.local.aws.CallbackTasks}. For automatic rollouts,
 * {@link dev.rollout.local.aws.CloudTrailEvents} builds the events CloudTrail delivers for Lambda calls, and
 * {@link dev.rollout.local.aws.EventPattern} matches them against an EventBridge rule's pattern.
 */
package dev.rollout.local.aws;
