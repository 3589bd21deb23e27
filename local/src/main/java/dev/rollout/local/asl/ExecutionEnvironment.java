package dev.rollout.local.asl;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import dev.rollout.local.time.VirtualClock;

/**
 * What every execution of one state machine shares.
 *
 * @param endListeners told of each execution that ended, as Step Functions emits a status change event
 */
record ExecutionEnvironment(StateMachineDefinition definition, StateMachineArn stateMachine, VirtualClock clock,
                            TaskInvoker invoker, TaskTokens tokens, List<Consumer<ExecutionHandle>> endListeners) {

    ExecutionEnvironment(StateMachineDefinition definition, StateMachineArn stateMachine, VirtualClock clock,
                         TaskInvoker invoker, TaskTokens tokens) {
        this(definition, stateMachine, clock, invoker, tokens, new CopyOnWriteArrayList<>());
    }
}
