package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.rollout.handlers.Json;
import dev.rollout.local.FaultMatrix.Fault;
import dev.rollout.local.FaultMatrix.Injection;
import dev.rollout.local.FaultMatrix.Run;
import dev.rollout.local.asl.FunctionHungException;
import dev.rollout.local.asl.TaskFailedException;
import dev.rollout.local.aws.FaultInjector;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;

/** How each kind of row breaks a run: the faults of {@link FaultMatrix}, armed. */
final class FaultMatrixInjections {
    /** Endings that keep the promise whatever broke: the alias back where it was, and said so. */
    private static final Set<Outcome> SAFE = EnumSet.of(Outcome.ROLLED_BACK, Outcome.REFUSED, Outcome.ROLLBACK_FAILED);

    private FaultMatrixInjections() {
    }

    /** A row's injection with the place it strikes, for the rows not about one call or one state. */
    record Placed(String where, Injection injection) {
    }

    /**
     * {@code function}'s calls of {@code operation} fail: once when throttled or timed out, every time for a
     * persistent 5xx; or its first call takes effect, its response is lost and the SDK sends it again.
     */
    static Injection call(String service, String function, String operation, Fault fault, Injection always) {
        return new Injection() {
            @Override
            public void arm(Run run) {
                always.arm(run);
                FaultInjector injector = FaultMatrix.services(run.simulation).get(service);
                switch (fault) {
                    case RESPONSE_LOST -> injector.loseResponsesTo(function, operation, 1);
                    case PERSISTENT_5XX -> injector.failCallsBy(function, operation, Integer.MAX_VALUE,
                            FaultMatrix.error(service, fault));
                    default -> injector.failCallsBy(function, operation, 1, FaultMatrix.error(service, fault));
                }
            }

            @Override
            public Set<Outcome> allowed(Outcome baseline) {
                // A fault that a retry absorbs changes nothing; one that outlasts every retry may end it safely.
                if (fault != Fault.PERSISTENT_5XX) {
                    return Set.of(baseline);
                }
                if (function.equals("ControlPage")) {
                    // The page tells the person it is unavailable and the control never lands: the rollout goes on
                    // as it would without it, and promotes in the journeys that press a control.
                    Set<Outcome> allowed = withSafe(baseline);
                    allowed.add(Outcome.PROMOTED);
                    return allowed;
                }
                if (function.equals("StartRollout")) {
                    // Lambda gives up on the start after its retries and keeps the event: no rollout runs.
                    Set<Outcome> allowed = withSafe(baseline);
                    allowed.add(Outcome.NOT_STARTED);
                    return allowed;
                }
                return withSafe(baseline);
            }
        };
    }

    /** The first time the Task state {@code state} invokes its function, the invocation goes wrong. */
    static Injection task(String state, Fault fault, Injection always) {
        return new Injection() {
            private Instant struck;

            @Override
            public void arm(Run run) {
                always.arm(run);
            }

            @Override
            public JsonNode invoke(Run run, String function, TaskInvocations.Invocation invocation)
                    throws TaskFailedException, FunctionHungException {
                Instant now = run.clock().instant();
                if (struck == null && run.currentState().filter(state::equals).isPresent()) {
                    struck = now;
                } else if (fault != Fault.INVOKE_THROTTLED || struck == null
                        || !now.isBefore(struck.plus(FaultMatrix.INVOKE_STORM))) {
                    return invocation.run();
                }
                switch (fault) {
                    case CRASH -> {
                        // The process dies after its calls took effect, before it answers.
                        invocation.run();
                        throw new TaskFailedException("Runtime.ExitError", errorDocument("Runtime.ExitError",
                                "RequestId: local Error: Runtime exited with error: signal: killed"));
                    }
                    case LAMBDA_TIMEOUT -> throw new TaskFailedException("Sandbox.Timedout",
                            errorDocument("Sandbox.Timedout", "RequestId: local Error: Task timed out after 30.00 seconds"));
                    case INVOKE_THROTTLED -> throw new TaskFailedException("Lambda.TooManyRequestsException",
                            "Rate Exceeded. (Service: Lambda, Status Code: 429, Request ID: local)");
                    case STOP -> {
                        // StopExecution while the function runs: it still finishes, the execution does not.
                        String arn = run.simulation.runtime().stepFunctions().executions().get(0).executionArn();
                        run.clock().schedule(now, () -> run.simulation.runtime().stepFunctions()
                                .stop(arn, "Operator.Stopped", "stopped by the fault matrix in " + state));
                        return invocation.run();
                    }
                    default -> throw new IllegalStateException(fault + " is not a fault of a task");
                }
            }

            @Override
            public Set<Outcome> allowed(Outcome baseline) {
                return switch (fault) {
                    case STOP -> Set.of(Outcome.ABORTED);
                    case INVOKE_THROTTLED -> Set.of(baseline);
                    default -> withSafe(baseline);
                };
            }
        };
    }

    /** The execution runs past a {@code TimeoutSeconds} that ends it while it waits. */
    static Injection executionTimeout(long timeoutSeconds, Injection always) {
        return new Injection() {
            @Override
            public void arm(Run run) {
                always.arm(run);
            }

            @Override
            public String definition(String text) {
                try {
                    ObjectNode definition = (ObjectNode) Json.MAPPER.readTree(text);
                    definition.put("TimeoutSeconds", timeoutSeconds);
                    return Json.MAPPER.writeValueAsString(definition);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Set<Outcome> allowed(Outcome baseline) {
                return Set.of(Outcome.TIMED_OUT);
            }
        };
    }

    /** A second rollout of the same alias while the journey's runs: it is refused, the first goes on. */
    static List<Placed> concurrent(FaultMatrix.Journey journey) {
        return List.of(
                new Placed("same version, at the same moment",
                        concurrent(journey.scenario(), journey.to(), "again", 0)),
                new Placed("same version, 1m in", concurrent(journey.scenario(), journey.to(), "second", 60)),
                new Placed("version 3, 1m in", concurrent(journey.scenario(), "3", "other", 60)));
    }

    /** A second rollout of the scenario's alias to {@code version}, started {@code afterSeconds} in. */
    static Injection concurrent(ObjectNode scenario, String version, String suffix, long afterSeconds) {
        return new Injection() {
            @Override
            public void arm(Run run) {
                ObjectNode input = ((ObjectNode) scenario.get("rollout")).deepCopy()
                        .put("targetVersion", version);
                run.clock().schedule(run.clock().instant().plusSeconds(afterSeconds), () -> run.others.add(
                        run.simulation.runtime().start("orders-live-" + version + "-" + suffix, input)));
            }

            @Override
            public Set<Outcome> allowed(Outcome baseline) {
                return Set.of(baseline);
            }
        };
    }

    /** Someone changes the alias by hand in the first bake: the rollout stops and leaves it as they set it. */
    static List<Placed> manual(FaultMatrix.Journey journey) {
        return List.of(
                new Placed("promoted by hand", byHand(journey.to(), Map.of(), "version " + journey.to() + " 100%")),
                new Placed("rolled back by hand", byHand(journey.from(), Map.of(),
                        "version " + journey.from() + " 100%")),
                new Placed("set to 50% by hand", byHand(journey.from(), Map.of(journey.to(), 0.5),
                        "version " + journey.from() + " 50%, version " + journey.to() + " 50%")),
                new Placed("set to 30% by hand", byHand(journey.from(), Map.of(journey.to(), 0.3),
                        "version " + journey.from() + " 70%, version " + journey.to() + " 30%")));
    }

    private static Injection byHand(String version, Map<String, Double> weights, String expected) {
        return new Injection() {
            @Override
            public void arm(Run run) {
                run.clock().schedule(run.clock().instant().plus(FaultMatrix.MIDWAY), () -> run.simulation.aws()
                        .lambda().updateAlias(request -> request.functionName("orders").name("live")
                                .functionVersion(version)
                                .routingConfig(AliasRoutingConfiguration.builder()
                                        .additionalVersionWeights(weights).build())));
            }

            @Override
            public Optional<String> aliasLeftAs() {
                return Optional.of(expected);
            }

            @Override
            public Set<Outcome> allowed(Outcome baseline) {
                return Set.of(Outcome.STOPPED);
            }
        };
    }

    private static Set<Outcome> withSafe(Outcome baseline) {
        Set<Outcome> allowed = EnumSet.copyOf(SAFE);
        allowed.add(baseline);
        return allowed;
    }

    /** Lambda's error document for a failure of the runtime itself. */
    private static String errorDocument(String type, String message) {
        return Json.object().put("errorType", type).put("errorMessage", message).toString();
    }
}
