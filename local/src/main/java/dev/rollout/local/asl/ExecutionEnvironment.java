package dev.rollout.local.asl;

import dev.rollout.local.time.VirtualClock;

/** What every execution of one state machine shares. */
record ExecutionEnvironment(StateMachineDefinition definition, StateMachineArn stateMachine, VirtualClock clock,
                            TaskInvoker invoker, TaskTokens tokens) {
}
