package dev.rollout.local.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.domain.FailureReport;
import dev.rollout.domain.Target;
import dev.rollout.handlers.Json;
import dev.rollout.local.report.RolloutReport.Kind;
import dev.rollout.local.report.RolloutReport.Mark;
import dev.rollout.local.report.RolloutReport.WeightChange;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an execution history, in the shape {@code GetExecutionHistory} returns ({@code {"events": [...]}} or the
 * bare list), into a {@link RolloutReport.Timeline}.
 *
 * <p>It reads states by what their output says rather than by a fixed list of names, so a state added to the
 * machine later still shows: any output with a {@code routing} such as {@code version 1 90%, version 2 10%} moves
 * the weight line; {@code healthy} is a verdict, {@code approved} a person's decision, {@code promotedAt} a
 * promotion, {@code rolledBackAt} a rollback, {@code shiftedAt} a shift; any other state that says something
 * ({@code reason} or {@code summary}) is a plain step. Notifications are left out: they decide nothing.
 */
public final class HistoryTimeline {

    /** The states that invoke a rollout's hook functions. */
    private static final Set<String> HOOK_STATES = Set.of("InvokeHook", "AwaitHookCallback");
    private static final Pattern VERSION_WEIGHT = Pattern.compile("version (\\S+) (\\d+(?:\\.\\d+)?)%");

    private final List<Mark> marks = new ArrayList<>();
    private final List<WeightChange> weights = new ArrayList<>();
    private final Set<String> versions = new LinkedHashSet<>();
    private String executionName = "";
    private String function = "";
    private String alias = "";
    private String from = "";
    private String to = "";
    private List<String> alarms = List.of();
    private String outcome = "RUNNING";
    private String state = "";
    private boolean stateFailed;
    /** When the last health verdict was given (or the rollout started): a window starts there. */
    private Instant lastVerdict = Instant.MIN;
    /** The hook being invoked, as in "pre-traffic hook orders-smoke". */
    private String hook = "";

    private HistoryTimeline() {
    }

    /**
     * @param history       the events, oldest first
     * @param executionName the execution's name, for the title
     * @param now           the end of the window while the execution still runs
     */
    public static RolloutReport.Timeline read(JsonNode history, String executionName, Instant now) {
        JsonNode events = history.has("events") ? history.get("events") : history;
        if (!events.isArray() || events.isEmpty()) {
            throw new IllegalArgumentException("events: expected the execution's history events, found none");
        }
        HistoryTimeline reader = new HistoryTimeline();
        reader.executionName = executionName;
        for (JsonNode event : events) {
            reader.add(event);
        }
        Instant start = Instant.parse(events.get(0).path("timestamp").asText());
        Instant lastEvent = Instant.parse(events.get(events.size() - 1).path("timestamp").asText());
        Instant end = reader.outcome.equals("RUNNING") && now.isAfter(lastEvent) ? now : lastEvent;
        String title = reader.function.isEmpty() ? executionName
                : reader.function + ":" + reader.alias + " " + reader.from + " -> " + reader.to;
        return new RolloutReport.Timeline(title, executionName, reader.function, reader.alias, reader.from, reader.to,
                reader.alarms, start, end, reader.outcome, List.copyOf(reader.versions), reader.weights, reader.marks);
    }

    private void add(JsonNode event) {
        Instant at = Instant.parse(event.path("timestamp").asText());
        String type = event.path("type").asText();
        if (type.endsWith("StateEntered")) {
            state = event.path("stateEnteredEventDetails").path("name").asText();
            stateFailed = false;
            return;
        }
        switch (type) {
            case "TaskStateExited" -> {
                if (!stateFailed) {
                    exited(at, event.path("stateExitedEventDetails").path("name").asText(),
                            parse(event.path("stateExitedEventDetails").path("output").asText("{}")));
                }
            }
            case "TaskScheduled" -> {
                if (HOOK_STATES.contains(state)) {
                    JsonNode parameters = parse(event.path("taskScheduledEventDetails").path("parameters").asText("{}"));
                    // preTraffic -> pre-traffic, as the failure causes say it
                    hook = parameters.at("/Payload/hook").asText().replace("Traffic", "-traffic") + " hook "
                            + parameters.path("FunctionName").asText();
                }
            }
            case "TaskSubmitted" -> {
                if (HOOK_STATES.contains(state)) {
                    marks.add(new Mark(at, Kind.HOOK, state, hook + " called", "answers through its task token"));
                    return;
                }
                JsonNode payload = parse(event.path("taskSubmittedEventDetails").path("output").asText("{}"))
                        .path("Payload");
                if (payload.has("until")) {
                    // A bake began: a wait, not a decision.
                    return;
                }
                String expires = payload.path("expiresAt").asText("");
                marks.add(new Mark(at, Kind.APPROVAL_REQUESTED, state, payload.path("subject").asText("waiting"),
                        expires.isEmpty() ? "" : "expires at " + expires));
            }
            case "TaskFailed" -> failed(at, event.path("taskFailedEventDetails"));
            case "TaskTimedOut" -> failed(at, event.path("taskTimedOutEventDetails"));
            case "ExecutionSucceeded" -> outcome = "SUCCEEDED";
            case "ExecutionFailed" -> outcome = "FAILED " + event.path("executionFailedEventDetails").path("error")
                    .asText("");
            case "ExecutionAborted" -> outcome = "ABORTED";
            case "ExecutionTimedOut" -> outcome = "TIMED_OUT";
            default -> {
            }
        }
    }

    private void failed(Instant at, JsonNode details) {
        String error = details.path("error").asText("");
        if (error.equals("Rollout.ChangePending")) {
            // Route 53 still propagating a change: the state machine asks again, and the state goes on when it is in
            // sync. A wait, not a failure.
            return;
        }
        stateFailed = true;
        if (error.equals("States.Timeout") && state.endsWith("Bake")) {
            // A bake's wait ran its time: it ended well, and the next move of traffic judges its window.
            return;
        }
        String reason = FailureReport.of(Json.object().put("Error", error)
                .put("Cause", details.path("cause").asText(""))).reason();
        Kind kind;
        String what;
        if (HOOK_STATES.contains(state)) {
            kind = Kind.FAILED;
            what = hook + (error.equals("States.Timeout") ? " did not answer within its timeout" : " failed with " + error);
        } else if (error.equals("Rollout.Rejected")) {
            kind = Kind.REJECTED;
            what = "rejected";
        } else if (error.equals("Rollout.Aborted")) {
            // A person's control: the cause says who, when and why.
            kind = Kind.ABORTED;
            what = "aborted";
        } else if (error.equals("States.Timeout") && state.contains("Approval")) {
            kind = Kind.APPROVAL_TIMED_OUT;
            what = "nobody decided before the approval timed out";
        } else if (error.equals("Rollout.AlarmTriggered") || error.equals("Rollout.HealthUnknown")
                || error.equals("Rollout.VersionUnhealthy") || error.equals("Rollout.HealthCheckFailed")) {
            kind = Kind.UNHEALTHY;
            what = "unhealthy: " + error;
        } else {
            kind = Kind.FAILED;
            what = "failed with " + error;
        }
        marks.add(new Mark(at, kind, state, what, reason));
    }

    /** What a side of the target is called ({@code version}, {@code deployment}); a version without a target. */
    private static String unit(JsonNode target) {
        if (!target.isObject()) {
            return "version";
        }
        try {
            return Json.MAPPER.treeToValue(target, Target.class).unit();
        } catch (IOException | IllegalArgumentException unreadable) {
            return "version";
        }
    }

    private void exited(Instant at, String name, JsonNode output) {
        String routing = output.path("routing").asText("");
        JsonNode rollout = output.path("rollout");
        if (name.startsWith("Notify")) {
            return;
        }
        if (HOOK_STATES.contains(name)) {
            JsonNode answer = output.path("answer");
            marks.add(new Mark(at, Kind.HOOK, name, hook + " answered " + answer.path("status").asText(answer.toString()),
                    answer.path("message").asText("")));
        } else if (rollout.isObject() && marks.isEmpty()) {
            // Rollouts name their target; those prepared before targets had kinds named the function and alias only.
            JsonNode target = rollout.path("target").isObject() ? rollout.path("target") : rollout;
            function = target.path("functionName").asText();
            alias = target.path("alias").asText();
            String unit = unit(rollout.path("target"));
            from = rollout.path("fromVersion").asText();
            to = rollout.path("toVersion").asText();
            versions.add(from);
            versions.add(to);
            List<String> watched = new ArrayList<>();
            rollout.path("alarms").forEach(alarm -> watched.add(alarm.asText()));
            alarms = List.copyOf(watched);
            lastVerdict = at;
            marks.add(new Mark(at, Kind.STARTED, name, unit + " " + from + " -> " + to + " with "
                    + rollout.path("strategy").asText(), watched.isEmpty() ? "watching no alarms"
                    : "watching " + String.join(", ", watched)));
        } else if (output.has("healthy") && !output.has("shiftedAt") && !output.has("promotedAt")) {
            verdict(at, name, output);
        } else if (output.path("control").asText().equals("promote") && output.has("by")) {
            // A person's promote-now ended this wait: the remaining steps and waits are skipped.
            marks.add(new Mark(at, Kind.PROMOTED_NOW, name, "promoted now by " + output.path("by").asText() + " at "
                    + output.path("at").asText(""), output.path("reason").asText("")));
        } else if (output.has("approved")) {
            boolean approved = output.path("approved").asBoolean();
            String by = output.path("by").isTextual() ? output.path("by").asText() : "someone who gave no name";
            marks.add(new Mark(at, approved ? Kind.APPROVED : Kind.REJECTED, name,
                    (approved ? "approved by " : "rejected by ") + by + " at " + output.path("at").asText(""),
                    output.path("comment").asText("")));
        } else if (output.has("promotedAt")) {
            verdict(at, name, output);
            marks.add(new Mark(at, Kind.PROMOTED, name, routing, ""));
        } else if (output.has("rolledBackAt")) {
            marks.add(new Mark(at, Kind.ROLLED_BACK, name, routing + " (" + output.path("phase").asText() + ")",
                    output.path("reason").asText("")));
        } else if (output.has("shiftedAt")) {
            verdict(at, name, output);
            marks.add(new Mark(at, Kind.SHIFT, name, routing, ""));
        } else if (!routing.isEmpty() || output.has("reason") || output.has("summary")) {
            marks.add(new Mark(at, Kind.OTHER, name, routing,
                    output.path("reason").asText(output.path("summary").asText(""))));
        }
        if (!routing.isEmpty()) {
            weigh(at, routing);
        }
    }

    /**
     * The health verdict of a check, or of a move of traffic that judged the window since the last one first (an
     * empty window, as at the first shift, is no verdict).
     */
    private void verdict(Instant at, String name, JsonNode output) {
        if (!output.has("healthy")) {
            return;
        }
        if (!output.has("summary") && !at.isAfter(lastVerdict)) {
            return;
        }
        lastVerdict = at;
        boolean healthy = output.path("healthy").asBoolean();
        String metrics = output.at("/metrics/summary").asText("");
        String summary = output.path("summary").asText("");
        marks.add(new Mark(at, healthy ? Kind.HEALTHY : Kind.UNHEALTHY, name, healthy ? "healthy" : "unhealthy",
                summary.isEmpty() ? metrics : metrics.isEmpty() ? summary : summary + "; " + metrics));
    }

    /** Records the weights a routing description gives, e.g. {@code version 1 90%, version 2 10%}. */
    private void weigh(Instant at, String routing) {
        Map<String, Double> percent = new LinkedHashMap<>();
        Matcher matcher = VERSION_WEIGHT.matcher(routing);
        while (matcher.find()) {
            percent.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
            versions.add(matcher.group(1));
        }
        if (percent.isEmpty()) {
            return;
        }
        if (!weights.isEmpty() && weights.get(weights.size() - 1).at().equals(at)) {
            weights.remove(weights.size() - 1);
        }
        weights.add(new WeightChange(at, percent));
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException unreadable) {
            return Json.object();
        }
    }
}
