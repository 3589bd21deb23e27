package rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
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
import rollout.domain.AliasRouting;
import rollout.domain.FailureReport;
import rollout.handlers.Json;
import rollout.local.asl.EventDetails;
import rollout.local.asl.ExecutionHandle;
import rollout.local.asl.ExecutionStatus;
import rollout.local.asl.HistoryEvent;
import rollout.local.aws.CloudWatchErrors;
import rollout.local.aws.FaultInjector;
import rollout.local.aws.LambdaErrors;
import rollout.local.aws.SnsErrors;
import rollout.local.aws.VersionBehaviour;
import rollout.local.aws.VersionTraffic;
import rollout.local.time.VirtualClock;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;

/**
 * Runs one {@link Scenario} on the local runtime: sets up the world, sends a minute of traffic at a
 * time through the alias while the rollout runs, applies the scenario's changes and faults, and
 * reports each step as it happens.
 */
public final class Simulation {
    /** Simulations start at a fixed instant so that their output is reproducible. */
    public static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    private final Scenario scenario;
    private final LocalAws aws;
    private final LocalRuntime runtime;
    private final Consumer<String> out;
    private final Instant began;
    private final List<String> decisions = new ArrayList<>();
    private final Map<String, VersionTraffic> lastTotals = new HashMap<>();
    private int seenEvents;
    private String enteredTask = "";
    private boolean taskFailed;

    /**
     * @param outboxJournal where published messages are appended as JSON lines, or null
     * @param out           receives one progress line per step
     */
    public Simulation(Path projectRoot, Scenario scenario, VirtualClock clock, Path outboxJournal,
                      Consumer<String> out) throws IOException {
        this.scenario = scenario;
        this.aws = LocalAws.create(clock, outboxJournal);
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
    }

    public LocalAws aws() {
        return aws;
    }

    private void buildWorld() {
        String function = scenario.function();
        aws.lambda().addFunction(function);
        for (int i = 0; i < scenario.versions().size(); i++) {
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
    public Result run() {
        long wallStart = System.nanoTime();
        JsonNode input = scenario.rollout();
        ExecutionHandle execution = runtime.start(executionName(input), input);
        scheduleTraffic(aws.clock().instant(), execution);
        while (execution.status() == ExecutionStatus.RUNNING && aws.clock().runNext()) {
            report(execution);
        }
        report(execution);
        return new Result(outcome(execution), execution, aliasNow().describe(),
                Duration.between(began, aws.clock().instant()), Duration.ofNanos(System.nanoTime() - wallStart),
                List.copyOf(decisions), aws.sns().outbox().size());
    }

    /** The name a rollout started from EventBridge would get: one execution per function, alias and version. */
    private static String executionName(JsonNode input) {
        String name = input.path("functionName").asText("rollout") + "-" + input.path("alias").asText("live")
                + "-v" + input.path("targetVersion").asText("0");
        return name.replaceAll("[^A-Za-z0-9_-]", "_");
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
                    String what = enteredTask.equals("CheckHealth") ? "Health" : enteredTask;
                    String traffic = enteredTask.equals("CheckHealth") ? traffic() + " | " : "";
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
            case "ShiftTraffic" -> note("Shift", aliasNow().describe());
            case "CheckHealth" -> note("Health", traffic() + " | healthy" + (output.path("alarms").isEmpty() ? ""
                    : ": " + String.join(", ", Json.MAPPER.convertValue(output.path("alarms"), String[].class))
                    + " never in ALARM"));
            case "Promote" -> note("Promote", aliasNow().describe());
            case "Rollback" -> note("Rollback", aliasNow().describe() + " | " + output.path("phase").asText()
                    + ": " + output.path("reason").asText());
            default -> {
            }
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
        var alias = aws.lambda().getAlias(request -> request.functionName(scenario.function()).name(scenario.alias()));
        return AliasRouting.of(alias.functionVersion(),
                alias.routingConfig() == null ? Map.of() : alias.routingConfig().additionalVersionWeights(),
                alias.revisionId());
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
    public record Result(Outcome outcome, ExecutionHandle execution, String finalAlias, Duration simulated,
                         Duration wall, List<String> decisions, int messagesPublished) {
    }
}
