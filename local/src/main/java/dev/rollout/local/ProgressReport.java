package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import dev.rollout.aws.Aliases;
import dev.rollout.domain.AliasRouting;
import dev.rollout.domain.FailureReport;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.HistoryEvent;
import dev.rollout.local.report.TrafficSince;
import dev.rollout.local.report.VersionTotals;

/**
 * The simulation's progress lines: one per step of the execution's history as it happens (prepare, shift, health,
 * promote, rollback) and one per thing the scenario does ({@link #note}), each stamped with the simulated time since
 * the start.
 */
final class ProgressReport {
    private final LocalAws aws;
    private final Scenario scenario;
    private final Instant began;
    private final Consumer<String> out;
    private final List<String> lines = new ArrayList<>();
    private final TrafficSince traffic;
    private int seenEvents;
    private String enteredTask = "";
    private boolean taskFailed;
    private String failureReason = "";

    ProgressReport(LocalAws aws, Scenario scenario, Instant began, Consumer<String> out) {
        this.aws = aws;
        this.scenario = scenario;
        this.began = began;
        this.out = out;
        this.traffic = new TrafficSince(aws.cloudWatch(), scenario.function(), scenario.alias(),
                IntStream.rangeClosed(1, scenario.versions().size()).mapToObj(String::valueOf).toList(), began);
    }

    /** Every line reported so far, in order. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Reports a line for each step added to the execution's history since the last call. */
    void report(ExecutionHandle execution) {
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
                            || failed.error().equals("Rollout.HealthUnknown")
                            || failed.error().equals("Rollout.VersionUnhealthy");
                    String what = health ? "Health" : enteredTask.equals("RequestApproval") ? "Approval" : enteredTask;
                    String traffic = health ? traffic() + " | " : "";
                    note(what, traffic + "failed with " + failed.error() + ": " + reason);
                    failureReason = reason;
                }
                case TASK_TIMED_OUT -> {
                    taskFailed = true;
                    // A bake that times out has ended well: the next move of traffic reports its window.
                    if (enteredTask.equals("RequestApproval")) {
                        failureReason = "";
                        note("Approval", "timed out: nobody approved or rejected in time ("
                                + event.details(EventDetails.TaskTimedOut.class).error() + ")");
                    }
                }
                default -> {
                }
            }
        }
    }

    private void taskDone(EventDetails.StateExited exited) {
        JsonNode output = StateOutput.of(exited);
        switch (exited.name()) {
            case "Prepare" -> note("Prepare", "version " + output.at("/rollout/fromVersion").asText() + " -> "
                    + output.at("/rollout/toVersion").asText() + " with " + output.at("/rollout/strategy").asText()
                    + ", watching " + (output.at("/rollout/alarms").isEmpty() ? "no alarms"
                    : output.at("/rollout/alarms").toString()));
            case "ShiftTraffic", "ShiftTrafficWithoutBake" -> {
                healthy(output);
                note("Shift", alias().describe());
            }
            case "CheckHealth" -> healthy(output);
            case "Promote" -> {
                healthy(output);
                note("Promote", alias().describe());
            }
            case "RequestApproval" -> note("Approval", (output.path("approved").asBoolean() ? "approved" : "rejected")
                    + " by " + output.path("by").asText("someone who gave no name") + " at "
                    + Instant.parse(output.path("at").asText()).truncatedTo(ChronoUnit.SECONDS)
                    + (output.path("comment").asText("").isEmpty() ? "" : ": \"" + output.path("comment").asText() + "\""));
            // The reason was printed with the failure that caused the rollback: once is enough.
            case "Rollback" -> note("Rollback", alias().describe() + " | " + output.path("phase").asText()
                    + (output.path("reason").asText().equals(failureReason) ? " (see above)"
                    : ": " + output.path("reason").asText()));
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
                    + " never in ALARM") + (output.at("/metrics/summary").isTextual()
                    ? "; " + output.at("/metrics/summary").asText() + " (" + output.at("/metrics/checks").asText() + ")"
                    : ""));
        }
    }

    /** Reports a line: {@code what} happened at this simulated moment, {@code detail} says how. */
    void note(String what, String detail) {
        Duration elapsed = Duration.between(began, aws.clock().instant());
        String line = String.format("+%02d:%02d:%02d  %-8s %s", elapsed.toHours(), elapsed.toMinutesPart(),
                elapsed.toSecondsPart(), what, detail);
        lines.add(line);
        out.accept(line);
    }

    /** Requests, error % and p99 latency per version since the previous report, as CloudWatch has them. */
    private String traffic() {
        return VersionTotals.describe(traffic.next(aws.clock().instant()));
    }

    /** Where the scenario's alias sends its traffic now. */
    AliasRouting alias() {
        return new Aliases(aws.lambda()).read(scenario.function(), scenario.alias());
    }
}
