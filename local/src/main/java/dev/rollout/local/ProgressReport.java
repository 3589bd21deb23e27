package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import dev.rollout.aws.Aliases;
import dev.rollout.aws.Stages;
import dev.rollout.aws.WeightedRecords;
import dev.rollout.domain.FailureReport;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Target;
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
    /** The states that invoke hook functions. */
    private static final Set<String> HOOK_STATES = Set.of("InvokeHook", "AwaitHookCallback");

    private final LocalAws aws;
    private final Scenario scenario;
    private final Instant began;
    private final Consumer<String> out;
    private final List<String> lines = new ArrayList<>();
    /** One per alias of the scenario's function: an API's stages may send requests through several. */
    private final List<TrafficSince> traffic = new ArrayList<>();
    /** The alias each entry of {@link #traffic} reads. */
    private final List<String> trafficAliases = new ArrayList<>();
    /** The alias of the execution being followed, when an environment chain runs one execution per alias. */
    private String followedAlias;
    private int seenEvents;
    private String enteredTask = "";
    private boolean taskFailed;
    /** The hook being invoked, as in "pre-traffic hook orders-smoke". */
    private String hook = "";
    private String failureReason = "";
    /** Whether this Settle's wait for Route 53 to be in sync was reported already. */
    private boolean pendingNoted;
    /** The scenario's Regions and DNS clients, when its traffic comes through a Route 53 record. */
    private ScenarioDns dns;

    ProgressReport(LocalAws aws, Scenario scenario, Instant began, Consumer<String> out) {
        this.aws = aws;
        this.scenario = scenario;
        this.began = began;
        this.out = out;
        List<String> versions = IntStream.rangeClosed(1, scenario.versions().size()).mapToObj(String::valueOf).toList();
        Stream.concat(Stream.of(scenario.alias()), scenario.aliases().keySet().stream()).forEach(alias -> {
            traffic.add(new TrafficSince(aws.cloudWatch(), scenario.function(), alias, versions, began));
            trafficAliases.add(alias);
        });
    }

    /**
     * Reports the next execution from now on, a rollout of {@code alias}: an environment chain runs one execution per
     * environment, and each line then speaks of that environment's alias and traffic only.
     */
    void follow(String alias) {
        seenEvents = 0;
        followedAlias = alias;
    }

    /** Health lines give the requests each Region served, as the scenario's DNS clients sent them. */
    void followDns(ScenarioDns regions) {
        this.dns = regions;
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
                    pendingNoted = false;
                }
                case TASK_STATE_EXITED -> {
                    if (!taskFailed) {
                        taskDone(event.details(EventDetails.StateExited.class));
                    }
                }
                case TASK_SCHEDULED -> {
                    if (HOOK_STATES.contains(enteredTask)) {
                        JsonNode parameters = StateOutput.parse(event.details(EventDetails.TaskScheduled.class).parameters());
                        // preTraffic -> pre-traffic, as the failure causes say it
                        hook = parameters.at("/Payload/hook").asText().replace("Traffic", "-traffic") + " hook "
                                + parameters.path("FunctionName").asText();
                    }
                }
                case TASK_FAILED -> {
                    taskFailed = true;
                    EventDetails.TaskFailed failed = event.details(EventDetails.TaskFailed.class);
                    if (failed.error().equals("Rollout.ChangePending")) {
                        // Route 53 still propagating: the state machine asks again; once is enough to say so.
                        if (!pendingNoted) {
                            note("Settle", FailureReport.of(Json.object().put("Error", failed.error())
                                    .put("Cause", failed.cause())).reason() + "; asked again until it is INSYNC");
                            pendingNoted = true;
                        }
                        taskFailed = false;
                        continue;
                    }
                    String reason = FailureReport.of(Json.object().put("Error", failed.error())
                            .put("Cause", failed.cause())).reason();
                    // A health verdict, whichever state reached it: a check, a move of traffic, an interrupted wait.
                    boolean health = failed.error().equals("Rollout.AlarmTriggered")
                            || failed.error().equals("Rollout.HealthUnknown")
                            || failed.error().equals("Rollout.VersionUnhealthy")
                            || failed.error().equals("Rollout.HealthCheckFailed");
                    String what = health ? "Health"
                            : failed.error().equals("Rollout.Aborted") ? "Control"
                            : enteredTask.equals("RequestApproval") ? "Approval"
                            : HOOK_STATES.contains(enteredTask) ? "Hook" : enteredTask;
                    if (HOOK_STATES.contains(enteredTask)) {
                        reason = hook + " " + reason;
                    }
                    String traffic = health ? traffic() + " | " : "";
                    if (failed.error().equals("Rollout.Aborted")) {
                        // A person's abort ended this wait: the cause says who, when and why.
                        note(what, enteredTask + " ended with " + failed.error() + ": " + reason);
                    } else {
                        note(what, traffic + "failed with " + failed.error() + ": " + reason);
                    }
                    failureReason = reason;
                }
                case TASK_TIMED_OUT -> {
                    taskFailed = true;
                    // A bake that times out has ended well: the next move of traffic reports its window.
                    if (HOOK_STATES.contains(enteredTask)) {
                        failureReason = "";
                        note("Hook", hook + " did not answer within its timeout ("
                                + event.details(EventDetails.TaskTimedOut.class).error() + ")");
                    } else if (enteredTask.equals("RequestApproval")) {
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
        if (output.path("control").asText().equals("promote") && output.has("by")) {
            // A person's promote-now ended this wait (a bake, an approval, the final bake).
            note("Control", exited.name() + " ended: promoted now by " + output.path("by").asText() + " at "
                    + Instant.parse(output.path("at").asText()).truncatedTo(ChronoUnit.SECONDS) + ": \""
                    + output.path("reason").asText() + "\"; the remaining steps and waits are skipped");
            return;
        }
        switch (exited.name()) {
            case "Prepare" -> note("Prepare", unit(output.path("rollout")) + " "
                    + output.at("/rollout/fromVersion").asText() + " -> "
                    + output.at("/rollout/toVersion").asText() + " with " + output.at("/rollout/strategy").asText()
                    + ", watching " + (output.at("/rollout/alarms").isEmpty() ? "no alarms"
                    : output.at("/rollout/alarms").toString()));
            case "ShiftTraffic", "ShiftTrafficWithoutBake" -> {
                healthy(output);
                note("Shift", target().describe());
            }
            case "CheckHealth" -> healthy(output);
            case "Settle" -> note("Settle", output.path("summary").asText());
            case "Promote" -> {
                healthy(output);
                note("Promote", target().describe());
            }
            case "InvokeHook", "AwaitHookCallback" -> note("Hook", hook + " answered " + output.path("answer"));
            case "RequestApproval" -> note("Approval", (output.path("approved").asBoolean() ? "approved" : "rejected")
                    + " by " + output.path("by").asText("someone who gave no name") + " at "
                    + Instant.parse(output.path("at").asText()).truncatedTo(ChronoUnit.SECONDS)
                    + (output.path("comment").asText("").isEmpty() ? "" : ": \"" + output.path("comment").asText() + "\""));
            // The reason was printed with the failure that caused the rollback: once is enough.
            case "Rollback" -> note("Rollback", target().describe() + " | " + output.path("phase").asText()
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
        if (dns != null) {
            return dns.trafficSinceLastReport();
        }
        Instant now = aws.clock().instant();
        List<VersionTotals> totals = new ArrayList<>();
        for (int i = 0; i < traffic.size(); i++) {
            // Every alias' window moves on; a followed execution's line counts only its own alias' requests.
            List<VersionTotals> since = traffic.get(i).next(now);
            if (followedAlias == null || followedAlias.equals(trafficAliases.get(i))) {
                totals.addAll(since);
            }
        }
        return VersionTotals.describe(totals);
    }

    /**
     * Where the scenario's target sends its traffic now: its two weighted record sets when it has a Route 53 record,
     * its API's stage when it has one, else its alias.
     */
    Routing target() {
        if (scenario.dns().isPresent()) {
            return new WeightedRecords(aws.route53()).read(records()).routing();
        }
        return scenario.api()
                .map(api -> new Stages(aws.apiGateway()).read(api.id(), api.stage()))
                .orElseGet(() -> new Aliases(aws.lambda()).read(scenario.function(),
                        followedAlias == null ? scenario.alias() : followedAlias));
    }

    /** The rollout's two record sets: the ones its input names, in the scenario's record. */
    private Target.Route53Weighted records() {
        Scenario.DnsSpec dns = scenario.dns().orElseThrow();
        JsonNode target = scenario.rollout() == null ? Json.object() : scenario.rollout().path("target");
        List<String> regions = dns.regions().stream().map(Scenario.RegionSpec::region).toList();
        return new Target.Route53Weighted(dns.zoneId(), dns.recordName(), dns.recordType(),
                target.path("from").asText(regions.get(0)), target.path("to").asText(regions.get(1)));
    }

    /** How the summary names the target: {@code Records}, {@code Stage} or {@code Alias}. */
    String targetLabel() {
        return scenario.dns().isPresent() ? "Records" : scenario.api().isPresent() ? "Stage" : "Alias";
    }

    /** What one side of the prepared rollout's target is called: {@code version}, {@code deployment}. */
    private static String unit(JsonNode rollout) {
        try {
            return Json.MAPPER.treeToValue(rollout, PreparedRollout.class).target().unit();
        } catch (IOException | IllegalArgumentException unreadable) {
            return "version";
        }
    }
}
