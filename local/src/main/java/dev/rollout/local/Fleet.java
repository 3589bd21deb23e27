package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import dev.rollout.aws.Alarms;
import dev.rollout.aws.Aliases;
import dev.rollout.domain.AlarmTransition;
import dev.rollout.domain.RolloutRequest;
import dev.rollout.domain.RolloutTrigger;
import dev.rollout.domain.Routing;
import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.asl.HistoryEvent;
import dev.rollout.local.asl.HistoryEventType;
import dev.rollout.local.aws.RequestRates;
import dev.rollout.local.aws.VersionBehaviour;
import dev.rollout.local.time.VirtualClock;

/**
 * Runs N copies of one scenario in one embedded AWS account on one clock: N functions (the scenario's function with a
 * number appended, each with its own alarms), each rolled out by its own execution of the one state machine, the
 * starts spread evenly over {@code spread}. Every copy's calls meet the same quotas and the same account concurrency.
 */
public final class Fleet {
    private final Path projectRoot;
    private final JsonNode document;
    private final Scenario scenario;
    private final int size;
    private final Duration spread;
    private final int concurrency;

    /**
     * @param document    the scenario document (each copy is this document with its names numbered)
     * @param concurrency the account's concurrent executions quota
     */
    public Fleet(Path projectRoot, JsonNode document, int size, Duration spread, int concurrency) {
        this.projectRoot = projectRoot;
        this.document = document;
        this.scenario = Scenario.read(document);
        if (size < 1) {
            throw new IllegalArgumentException("a fleet needs at least one rollout, got " + size);
        }
        if (spread.isNegative()) {
            throw new IllegalArgumentException("the spread of the starts must not be negative, got " + spread);
        }
        if (!scenario.faults().isEmpty()) {
            throw new IllegalArgumentException("a fleet runs scenarios without faults: a fault is armed account-wide,"
                    + " so it would hit whichever rollouts call first");
        }
        if (scenario.dns().isPresent()) {
            throw new IllegalArgumentException("a fleet runs scenarios without dns: copies would share one hosted"
                    + " zone and record name, and one rollout per record is all Route 53 targets allow");
        }
        if (!scenario.controls().isEmpty()) {
            throw new IllegalArgumentException("a fleet runs scenarios without controls: an abort or promote-now"
                    + " belongs to one rollout's notice, and a fleet has many");
        }
        if (scenario.tags().containsKey(dev.rollout.domain.EnvironmentChain.TAG)) {
            throw new IllegalArgumentException("a fleet runs one rollout per copy: a scenario with an environment chain"
                    + " (tag " + dev.rollout.domain.EnvironmentChain.TAG + ") would stop each copy after its first"
                    + " environment; run it without --fleet");
        }
        if (scenario.approvals().stream().map(Scenario.Answer::answer).distinct().count() > 1
                || scenario.approvals().size() > 1) {
            throw new IllegalArgumentException("a fleet answers at most one approval per rollout: the requests of"
                    + " all rollouts arrive interleaved");
        }
        this.size = size;
        this.spread = spread;
        this.concurrency = concurrency;
    }

    /** Runs every copy to its end. */
    public Result run() throws IOException {
        long wallStart = System.nanoTime();
        VirtualClock clock = new VirtualClock(Simulation.START);
        LocalAws aws = LocalAws.create(clock, null);
        Instant began = clock.instant();
        Consumer<String> silent = line -> { };
        List<Copy> copies = new ArrayList<>();
        double servingConcurrency = 0;
        for (int i = 0; i < size; i++) {
            Scenario copy = Scenario.read(numbered(document, scenario, i + 1, size));
            Instant startAt = began.plus(spread.multipliedBy(i).dividedBy(size));
            ScenarioWorld.build(copy, aws, startAt, new ProgressReport(aws, copy, startAt, silent));
            copies.add(new Copy(copy, startAt));
            double longest = copy.versions().stream().mapToDouble(VersionBehaviour::latencyMillis).max().orElse(0);
            servingConcurrency += copy.requestsPerMinute() / 60.0 * longest / 1000.0;
        }
        aws.rates().resetUsage();
        aws.concurrency().limit(concurrency);
        aws.enforceQuotas();
        LocalRuntime runtime = LocalRuntime.load(projectRoot, aws);
        // Every ending reaches Restore through the template's rule, as in AWS.
        ExecutionEndings.attach(projectRoot, runtime, delivery -> { });
        Optional<AutomaticRollouts> automatic = scenario.trigger() == Scenario.Trigger.PUBLISH
                ? Optional.of(AutomaticRollouts.attach(projectRoot, runtime,
                        copies.stream().map(copy -> copy.scenario.function()).toList()))
                : Optional.empty();
        for (Copy copy : copies) {
            clock.schedule(copy.startAt, () -> {
                copy.start(aws, runtime, automatic);
                scheduleTraffic(aws, copy);
            });
            copy.scenario.stop().ifPresent(stop -> clock.schedule(copy.startAt.plus(stop.at()), () -> {
                if (copy.running()) {
                    runtime.stepFunctions().stop(copy.execution.get().executionArn(), stop.error(), stop.cause());
                }
            }));
        }
        ApprovalAnswers approvals = new ApprovalAnswers(withAnswers(scenario, size), aws, runtime.approvalPage(),
                new ProgressReport(aws, scenario, began, silent));
        while (clock.runNext()) {
            if (!scenario.approvals().isEmpty()) {
                approvals.answerNewRequests();
            }
        }
        List<RequestRates.ApiUsage> usage = aws.rates().usage();
        aws.rates().enforce(false); // reading the aliases afterwards is not part of the rollouts
        Map<Outcome, Integer> outcomes = new HashMap<>();
        Map<String, Integer> endedBy = new TreeMap<>();
        List<Duration> durations = new ArrayList<>();
        List<Duration> reactions = new ArrayList<>();
        Alarms alarms = new Alarms(aws.cloudWatch());
        int split = 0;
        long transitions = 0;
        for (Copy copy : copies) {
            Outcome outcome = copy.execution.map(Outcome::of).orElse(Outcome.NOT_STARTED);
            outcomes.merge(outcome, 1, Integer::sum);
            if (outcome != Outcome.PROMOTED) {
                endedBy.merge(outcome + " by " + copy.execution.flatMap(ExecutionHandle::error).orElse("no error"), 1,
                        Integer::sum);
            }
            Routing routing = new Aliases(aws.lambda()).read(copy.scenario.function(), copy.scenario.alias());
            if (routing.isSplit()) {
                split++;
            }
            if (copy.execution.isPresent()) {
                ExecutionHandle execution = copy.execution.get();
                transitions += execution.stateTransitions();
                execution.stopDate().ifPresent(stop -> durations.add(Duration.between(copy.startAt, stop)));
                if (outcome == Outcome.ROLLED_BACK) {
                    reaction(copy, execution, alarms).ifPresent(reactions::add);
                }
            }
        }
        Collections.sort(durations);
        Collections.sort(reactions);
        return new Result(scenario, size, spread, outcomes, endedBy, split, durations, reactions, usage, transitions,
                peakTransitionsPerSecond(copies), aws.concurrency().invocations(), aws.concurrency().throttles(),
                aws.concurrency().peak(), aws.concurrency().limit(), servingConcurrency,
                Duration.ofNanos(System.nanoTime() - wallStart));
    }

    /**
     * From the first entry into ALARM of one of the copy's alarms to its Rollback done: the reaction a failing version
     * gets, whatever else the account is busy with. Empty when no alarm fired (a rollback for another reason).
     */
    private static Optional<Duration> reaction(Copy copy, ExecutionHandle execution, Alarms alarms) {
        Instant ended = execution.stopDate().orElseThrow();
        Optional<Instant> fired = copy.scenario.alarms().stream()
                .flatMap(alarm -> alarms.transitions(alarm.name(), copy.startAt, ended).stream())
                .filter(AlarmTransition::entersAlarm)
                .map(AlarmTransition::at).min(Instant::compareTo);
        Optional<Instant> restored = execution.history().stream()
                .filter(event -> event.type() == HistoryEventType.TASK_STATE_EXITED
                        && event.details(EventDetails.StateExited.class).name().equals("Rollback"))
                .map(HistoryEvent::timestamp).findFirst();
        return fired.flatMap(at -> restored.map(done -> Duration.between(at, done)));
    }

    /**
     * A minute of traffic through each copy's alias, a minute after its start and every minute after while it runs,
     * each followed by an evaluation of that copy's alarms: one function's load, on its own minute.
     */
    private static void scheduleTraffic(LocalAws aws, Copy copy) {
        List<String> alarms = copy.scenario.alarms().stream().map(Scenario.AlarmSpec::name).toList();
        aws.clock().schedule(copy.startAt.plus(Duration.ofMinutes(1)), new Runnable() {
            @Override
            public void run() {
                if (!copy.running()) {
                    return;
                }
                aws.traffic().invokeAlias(copy.scenario.function(), copy.scenario.alias(),
                        copy.scenario.requestsPerMinute());
                aws.cloudWatch().evaluateAlarms(alarms);
                aws.clock().after(Duration.ofMinutes(1), this);
            }
        });
    }

    /** The most state transitions any one second of the clock saw, over every execution. */
    private static long peakTransitionsPerSecond(List<Copy> copies) {
        Map<Long, Long> perSecond = new HashMap<>();
        for (Copy copy : copies) {
            if (copy.execution.isEmpty()) {
                continue;
            }
            for (HistoryEvent event : copy.execution.get().history()) {
                if (event.type().name().endsWith("_STATE_ENTERED")) {
                    perSecond.merge(event.timestamp().getEpochSecond(), 1L, Long::sum);
                }
            }
        }
        return perSecond.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /**
     * The scenario document with its function and alarm names numbered: {@code orders} becomes {@code orders-0042},
     * in the function, the alarms and their dimensions (including {@code orders:live}), the rollout input and tags.
     */
    static JsonNode numbered(JsonNode document, Scenario scenario, int number, int size) {
        String suffix = "-" + String.format("%0" + Math.max(4, String.valueOf(size).length()) + "d", number);
        Map<String, String> names = new HashMap<>();
        names.put(scenario.function(), scenario.function() + suffix);
        for (Scenario.AlarmSpec alarm : scenario.alarms()) {
            names.put(alarm.name(), alarm.name() + suffix);
        }
        JsonNode copy = document.deepCopy();
        return rename(copy, names, scenario.function(), suffix);
    }

    private static JsonNode rename(JsonNode node, Map<String, String> names, String function, String suffix) {
        if (node.isTextual()) {
            String text = node.asText();
            if (names.containsKey(text)) {
                return TextNode.valueOf(names.get(text));
            }
            if (text.startsWith(function + ":")) {
                return TextNode.valueOf(function + suffix + text.substring(function.length()));
            }
            if (text.contains(",")) { // a tag listing alarm names, e.g. rollout:alarms
                List<String> parts = new ArrayList<>();
                for (String part : text.split(",", -1)) {
                    parts.add(names.getOrDefault(part.strip(), part));
                }
                return TextNode.valueOf(String.join(",", parts));
            }
            return node;
        }
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getKey().equals("description")) {
                    field.setValue(rename(field.getValue(), names, function, suffix));
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, rename(array.get(i), names, function, suffix));
            }
        }
        return node;
    }

    /** The scenario with its one answer given to each of {@code size} approval requests. */
    private static Scenario withAnswers(Scenario scenario, int size) {
        List<Scenario.Answer> answers = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            answers.addAll(scenario.approvals());
        }
        return new Scenario(scenario.description(), scenario.function(), scenario.alias(), scenario.versions(),
                scenario.liveVersion(), scenario.extraRouting(), scenario.requestsPerMinute(), scenario.alarms(),
                scenario.changes(), scenario.faults(), scenario.trigger(), scenario.tags(), answers, scenario.rollout(),
                scenario.stop(), scenario.hooks(), scenario.aliases(), scenario.api(), scenario.dns(),
                scenario.controls());
    }

    /** One rollout of the fleet. */
    private static final class Copy {
        private final Scenario scenario;
        private final Instant startAt;
        private Optional<ExecutionHandle> execution = Optional.empty();

        Copy(Scenario scenario, Instant startAt) {
            this.scenario = scenario;
            this.startAt = startAt;
        }

        void start(LocalAws aws, LocalRuntime runtime, Optional<AutomaticRollouts> automatic) {
            if (automatic.isEmpty()) {
                JsonNode input = scenario.rollout();
                String name = RolloutTrigger.executionName(input.path("functionName").asText("rollout"),
                        input.path("alias").asText(RolloutRequest.DEFAULT_ALIAS),
                        input.path("targetVersion").asText("0"));
                execution = Optional.of(runtime.start(name, input));
                return;
            }
            VersionBehaviour behaviour = scenario.versions().get(scenario.versions().size() - 1);
            AutomaticRollouts.Publication published = automatic.get().publish(scenario.function(),
                    "arn:aws:iam::" + aws.account().accountId() + ":user/deployer");
            aws.traffic().setVersionBehaviour(scenario.function(), published.version(), behaviour);
            published.delivered().map(answer -> answer.path("executionArn").asText())
                    .flatMap(arn -> runtime.stepFunctions().execution(arn))
                    .ifPresent(found -> execution = Optional.of(found));
        }

        boolean running() {
            return execution.isPresent() && execution.get().status() == ExecutionStatus.RUNNING;
        }
    }

    /**
     * How a fleet run went.
     *
     * @param endedBy             the rollouts that did not promote, by outcome and the error that ended them, e.g.
     *                            {@code ROLLED_BACK by Rollout.AlarmTriggered}: one ended by another's throttling
     *                            would say {@code Rollout.Throttled}
     * @param durations           each ended rollout's time from its start to its end, shortest first
     * @param reactions           for each rollout rolled back after one of its alarms fired, the time from the alarm's
     *                            entry into ALARM to the alias restored, shortest first
     * @param usage               every API call the rollouts made, per API
     * @param stateTransitions    over every execution
     * @param taskInvocations     task function invocations, throttled ones included
     * @param servingConcurrency  the concurrency the rolled-out functions' own traffic holds
     */
    public record Result(Scenario scenario, int size, Duration spread, Map<Outcome, Integer> outcomes,
                         Map<String, Integer> endedBy, int splitAliases, List<Duration> durations,
                         List<Duration> reactions, List<RequestRates.ApiUsage> usage, long stateTransitions,
                         long peakTransitionsPerSecond, long taskInvocations, long taskThrottles, int peakTasksRunning,
                         int concurrencyLimit, double servingConcurrency, Duration wall) {
    }
}
