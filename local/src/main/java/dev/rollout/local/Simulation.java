package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import Rollout.InvalidInput;
import dev.rollout.aws.Aliases;
import dev.rollout.domain.AppSpec;
import dev.rollout.domain.EnvironmentChain;
import dev.rollout.domain.Routing;
import dev.rollout.domain.RolloutRequest;
import dev.rollout.domain.RolloutTrigger;
import dev.rollout.handlers.ApprovalPage;
import dev.rollout.handlers.ControlPage;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.aws.VersionBehaviour;
import dev.rollout.local.time.VirtualClock;

/**
 * Runs one {@link Scenario} on the local runtime: builds its world ({@link ScenarioWorld}), arms its faults
 * ({@link ScenarioFaults}), starts the rollout, sends a minute of traffic at a time through the alias while it runs
 * ({@link ScenarioTraffic}), answers approvals ({@link ApprovalAnswers}), presses the scenario's controls
 * ({@link ScenarioControls}), reports each step as it happens
 * ({@link ProgressReport}) and tells how it ended ({@link Outcome#of}). A scenario's {@code stop} stops the execution as
 * StopExecution does; every ending reaches Restore through the template's rule ({@link ExecutionEndings}), and an
 * alias the rollout leaves split ends the simulation {@link Outcome#STUCK}.
 */
public final class Simulation {
    /** Simulations start at a fixed instant so that their output is reproducible. */
    public static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    private final Scenario scenario;
    private final Path projectRoot;
    private final LocalAws aws;
    private final LocalRuntime runtime;
    private final Instant began;
    private final ProgressReport progress;
    private final ApprovalPage approvalPage;
    private final ApprovalAnswers approvals;
    private final ControlPage controlPage;
    private final ExecutionEndings endings;
    /** ContinueChain on every ending, for a function with an environment chain; else empty. */
    private final Optional<ExecutionEndings> chain;
    private final SweeperSchedule sweeper;
    /** The automatic start, once a scenario with trigger publish has published its version; else empty. */
    private Optional<AutomaticRollouts> automatic = Optional.empty();
    private final String initialRouting;
    private final Optional<ScenarioDns> dns;

    /**
     * @param outboxJournal where published messages are appended as JSON lines, or null
     * @param out           receives one progress line per step
     */
    public Simulation(Path projectRoot, Scenario scenario, VirtualClock clock, Path outboxJournal,
                      Consumer<String> out) throws IOException {
        this(projectRoot, scenario, clock, outboxJournal, LocalAws.DEFAULT_APPROVAL_URL, out);
    }

    /** @param approvalUrl where approval links point: an {@link ApprovalServer} serving {@link #approvalPage()} */
    public Simulation(Path projectRoot, Scenario scenario, VirtualClock clock, Path outboxJournal, String approvalUrl,
                      Consumer<String> out) throws IOException {
        this(projectRoot, scenario, clock, outboxJournal, approvalUrl, TaskInvocations.NONE, UnaryOperator.identity(),
                out);
    }

    /**
     * As the fault matrix runs a scenario: each task invocation goes through {@code invocations} (after the
     * scenario's own faults are armed), and the state machine's text through {@code definition}.
     */
    Simulation(Path projectRoot, Scenario scenario, VirtualClock clock, TaskInvocations invocations,
               UnaryOperator<String> definition, Consumer<String> out) throws IOException {
        this(projectRoot, scenario, clock, null, LocalAws.DEFAULT_APPROVAL_URL, invocations, definition, out);
    }

    private Simulation(Path projectRoot, Scenario scenario, VirtualClock clock, Path outboxJournal, String approvalUrl,
                       TaskInvocations invocations, UnaryOperator<String> definition, Consumer<String> out)
            throws IOException {
        this.scenario = scenario;
        this.projectRoot = projectRoot;
        this.aws = LocalAws.create(clock, outboxJournal, approvalUrl);
        this.began = clock.instant();
        this.progress = new ProgressReport(aws, scenario, began, out);
        this.dns = ScenarioWorld.build(scenario, aws, began, progress);
        dns.ifPresent(progress::followDns);
        // The world existed before the rollout: only the rollout's own calls meet AWS's quotas.
        aws.enforceQuotas();
        ScenarioFaults faults = new ScenarioFaults(scenario, aws);
        this.runtime = LocalRuntime.load(projectRoot, aws, (function, invocation) -> {
            faults.beforeInvoking(function);
            return invocations.invoke(function, invocation);
        }, definition);
        scenario.hooks().forEach(runtime.hooks()::add);
        this.approvalPage = runtime.approvalPage();
        this.approvals = new ApprovalAnswers(scenario, aws, approvalPage, progress);
        this.controlPage = runtime.controlPage();
        this.endings = ExecutionEndings.attach(projectRoot, runtime, this::restoreReported);
        // In AWS every ending reaches ContinueChain, which skips functions without a chain: a scenario without one
        // leaves it out, so that its calls do not count among the rollout's.
        this.chain = scenario.tags().containsKey(EnvironmentChain.TAG)
                ? Optional.of(ExecutionEndings.attachChain(projectRoot, runtime, this::chainReported))
                : Optional.empty();
        this.sweeper = SweeperSchedule.attach(projectRoot, runtime, this::sweepReported);
        this.initialRouting = progress.target().describe();
    }

    /** The approval page on this simulation's approvals: serve it where approval links point. */
    public ApprovalPage approvalPage() {
        return approvalPage;
    }

    /** The control page (abort, promote now) on this simulation's rollouts: serve it where control links point. */
    public ControlPage controlPage() {
        return controlPage;
    }

    /** When no scenario answer is left, a person answers through the served page (the clock must run in real time). */
    public void expectPeopleToAnswer(boolean interactive) {
        approvals.expectPeopleToAnswer(interactive);
    }

    public LocalAws aws() {
        return aws;
    }

    /** The scenario's hook functions, with every invocation they got. */
    public SimulatedHooks hooks() {
        return runtime.hooks();
    }

    public LocalRuntime runtime() {
        return runtime;
    }

    /** Where the target's traffic goes now: the alias, or the stage and its canary. */
    public Routing target() {
        return progress.target();
    }

    /** The sweeper's rounds so far (they start once the execution has ended). */
    public List<SweeperSchedule.Round> sweeps() {
        return sweeper.rounds();
    }

    /** The template's alarms on the sweeper's metrics that went to ALARM, by logical ID ({@code StuckRolloutsAlarm}). */
    public java.util.Set<String> sweeperAlarms() {
        return sweeper.alarmsRaised();
    }

    /** What Restore was told of each ending, and how it answered. */
    public List<ExecutionEndings.Delivery> endings() {
        return endings.deliveries();
    }

    /** The rule that hands every ending to Restore, with what Lambda kept of the ones Restore failed. */
    public ExecutionEndings restores() {
        return endings;
    }

    /** The rule that starts a rollout of a published version; present once a scenario with trigger publish ran. */
    public Optional<AutomaticRollouts> automaticStart() {
        return automatic;
    }

    /** The rule that hands every ending to ContinueChain; present when the scenario's function has a chain. */
    public Optional<ExecutionEndings> environmentChain() {
        return chain;
    }

    /** Runs the rollout to its end and reports how it went. */
    public Result run() throws IOException {
        long wallStart = System.nanoTime();
        Optional<ExecutionHandle> started = start();
        if (started.isEmpty()) {
            return new Result(Outcome.NOT_STARTED, Optional.empty(), progress.target().describe(), Duration.ZERO,
                    Duration.ofNanos(System.nanoTime() - wallStart), progress.lines(), aws.sns().outbox().size(),
                    progress.targetLabel(), 0);
        }
        ExecutionHandle execution = started.get();
        if (chain.isPresent()) {
            progress.follow(execution.input().path("alias").asText(scenario.alias()));
        }
        ScenarioTraffic.schedule(scenario, aws, aws.clock().instant(), execution, dns);
        ScenarioControls.schedule(scenario, aws, controlPage, progress, began);
        scenario.stop().ifPresent(stop -> aws.clock().schedule(began.plus(stop.at()), () -> {
            if (execution.status() == ExecutionStatus.RUNNING) {
                progress.note("Stop", "StopExecution" + (stop.error().isEmpty() ? "" : " (" + stop.error() + ")")
                        + ": the execution is ABORTED; no Catch runs");
                runtime.stepFunctions().stop(execution.executionArn(), stop.error(), stop.cause());
            }
        }));
        ExecutionHandle current = execution;
        while (true) {
            ExecutionHandle running = current;
            while (running.status() == ExecutionStatus.RUNNING && aws.clock().runNext()) {
                progress.report(running);
                approvals.answerNewRequests();
            }
            progress.report(running);
            // The ending's status change event reaches Restore (and ContinueChain) after the execution ended, and
            // may be retried.
            aws.clock().runUntil(() -> !endings.busy() && chain.map(c -> !c.busy()).orElse(true));
            // A chain's promotion started the next environment's rollout: follow it, with traffic of its own.
            List<ExecutionHandle> executions = runtime.stepFunctions().executions();
            ExecutionHandle newest = executions.get(executions.size() - 1);
            if (chain.isEmpty() || newest.executionArn().equals(running.executionArn())) {
                break;
            }
            current = newest;
            progress.follow(current.input().path("alias").asText());
            ScenarioTraffic.schedule(scenario, aws, aws.clock().instant(), current, dns);
        }
        // An alias still split now waits for the sweeper: two rounds at most, the bound the docs promise. Its rounds
        // start once the execution has ended: during the run nothing can leave work for it here (approvals in a
        // scenario are delivered at once), and a year-long bake would otherwise cost a hundred thousand rounds.
        sweeper.start();
        Instant sweptBy = aws.clock().instant().plus(sweeper.period().multipliedBy(2));
        aws.clock().runUntil(() -> !progress.target().isSplit() || !aws.clock().instant().isBefore(sweptBy));
        // What is read after the rollout (the summary, the report) is not part of it: no quota applies.
        aws.rates().enforce(false);
        Routing finalAlias = progress.target();
        Outcome ended = Outcome.of(current);
        // Split by the rollout is stuck; split as someone else set it, and left so on purpose, is not.
        boolean leftAsFound = ended == Outcome.STOPPED || ended == Outcome.REFUSED || ended == Outcome.INVALID_INPUT;
        Outcome outcome = finalAlias.describe().equals(initialRouting) || !finalAlias.isSplit() || leftAsFound
                ? ended : Outcome.STUCK;
        return new Result(outcome, Optional.of(current), chain.isPresent() ? environments() : finalAlias.describe(),
                Duration.between(began, aws.clock().instant()), Duration.ofNanos(System.nanoTime() - wallStart),
                progress.lines(), aws.sns().outbox().size(), chain.isPresent() ? "Aliases" : progress.targetLabel(),
                runtime.stepFunctions().executions().stream().mapToLong(ExecutionHandle::stateTransitions).sum());
    }

    /** Where each environment's alias stands: {@code dev version 2 100%, test version 2 100%, ...}. */
    private String environments() {
        List<String> aliases = new java.util.ArrayList<>();
        aliases.add(scenario.alias());
        aliases.addAll(scenario.aliases().keySet());
        Aliases reader = new Aliases(aws.lambda());
        return String.join(", ", aliases.stream()
                .map(alias -> alias + " " + reader.read(scenario.function(), alias).describe()).toList());
    }

    /** Prints what ContinueChain did about an ending: the next environment started, or where the chain stopped. */
    private void chainReported(ExecutionEndings.Delivery delivery) {
        if (!delivery.matched()) {
            return;
        }
        if (delivery.error().isPresent()) {
            progress.note("Chain", "attempt " + delivery.attempt() + " failed: " + delivery.error().get()
                    + (delivery.attempt() <= AsyncInvocations.RETRIES.size() ? "; Lambda retries it"
                            : "; no retries left"));
            return;
        }
        JsonNode answer = delivery.answer().orElseThrow();
        String outcome = answer.path("outcome").asText();
        switch (outcome) {
            case "started", "alreadyStarted" -> progress.note("Chain", answer.path("reason").asText() + ": " + outcome
                    + " " + answer.path("executionName").asText());
            case "stopped", "complete" -> progress.note("Chain", answer.path("reason").asText());
            default -> {
            }
        }
    }

    /** Starts the rollout as the scenario says: from its input, or by publishing a version through the rule. */
    private Optional<ExecutionHandle> start() throws IOException {
        if (scenario.trigger() == Scenario.Trigger.CONSOLE) {
            JsonNode input = scenario.rollout();
            JsonNode named = input;
            if (AppSpec.isIn(input)) {
                try {
                    named = AppSpec.expand(input);
                } catch (InvalidInput refused) {
                    // Prepare refuses it and says why; the execution only needs a name.
                }
            }
            // The name an automatic start would give it: one execution per function, alias and version.
            JsonNode target = named.path("target");
            String name = target.path("type").asText().equals("Route53Weighted")
                    ? RolloutTrigger.executionName(target.path("recordName").asText("record"),
                            target.path("from").asText("from"), target.path("to").asText("to"))
                    : target.isObject()
                    ? RolloutTrigger.executionName(target.path("restApiId").asText("api"),
                            target.path("stage").asText("stage"), target.path("deploymentId").asText("0"))
                    : RolloutTrigger.executionName(named.path("functionName").asText("rollout"),
                            named.path("alias").asText(RolloutRequest.DEFAULT_ALIAS),
                            named.path("targetVersion").asText("0"));
            return Optional.of(runtime.start(name, input));
        }
        AutomaticRollouts automatic = AutomaticRollouts.attach(projectRoot, runtime, List.of(scenario.function()),
                this::startReported);
        this.automatic = Optional.of(automatic);
        VersionBehaviour behaviour = scenario.versions().get(scenario.versions().size() - 1);
        AutomaticRollouts.Publication published = automatic.publish(scenario.function(),
                "arn:aws:iam::" + aws.account().accountId() + ":user/deployer");
        aws.traffic().setVersionBehaviour(scenario.function(), published.version(), behaviour);
        if (published.first().isEmpty()) {
            progress.note("Publish", "version " + published.version()
                    + ": the EventBridge rule did not match the CloudTrail event");
        }
        // A start that failed is retried by Lambda, a minute and then two minutes later.
        aws.clock().runUntil(() -> !automatic.busy());
        List<ExecutionHandle> executions = runtime.stepFunctions().executions();
        return executions.isEmpty() ? Optional.empty() : Optional.of(executions.get(executions.size() - 1));
    }

    /** Prints each of Lambda's attempts to hand StartRollout the published version's event. */
    private void startReported(AsyncInvocations.Attempt attempt) {
        String version = attempt.event().at("/detail/responseElements/version").asText();
        if (attempt.answer().isPresent()) {
            JsonNode answer = attempt.answer().get();
            progress.note("Publish", "version " + version + ": " + answer.path("outcome").asText() + " "
                    + answer.path("executionName").asText() + answer.path("reason").asText());
        } else {
            progress.note("Publish", "version " + version + ": StartRollout attempt " + attempt.attempt() + " failed: "
                    + attempt.error().orElseThrow() + (attempt.last()
                    ? "; no retries left: Lambda keeps the event on " + automatic.flatMap(AutomaticRollouts::destination)
                            .orElse("no destination")
                    : "; Lambda retries it"));
        }
    }

    /** Prints the sweeper's rounds that found something to do. */
    private void sweepReported(SweeperSchedule.Round round) {
        if (round.error().isPresent()) {
            progress.note("Sweep", "failed: " + round.error().get() + "; the next round tries again");
            return;
        }
        JsonNode answer = round.answer().orElseThrow();
        JsonNode decisions = answer.path("decisions");
        if (decisions.path("delivered").asInt() + decisions.path("expired").asInt()
                + decisions.path("undelivered").asInt() > 0) {
            progress.note("Sweep", "approval decisions delivered " + decisions.path("delivered").asInt()
                    + ", found expired " + decisions.path("expired").asInt() + ", still undelivered "
                    + decisions.path("undelivered").asInt());
        }
        for (JsonNode restored : answer.at("/targets/restored")) {
            progress.note("Sweep", progress.target().describe() + " | " + restored.path("action").asText() + " "
                    + restored.path("phase").asText() + ": " + restored.path("reason").asText());
        }
        if (answer.path("stuck").asInt() > 0) {
            progress.note("Sweep", answer.path("stuck").asInt() + " left stuck; the StuckRollouts metric says so"
                    + (sweeper.alarmsRaised().isEmpty() ? "" : ": " + String.join(", ", sweeper.alarmsRaised())
                    + " in ALARM"));
        }
    }

    /** Prints what Restore did about an ending, unless the state machine had already reported it itself. */
    private void restoreReported(ExecutionEndings.Delivery delivery) {
        if (!delivery.matched()) {
            return;
        }
        if (delivery.error().isPresent()) {
            progress.note("Restore", "attempt " + delivery.attempt() + " failed: " + delivery.error().get()
                    + (delivery.attempt() <= AsyncInvocations.RETRIES.size() ? "; Lambda retries it"
                            : "; no retries left"));
            return;
        }
        JsonNode answer = delivery.answer().orElseThrow();
        String action = answer.path("action").asText();
        if (!action.equals("ALREADY_HANDLED") && !action.equals("SKIPPED")) {
            progress.note("Restore", progress.target().describe() + " | " + action + " " + answer.path("phase").asText()
                    + ": " + answer.path("reason").asText());
        }
    }

    /**
     * @param finalAlias  the target's routing when the rollout ended
     * @param targetLabel what the target is, for the summary: {@code Alias} or {@code Stage}
     * @param decisions  every reported step, in order
     * @param started     the rollout's execution; for an environment chain the last environment's
     * @param transitions the state transitions of every execution the simulation ran (one per environment of a chain)
     */
    public record Result(Outcome outcome, Optional<ExecutionHandle> started, String finalAlias, Duration simulated,
                         Duration wall, List<String> decisions, int messagesPublished, String targetLabel,
                         long transitions) {
        /** The rollout's execution; only a publish the rule ignored starts none. */
        public ExecutionHandle execution() {
            return started.orElseThrow(() -> new IllegalStateException("no rollout was started"));
        }
    }
}
