package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.rollout.domain.RolloutRequest;
import dev.rollout.domain.RolloutTrigger;
import dev.rollout.handlers.ApprovalPage;
import dev.rollout.local.aws.PublishedMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import dev.rollout.aws.Aliases;
import dev.rollout.domain.AliasRouting;
import dev.rollout.domain.FailureReport;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.asl.HistoryEvent;
import dev.rollout.local.aws.CloudWatchErrors;
import dev.rollout.local.aws.FaultInjector;
import dev.rollout.local.aws.LambdaErrors;
import dev.rollout.local.aws.SnsErrors;
import dev.rollout.local.aws.VersionBehaviour;
import dev.rollout.local.aws.VersionTraffic;
import dev.rollout.local.time.VirtualClock;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;

/**
 * Runs one {@link Scenario} on the local runtime: sets up the world, sends a minute of traffic at a
 * time through the alias while the rollout runs, applies the scenario's changes and faults, and
 * reports each step as it happens.
 */
public final class Simulation {
    private static final Pattern APPROVE_LINK = Pattern.compile("(https?://\\S+/approvals/([A-Za-z0-9_-]+))\\?action=approve");

    /** Simulations start at a fixed instant so that their output is reproducible. */
    public static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    private final Scenario scenario;
    private final Path projectRoot;
    private final LocalAws aws;
    private final LocalRuntime runtime;
    private final Consumer<String> out;
    private final Instant began;
    private final List<String> decisions = new ArrayList<>();
    private final Map<String, VersionTraffic> lastTotals = new HashMap<>();
    private int seenEvents;
    private final ApprovalPage approvalPage;
    private final Deque<Scenario.Answer> answers;
    private boolean interactive;
    private int seenApprovalRequests;
    private String enteredTask = "";
    private boolean taskFailed;

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
        this.scenario = scenario;
        this.projectRoot = projectRoot;
        this.aws = LocalAws.create(clock, outboxJournal, approvalUrl);
        this.out = out;
        this.began = clock.instant();
        buildWorld();
        Map<String, List<Scenario.Fault>> armedDuring = new HashMap<>();
        for (Scenario.Fault fault : scenario.faults()) {
            fault.during().ifPresentOrElse(
                    task -> armedDuring.computeIfAbsent(task + "Function", key -> new ArrayList<>()).add(fault),
                    () -> arm(fault));
        }
        this.runtime = LocalRuntime.load(projectRoot, aws, function -> {
            List<Scenario.Fault> faults = armedDuring.remove(function);
            if (faults != null) {
                faults.forEach(this::arm);
            }
        });
        this.approvalPage = runtime.approvalPage();
        this.answers = new ArrayDeque<>(scenario.approvals());
    }

    /** The approval page on this simulation's approvals: serve it where approval links point. */
    public ApprovalPage approvalPage() {
        return approvalPage;
    }

    /** When no scenario answer is left, a person answers through the served page (the clock must run in real time). */
    public void expectPeopleToAnswer(boolean interactive) {
        this.interactive = interactive;
    }

    public LocalAws aws() {
        return aws;
    }

    public LocalRuntime runtime() {
        return runtime;
    }

    private void buildWorld() {
        String function = scenario.function();
        String functionArn = aws.lambda().addFunction(function);
        if (!scenario.tags().isEmpty()) {
            aws.lambda().tagResource(request -> request.resource(functionArn).tags(scenario.tags()));
        }
        // With the publish trigger the last version does not exist yet: publishing it starts the rollout.
        int existing = scenario.versions().size() - (scenario.trigger() == Scenario.Trigger.PUBLISH ? 1 : 0);
        for (int i = 0; i < existing; i++) {
            String version = aws.lambda().publishNewVersion(function);
            aws.lambda().setVersionBehaviour(function, version, scenario.versions().get(i));
        }
        aws.lambda().createAlias(request -> request.functionName(function).name(scenario.alias())
                .functionVersion(scenario.liveVersion())
                .routingConfig(AliasRoutingConfiguration.builder()
                        .additionalVersionWeights(scenario.extraRouting()).build()));
        for (Scenario.AlarmSpec alarm : scenario.alarms()) {
            aws.cloudWatch().putMetricAlarm(request -> request
                    .alarmName(alarm.name())
                    .namespace(alarm.namespace())
                    .metricName(alarm.metric())
                    .dimensions(alarm.dimensions().entrySet().stream()
                            .map(entry -> Dimension.builder().name(entry.getKey()).value(entry.getValue()).build())
                            .toList())
                    .statistic(alarm.statistic())
                    .comparisonOperator(alarm.comparison())
                    .threshold(alarm.threshold())
                    .period(alarm.periodSeconds())
                    .evaluationPeriods(alarm.evaluationPeriods())
                    .datapointsToAlarm(alarm.datapointsToAlarm())
                    .treatMissingData(alarm.treatMissingData()));
        }
        aws.cloudWatch().evaluateAlarms();
        for (Scenario.Change change : scenario.changes()) {
            aws.clock().schedule(began.plus(change.at()), () -> {
                aws.lambda().setVersionBehaviour(function, change.version(), change.behaviour());
                note("Change", "version " + change.version() + " now fails " + percent(change.behaviour()));
            });
        }
    }

    private void arm(Scenario.Fault fault) {
        FaultInjector injector = switch (fault.service()) {
            case "cloudwatch" -> aws.cloudWatch().faults();
            case "sns" -> aws.sns().faults();
            default -> aws.lambda().faults();
        };
        boolean throttled = fault.error().equals("throttled");
        Supplier<? extends RuntimeException> error = switch (fault.service()) {
            case "cloudwatch" -> throttled ? CloudWatchErrors::throttled : CloudWatchErrors::internalError;
            case "sns" -> throttled ? SnsErrors::throttled : SnsErrors::internalError;
            default -> throttled ? LambdaErrors::throttled : LambdaErrors::serviceError;
        };
        injector.failNext(fault.operation(), fault.times(), error);
    }

    /** Runs the rollout to its end and reports how it went. */
    public Result run() throws IOException {
        long wallStart = System.nanoTime();
        Optional<ExecutionHandle> started = start();
        if (started.isEmpty()) {
            return new Result(Outcome.NOT_STARTED, Optional.empty(), aliasNow().describe(), Duration.ZERO,
                    Duration.ofNanos(System.nanoTime() - wallStart), List.copyOf(decisions), aws.sns().outbox().size());
        }
        ExecutionHandle execution = started.get();
        scheduleTraffic(aws.clock().instant(), execution);
        while (execution.status() == ExecutionStatus.RUNNING && aws.clock().runNext()) {
            report(execution);
            answerApprovals();
        }
        report(execution);
        return new Result(outcome(execution), started, aliasNow().describe(),
                Duration.between(began, aws.clock().instant()), Duration.ofNanos(System.nanoTime() - wallStart),
                List.copyOf(decisions), aws.sns().outbox().size());
    }

    /** Starts the rollout as the scenario says: from its input, or by publishing a version through the rule. */
    private Optional<ExecutionHandle> start() throws IOException {
        if (scenario.trigger() == Scenario.Trigger.CONSOLE) {
            JsonNode input = scenario.rollout();
            // The name an automatic start would give it: one execution per function, alias and version.
            String name = RolloutTrigger.executionName(input.path("functionName").asText("rollout"),
                    input.path("alias").asText(RolloutRequest.DEFAULT_ALIAS), input.path("targetVersion").asText("0"));
            return Optional.of(runtime.start(name, input));
        }
        AutomaticRollouts automatic = AutomaticRollouts.attach(projectRoot, runtime, List.of(scenario.function()));
        VersionBehaviour behaviour = scenario.versions().get(scenario.versions().size() - 1);
        AutomaticRollouts.Publication published = automatic.publish(scenario.function(),
                "arn:aws:iam::" + aws.account().accountId() + ":user/deployer");
        aws.lambda().setVersionBehaviour(scenario.function(), published.version(), behaviour);
        note("Publish", "version " + published.version() + ": " + published.delivered()
                .map(answer -> answer.path("outcome").asText() + " " + answer.path("executionName").asText()
                        + answer.path("reason").asText())
                .orElse("the EventBridge rule did not match the CloudTrail event"));
        List<ExecutionHandle> executions = runtime.stepFunctions().executions();
        return executions.isEmpty() ? Optional.empty() : Optional.of(executions.get(executions.size() - 1));
    }

    /** Answers each new approval request as the scenario says, through the approval page's own POST. */
    private void answerApprovals() {
        List<PublishedMessage> requests = aws.sns().outbox(aws.approvalTopicArn());
        for (; seenApprovalRequests < requests.size(); seenApprovalRequests++) {
            Matcher link = APPROVE_LINK.matcher(requests.get(seenApprovalRequests).message());
            if (!link.find()) {
                continue;
            }
            String reference = link.group(2);
            note("Approval", "requested: approve " + link.group(1) + "?action=approve | reject " + link.group(1)
                    + "?action=reject");
            Scenario.Answer answer = answers.poll();
            if (answer == null) {
                note("Approval", interactive
                        ? "waiting for a person: open a link above in a browser"
                        : "no answer in the scenario: it will time out (run with --speed to answer in a browser)");
            } else if (answer.answer().equals("none")) {
                note("Approval", "left unanswered, as the scenario says");
            } else {
                aws.clock().after(answer.after(), () -> decide(reference, answer));
            }
        }
    }

    private void decide(String reference, Scenario.Answer answer) {
        String form = "action=" + answer.answer() + "&name=" + encode(answer.by()) + "&comment=" + encode(answer.comment());
        APIGatewayProxyResponseEvent response = approvalPage.handleRequest(new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST")
                .withPath("/approvals/" + reference)
                .withPathParameters(Map.of("reference", reference))
                .withHeaders(Map.of("Content-Type", "application/x-www-form-urlencoded"))
                .withBody(form)
                .withIsBase64Encoded(false), new LocalContext("ApprovalPage", LocalContext.logger(line -> { })));
        note("Approval", answer.answer() + "d by " + answer.by()
                + (answer.comment().isEmpty() ? "" : " (\"" + answer.comment() + "\")") + ", page answered "
                + response.getStatusCode());
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private void scheduleTraffic(Instant from, ExecutionHandle execution) {
        aws.clock().schedule(from.plus(Duration.ofMinutes(1)), new Runnable() {
            @Override
            public void run() {
                if (execution.status() != ExecutionStatus.RUNNING) {
                    return;
                }
                aws.lambda().invokeAlias(scenario.function(), scenario.alias(), scenario.requestsPerMinute());
                aws.cloudWatch().evaluateAlarms();
                aws.clock().after(Duration.ofMinutes(1), this);
            }
        });
    }

    /** Prints a line for each new step in the execution's history. */
    private void report(ExecutionHandle execution) {
        List<HistoryEvent> history = execution.history();
        for (; seenEvents < history.size(); seenEvents++) {
            HistoryEvent event = history.get(seenEvents);
            switch (event.type()) {
                case TASK_STATE_ENTERED -> {
                    enteredTask = event.details(EventDetails.StateEntered.class).name();
                    taskFailed = false;
                }
                case TASK_STATE_EXITED -> {
                    if (!taskFailed) {
                        taskDone(event.details(EventDetails.StateExited.class));
                    }
                }
                case TASK_FAILED -> {
                    taskFailed = true;
                    EventDetails.TaskFailed failed = event.details(EventDetails.TaskFailed.class);
                    String reason = FailureReport.of(Json.object().put("Error", failed.error())
                            .put("Cause", failed.cause())).reason();
                    // A health verdict, whichever state reached it: a check, a move of traffic, an interrupted wait.
                    boolean health = failed.error().equals("Rollout.AlarmTriggered")
                            || failed.error().equals("Rollout.HealthUnknown");
                    String what = health ? "Health" : enteredTask;
                    String traffic = health ? traffic() + " | " : "";
                    note(what, traffic + "failed with " + failed.error() + ": " + reason);
                }
                default -> {
                }
            }
        }
    }

    private void taskDone(EventDetails.StateExited exited) {
        JsonNode output = parse(exited.output());
        switch (exited.name()) {
            case "Prepare" -> note("Prepare", "version " + output.at("/rollout/fromVersion").asText() + " -> "
                    + output.at("/rollout/toVersion").asText() + " with " + output.at("/rollout/strategy").asText()
                    + ", watching " + (output.at("/rollout/alarms").isEmpty() ? "no alarms"
                    : output.at("/rollout/alarms").toString()));
            case "ShiftTraffic", "ShiftTrafficWithoutBake" -> {
                healthy(output);
                note("Shift", aliasNow().describe());
            }
            case "CheckHealth" -> healthy(output);
            case "Promote" -> {
                healthy(output);
                note("Promote", aliasNow().describe());
            }
            case "Rollback" -> note("Rollback", aliasNow().describe() + " | " + output.path("phase").asText()
                    + ": " + output.path("reason").asText());
            default -> {
            }
        }
    }

    /** The healthy verdict a check or a move of traffic reached, unless its window saw no traffic at all. */
    private void healthy(JsonNode output) {
        String traffic = traffic();
        if (!traffic.equals("no traffic")) {
            note("Health", traffic + " | healthy" + (output.path("alarms").isEmpty() ? ""
                    : ": " + String.join(", ", Json.MAPPER.convertValue(output.path("alarms"), String[].class))
                    + " never in ALARM"));
        }
    }

    private void note(String what, String detail) {
        Duration elapsed = Duration.between(began, aws.clock().instant());
        String line = String.format("+%02d:%02d:%02d  %-8s %s", elapsed.toHours(), elapsed.toMinutesPart(),
                elapsed.toSecondsPart(), what, detail);
        decisions.add(line);
        out.accept(line);
    }

    /** Requests and errors per version since the previous report. */
    private String traffic() {
        List<String> parts = new ArrayList<>();
        for (VersionTraffic total : aws.lambda().trafficTotals(scenario.function())) {
            VersionTraffic before = lastTotals.getOrDefault(total.version(), new VersionTraffic(total.version(), 0, 0));
            long requests = total.requests() - before.requests();
            if (requests > 0) {
                parts.add("v" + total.version() + " " + requests + " req " + (total.errors() - before.errors()) + " err");
            }
            lastTotals.put(total.version(), total);
        }
        return parts.isEmpty() ? "no traffic" : String.join(", ", parts);
    }

    private AliasRouting aliasNow() {
        return new Aliases(aws.lambda()).read(scenario.function(), scenario.alias());
    }

    private static Outcome outcome(ExecutionHandle execution) {
        if (execution.status() == ExecutionStatus.SUCCEEDED) {
            return Outcome.PROMOTED;
        }
        String endState = "";
        String rollbackPhase = "";
        for (HistoryEvent event : execution.history()) {
            switch (event.type()) {
                case FAIL_STATE_ENTERED -> endState = event.details(EventDetails.StateEntered.class).name();
                case TASK_STATE_EXITED -> {
                    EventDetails.StateExited exited = event.details(EventDetails.StateExited.class);
                    if (exited.name().equals("Rollback")) {
                        rollbackPhase = parse(exited.output()).path("phase").asText();
                    }
                }
                default -> {
                }
            }
        }
        return switch (endState) {
            case "Refused" -> "Rollout.InvalidInput".equals(execution.error().orElse(""))
                    ? Outcome.INVALID_INPUT : Outcome.REFUSED;
            case "RolledBack" -> "STOPPED".equals(rollbackPhase) ? Outcome.STOPPED : Outcome.ROLLED_BACK;
            default -> Outcome.ROLLBACK_FAILED;
        };
    }

    private static JsonNode parse(String json) {
        try {
            return json == null ? Json.object() : Json.MAPPER.readTree(json);
        } catch (IOException unreadable) {
            return Json.object();
        }
    }

    private static String percent(VersionBehaviour behaviour) {
        return Math.round(behaviour.errorRate() * 1000) / 10.0 + "% of requests";
    }

    /** Writes the execution history as GetExecutionHistory would list it. */
    public static void writeHistory(ExecutionHandle execution, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), Map.of("events", execution.history()));
    }

    /**
     * @param finalAlias the alias' routing when the rollout ended
     * @param decisions  every reported step, in order
     */
    public record Result(Outcome outcome, Optional<ExecutionHandle> started, String finalAlias, Duration simulated,
                         Duration wall, List<String> decisions, int messagesPublished) {
        /** The rollout's execution; only a publish the rule ignored starts none. */
        public ExecutionHandle execution() {
            return started.orElseThrow(() -> new IllegalStateException("no rollout was started"));
        }
    }
}
