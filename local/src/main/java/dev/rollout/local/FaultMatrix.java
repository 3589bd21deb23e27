package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import dev.rollout.domain.Routing;
import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.asl.FunctionHungException;
import dev.rollout.local.asl.HistoryEvent;
import dev.rollout.local.asl.HistoryEventType;
import dev.rollout.local.asl.TaskFailedException;
import dev.rollout.local.aws.ApiGatewayErrors;
import dev.rollout.local.aws.CallingFunction;
import dev.rollout.local.aws.CloudWatchErrors;
import dev.rollout.local.aws.DynamoDbErrors;
import dev.rollout.local.aws.FaultInjector;
import dev.rollout.local.aws.LambdaErrors;
import dev.rollout.local.aws.PublishedMessage;
import dev.rollout.local.aws.Route53Errors;
import dev.rollout.local.aws.SnsErrors;
import dev.rollout.local.aws.StepFunctionsErrors;
import dev.rollout.local.time.VirtualClock;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * The fault matrix: every way the rollout's AWS calls, its task functions and its executions can go wrong, each run
 * as a whole rollout on the local runtime, each checked for the promise that the alias ends whole (or as someone
 * else left it), the execution ends the way the fault allows, and a person is told.
 *
 * <p>The rows are derived, not listed: each {@link Journey} runs once without faults while every in-memory service
 * notes which function makes which call ({@link FaultInjector#recordCallers}) and the executor notes which Task
 * states run. Every call of every function then gets a row per {@link Fault call fault}; every Task state gets a
 * crash, a Lambda time-out, a storm of throttled invocations and a stop; every state that waits gets an execution
 * time-out. A new call or a new state gets its rows without anyone writing them. Concurrent rollouts and changes by
 * hand complete it.
 */
public final class FaultMatrix {
    /** How long a storm of throttled invocations lasts: longer than one retry, shorter than the retry budget. */
    static final Duration INVOKE_STORM = Duration.ofMinutes(15);
    /** When a concurrent rollout starts or someone changes the alias by hand: during the first bake. */
    static final Duration MIDWAY = Duration.ofMinutes(1);

    /** What a row does wrong. */
    public enum Fault {
        THROTTLED_ONCE("throttled once"),
        PERSISTENT_5XX("persistent 5xx"),
        TIMEOUT("timeout"),
        RESPONSE_LOST("response lost, re-sent"),
        CRASH("crash"),
        LAMBDA_TIMEOUT("Lambda timeout"),
        INVOKE_THROTTLED("invokes throttled 15m"),
        STOP("stopped"),
        EXECUTION_TIMEOUT("execution timed out"),
        CONCURRENT("concurrent rollout"),
        MANUAL_CHANGE("changed by hand");

        private final String words;

        Fault(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }

        /** The faults every AWS call of every function gets. */
        static final List<Fault> OF_CALLS = List.of(THROTTLED_ONCE, PERSISTENT_5XX, TIMEOUT, RESPONSE_LOST);
        /** The faults every Task state gets. */
        static final List<Fault> OF_TASKS = List.of(CRASH, LAMBDA_TIMEOUT, INVOKE_THROTTLED, STOP);
    }

    /**
     * A rollout the matrix breaks in every way: a scenario, the outcome it has without faults, and faults it always
     * carries (the rollback that keeps failing).
     */
    public record Journey(String name, ObjectNode scenario, Outcome outcome, String from, String to) {
        /** Whether {@code side} is the one the rollout moves to; when it creates that side ({@code to} null), any other. */
        boolean isNewSide(String side) {
            return to == null ? !side.equals(from) : side.equals(to);
        }
    }

    /**
     * One row: a journey, where the fault strikes (a function, a Task state, or the execution), the call it strikes
     * (an AWS operation, or empty), the fault, and how it is armed.
     */
    public record Row(Journey journey, String where, String call, Fault fault, Injection injection) {
        /** A readable name: what goes wrong where, in which rollout. */
        public String name() {
            return journey.name() + ": " + (call.isEmpty() ? "" : call + " by ") + where + ", " + fault.words();
        }
    }

    /** What a row does to a run of its journey. */
    interface Injection {
        /** Arms faults on the simulation about to run. */
        default void arm(Run run) {
        }

        /** Each invocation a Task state makes goes through here. */
        default JsonNode invoke(Run run, String function, TaskInvocations.Invocation invocation)
                throws TaskFailedException, FunctionHungException {
            return invocation.run();
        }

        /** The state machine's text as this row loads it. */
        default String definition(String text) {
            return text;
        }

        /** The alias as the row's fault leaves it on purpose (someone else's change), if it does. */
        default Optional<String> aliasLeftAs() {
            return Optional.empty();
        }

        /** The outcomes this fault allows the journey's execution, given its outcome without faults. */
        Set<Outcome> allowed(Outcome baseline);
    }

    /** One run of a row, as its injection sees it. */
    static final class Run {
        Simulation simulation;
        /** Rollouts the row started itself, beside the journey's own. */
        final List<ExecutionHandle> others = new ArrayList<>();
        /** The Task states entered so far, in order, and when the first time. */
        final Map<String, Instant> statesEntered = new LinkedHashMap<>();

        /** The Task state the running execution is in: the last one it entered. */
        Optional<String> currentState() {
            List<ExecutionHandle> executions = simulation.runtime().stepFunctions().executions();
            for (ExecutionHandle execution : executions) {
                if (execution.status() != ExecutionStatus.RUNNING) {
                    continue;
                }
                List<HistoryEvent> history = execution.history();
                for (int i = history.size() - 1; i >= 0; i--) {
                    if (history.get(i).type() == HistoryEventType.TASK_STATE_ENTERED) {
                        return Optional.of(history.get(i).details(EventDetails.StateEntered.class).name());
                    }
                }
            }
            return Optional.empty();
        }

        VirtualClock clock() {
            return simulation.aws().clock();
        }
    }

    /** How a row ended, and whether it kept the promise. */
    public record Result(Row row, Outcome outcome, String alias, String told, List<String> broken, Duration wall) {
        public boolean passed() {
            return broken.isEmpty();
        }
    }

    private final Path projectRoot;
    private final List<Journey> journeys;
    private final List<Row> rows;
    private final Map<String, Set<String>> uncalled;

    private FaultMatrix(Path projectRoot, List<Journey> journeys, List<Row> rows, Map<String, Set<String>> uncalled) {
        this.projectRoot = projectRoot;
        this.journeys = journeys;
        this.rows = rows;
        this.uncalled = uncalled;
    }

    /** The operations each in-memory service serves that no function called in any journey: they have no rows. */
    public Map<String, Set<String>> uncalled() {
        return uncalled;
    }

    public List<Row> rows() {
        return rows;
    }

    public List<Journey> journeys() {
        return journeys;
    }

    /** Runs every journey once without faults and derives the rows from what ran. */
    public static FaultMatrix derive(Path projectRoot) throws IOException {
        List<Journey> journeys = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        Set<String> callsCovered = new LinkedHashSet<>();
        Set<String> statesCovered = new LinkedHashSet<>();
        Map<String, Set<String>> uncalled = new LinkedHashMap<>();
        for (FaultMatrixJourneys.Spec spec : FaultMatrixJourneys.all()) {
            Run run = new Run();
            Injection recording = baseline -> Set.of(baseline);
            Simulation simulation = simulate(projectRoot, spec.scenario(), recording, run);
            services(simulation).values().forEach(FaultInjector::recordCallers);
            spec.always().arm(run);
            Simulation.Result result = simulation.run();
            runSweeper(simulation);
            Journey journey = new Journey(spec.name(), spec.scenario(), result.outcome(), spec.from(), spec.to());
            journeys.add(journey);
            for (Map.Entry<String, FaultInjector> service : services(simulation).entrySet()) {
                Set<String> notYet = uncalled.computeIfAbsent(service.getKey(),
                        name -> new TreeSet<>(service.getValue().operations()));
                service.getValue().callers().forEach((function, operations) -> {
                    if (function.equals(CallingFunction.NONE)) {
                        return; // the simulation's own calls: setting the world up, reading it for the report
                    }
                    notYet.removeAll(operations);
                    for (String operation : operations) {
                        if (callsCovered.add(function + " " + service.getKey() + " " + operation)) {
                            for (Fault fault : Fault.OF_CALLS) {
                                rows.add(new Row(journey, function, service.getKey() + " " + operation, fault,
                                        FaultMatrixInjections.call(service.getKey(), function, operation, fault,
                                                spec.always())));
                            }
                        }
                    }
                });
            }
            for (Map.Entry<String, Instant> state : run.statesEntered.entrySet()) {
                if (!statesCovered.add(state.getKey())) {
                    continue;
                }
                for (Fault fault : Fault.OF_TASKS) {
                    rows.add(new Row(journey, state.getKey(), "", fault,
                            FaultMatrixInjections.task(state.getKey(), fault, spec.always())));
                }
                if (FaultMatrixJourneys.waitsForTaskToken(projectRoot, state.getKey())) {
                    long timeoutSeconds = Duration.between(Simulation.START, state.getValue()).plusSeconds(30)
                            .getSeconds();
                    rows.add(new Row(journey, state.getKey(), "", Fault.EXECUTION_TIMEOUT,
                            FaultMatrixInjections.executionTimeout(timeoutSeconds, spec.always())));
                }
            }
            if (spec.others()) {
                for (FaultMatrixInjections.Placed concurrent : FaultMatrixInjections.concurrent(journey)) {
                    rows.add(new Row(journey, concurrent.where(), "", Fault.CONCURRENT, concurrent.injection()));
                }
                for (FaultMatrixInjections.Placed manual : FaultMatrixInjections.manual(journey)) {
                    rows.add(new Row(journey, manual.where(), "", Fault.MANUAL_CHANGE, manual.injection()));
                }
            }
        }
        return new FaultMatrix(projectRoot, journeys, rows, uncalled);
    }

    /** Runs one row and checks it. */
    public Result run(Row row) {
        long wallStart = System.nanoTime();
        Run run = new Run();
        try {
            Simulation simulation = simulate(projectRoot, row.journey().scenario(), row.injection(), run);
            row.injection().arm(run);
            Simulation.Result result = simulation.run();
            // Let the ending settle: other rollouts end, the sweeper makes at least one round.
            simulation.aws().clock().runUntil(() -> run.others.stream()
                    .noneMatch(other -> other.status() == ExecutionStatus.RUNNING));
            runSweeper(simulation);
            return check(row, run, result, Duration.ofNanos(System.nanoTime() - wallStart));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            return new Result(row, Outcome.STUCK, "?", "?", List.of("the run failed: " + e),
                    Duration.ofNanos(System.nanoTime() - wallStart));
        }
    }

    private static Simulation simulate(Path projectRoot, ObjectNode scenario, Injection injection, Run run)
            throws IOException {
        Simulation simulation = new Simulation(projectRoot, Scenario.read(scenario), new VirtualClock(Simulation.START),
                (function, invocation) -> {
                    run.currentState().ifPresent(state -> run.statesEntered.putIfAbsent(state, run.clock().instant()));
                    return injection.invoke(run, function, invocation);
                }, injection::definition, line -> { });
        run.simulation = simulation;
        return simulation;
    }

    /** After the rollout: one round of the sweeper at least, as its schedule would run it. */
    private static void runSweeper(Simulation simulation) {
        simulation.aws().clock().runUntil(() -> !simulation.sweeps().isEmpty());
    }

    /** The in-memory services whose calls the functions make, by the names rows use. */
    static Map<String, FaultInjector> services(Simulation simulation) {
        LocalAws aws = simulation.aws();
        Map<String, FaultInjector> services = new LinkedHashMap<>();
        services.put("Lambda", aws.lambda().faults());
        services.put("CloudWatch", aws.cloudWatch().faults());
        services.put("SNS", aws.sns().faults());
        services.put("DynamoDB", aws.dynamoDb().faults());
        services.put("Step Functions", aws.stepFunctions().faults());
        services.put("API Gateway", aws.apiGateway().faults());
        services.put("Route 53", aws.route53().faults());
        return services;
    }

    /** The service's own errors for a throttled call and for a failure on its side. */
    static Supplier<? extends RuntimeException> error(String service, Fault fault) {
        boolean throttled = fault == Fault.THROTTLED_ONCE;
        if (fault == Fault.TIMEOUT) {
            // What the SDK throws when a call outlasts its apiCallTimeout: the request may never have arrived.
            return () -> ApiCallTimeoutException.create(10_000);
        }
        return switch (service) {
            case "Lambda" -> throttled ? LambdaErrors::throttled : LambdaErrors::serviceError;
            case "CloudWatch" -> throttled ? CloudWatchErrors::throttled : CloudWatchErrors::internalError;
            case "SNS" -> throttled ? SnsErrors::throttled : SnsErrors::internalError;
            case "DynamoDB" -> throttled ? DynamoDbErrors::throttled : DynamoDbErrors::internalError;
            case "Step Functions" -> throttled ? StepFunctionsErrors::throttled : StepFunctionsErrors::serviceError;
            case "API Gateway" -> throttled ? ApiGatewayErrors::throttled : ApiGatewayErrors::unavailable;
            case "Route 53" -> throttled ? Route53Errors::throttled : Route53Errors::unavailable;
            default -> throw new IllegalArgumentException("no errors for service " + service);
        };
    }

    private Result check(Row row, Run run, Simulation.Result result, Duration wall) {
        Simulation simulation = run.simulation;
        Journey journey = row.journey();
        List<String> broken = new ArrayList<>();
        Outcome outcome = result.outcome();
        if (!row.injection().allowed(journey.outcome()).contains(outcome)) {
            broken.add("ended " + outcome + ", expected " + row.injection().allowed(journey.outcome()));
        }
        for (ExecutionHandle other : run.others) {
            Outcome ended = Outcome.of(other);
            if (ended != Outcome.REFUSED) {
                broken.add("the second rollout " + other.name() + " ended " + ended + ", expected REFUSED");
            }
        }
        Routing target = simulation.target();
        String routing = target.describe();
        Optional<String> leftAs = row.injection().aliasLeftAs();
        if (leftAs.isPresent()) {
            if (!routing.equals(leftAs.get())) {
                broken.add("the target routes " + routing + ", expected it left as set by hand: " + leftAs.get());
            }
        } else if (target.isSplit()) {
            broken.add("the target is left split: " + routing);
        } else if (outcome == Outcome.PROMOTED && !journey.isNewSide(target.primary())) {
            broken.add("promoted, but the target routes " + routing);
        } else if (outcome != Outcome.PROMOTED && !target.primary().equals(journey.from())) {
            broken.add("ended " + outcome + ", but the target routes " + routing + ", not the starting side "
                    + journey.from());
        }
        List<ExecutionHandle> executions = new ArrayList<>();
        result.started().ifPresent(executions::add);
        executions.addAll(run.others);
        List<String> told = new ArrayList<>();
        // The sweeper's StuckRollouts datapoints, from its log, put the template's alarm in ALARM.
        boolean stuckReported = simulation.sweeperAlarms().contains("StuckRolloutsAlarm");
        for (ExecutionHandle execution : executions) {
            Optional<String> notice = endingNotice(simulation, execution);
            if (notice.isPresent()) {
                // A notice SNS refused to Notify, kept and published by the sweeper once the execution ended.
                told.add(notice.get() + (resentBySweep(simulation, execution) ? ", re-sent by Sweep" : ""));
                // What people read last must be how it ended: promoted only when the new side has everything.
                boolean saysPromoted = notice.get().equals("promoted");
                if (execution == result.started().orElse(null) && leftAs.isEmpty() && !target.isSplit()
                        && !journey.from().equals(journey.to())
                        && saysPromoted != journey.isNewSide(target.primary())) {
                    broken.add("the last notice says " + notice.get() + ", but the target routes " + routing);
                }
            } else if (stuckReported) {
                told.add("StuckRollouts alarm");
            } else if (kept(simulation.restores().onFailure(), execution)) {
                // Lambda keeps the event of a Restore that failed every attempt on its OnFailure destination.
                told.add(alarmOf(simulation.restores().destination()));
            } else {
                broken.add("nobody was told how " + execution.name() + " ended");
            }
        }
        // A start Lambda gave up on is kept on StartRollout's OnFailure destination, whose alarm goes off.
        Optional<AutomaticRollouts> automatic = simulation.automaticStart();
        if (result.started().isEmpty()) {
            if (automatic.isPresent() && !automatic.get().lostStarts().isEmpty()) {
                told.add(alarmOf(automatic.get().destination()));
            } else {
                broken.add("nobody was told that no rollout started");
            }
        }
        // So is the next environment's start that ContinueChain failed every attempt to make.
        simulation.environmentChain().filter(chain -> !chain.onFailure().isEmpty())
                .ifPresent(chain -> told.add(alarmOf(chain.destination())));
        return new Result(row, outcome, routing, String.join(", ", told), broken, wall);
    }

    /** Whether a round of the sweeper published a notice of {@code execution}'s ending that Notify had kept. */
    private static boolean resentBySweep(Simulation simulation, ExecutionHandle execution) {
        return simulation.sweeps().stream().flatMap(round -> round.answer().stream())
                .flatMap(answer -> java.util.stream.StreamSupport.stream(answer.at("/notices/sent").spliterator(), false))
                .anyMatch(sent -> sent.path("executionArn").asText().equals(execution.executionArn()));
    }

    /** Whether an OnFailure destination holds the status change event of {@code execution}'s ending. */
    private static boolean kept(List<JsonNode> records, ExecutionHandle execution) {
        return records.stream().anyMatch(record -> record.at("/requestPayload/detail/executionArn").asText()
                .equals(execution.executionArn()));
    }

    /** The alarm on a destination queue, as the template pairs them: FailedRestoresQueue, FailedRestores alarm. */
    private static String alarmOf(Optional<String> destination) {
        return destination.orElseThrow(() -> new IllegalStateException("Lambda kept an event with no destination"))
                .replaceFirst("Queue$", "") + " alarm";
    }

    /** The phase of the last notice on the rollout topic that tells how {@code execution} ended, in words. */
    private static Optional<String> endingNotice(Simulation simulation, ExecutionHandle execution) {
        LocalAws aws = simulation.aws();
        Optional<String> last = Optional.empty();
        for (PublishedMessage message : aws.sns().outbox(aws.topicArn())) {
            var phase = message.messageAttributes().get("phase");
            String words = phase == null ? "" : phase.stringValue();
            if (!words.equals("STARTED") && !words.equals("AWAITING_APPROVAL")
                    && message.message().contains(execution.executionArn())) {
                last = Optional.of(words.toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            }
        }
        return last;
    }
}
