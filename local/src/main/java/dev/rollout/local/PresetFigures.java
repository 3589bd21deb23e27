package dev.rollout.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import dev.rollout.domain.Strategies;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.HistoryEvent;
import dev.rollout.local.asl.HistoryEventType;
import dev.rollout.local.time.VirtualClock;
import software.amazon.awssdk.services.cloudwatch.model.AlarmHistoryItem;
import software.amazon.awssdk.services.cloudwatch.model.HistoryItemType;

/**
 * What each predefined strategy costs and how fast it reacts, measured on the local runtime: the state transitions of
 * a healthy rollout (Step Functions bills per transition), and, for a new version that starts failing a quarter of
 * its requests one minute after the first shift, the simulated time from its alarm entering ALARM to the alias
 * being back on the old version. Simulated time leaves out what the local runtime does not model: CloudWatch's own
 * evaluation delay, EventBridge delivery and Lambda invocation latency (seconds, on AWS).
 */
public final class PresetFigures {
    /** The watched alarm: version 2's errors through the alias, as a team would write it. */
    public static final String ALARM = "orders-v2-errors";
    private static final Duration FAILURE_STARTS = Duration.ofMinutes(1);

    private PresetFigures() {
    }

    /**
     * @param alarmToRestored from the alarm entering ALARM to the rollback's end; empty if the failing rollout was
     *                        not rolled back after an alarm
     */
    public record Figures(String strategy, long healthyTransitions, Outcome healthyOutcome, Duration healthyTook,
                          Outcome failingOutcome, Optional<Duration> alarmToRestored) {
    }

    /** Every predefined strategy, in the order {@link Strategies#predefinedNames()} lists them. */
    public static List<Figures> measureAll(Path root) throws IOException {
        List<Figures> figures = new java.util.ArrayList<>();
        for (String strategy : Strategies.predefinedNames()) {
            figures.add(measure(root, strategy));
        }
        return figures;
    }

    public static Figures measure(Path root, String strategy) throws IOException {
        Simulation.Result healthy = simulation(root, world(strategy, false)).run();
        Simulation failing = simulation(root, world(strategy, true));
        Simulation.Result failed = failing.run();
        Optional<Instant> alarmed = failing.aws().cloudWatch().describeAlarmHistory(request -> request
                        .alarmName(ALARM).historyItemType(HistoryItemType.STATE_UPDATE))
                .alarmHistoryItems().stream()
                .filter(item -> item.historySummary().endsWith(" to ALARM"))
                .map(AlarmHistoryItem::timestamp)
                .min(Instant::compareTo);
        Optional<Instant> restored = failed.started().flatMap(execution -> execution.history().stream()
                .filter(event -> event.type() == HistoryEventType.TASK_STATE_EXITED
                        && event.details(EventDetails.StateExited.class).name().equals("Rollback"))
                .map(HistoryEvent::timestamp)
                .findFirst());
        Optional<Duration> reaction = failed.outcome() == Outcome.ROLLED_BACK && alarmed.isPresent()
                && restored.isPresent() ? Optional.of(Duration.between(alarmed.get(), restored.get())) : Optional.empty();
        return new Figures(strategy, healthy.execution().stateTransitions(), healthy.outcome(), healthy.simulated(),
                failed.outcome(), reaction);
    }

    private static Simulation simulation(Path root, ObjectNode scenario) throws IOException {
        return new Simulation(root, Scenario.read(scenario), new VirtualClock(Simulation.START), null, line -> { });
    }

    /** Function orders, live on version 1, 600 requests a minute, and a rollout to version 2 watching its errors. */
    static ObjectNode world(String strategy, boolean failing) {
        ObjectNode scenario = Json.object();
        scenario.put("description", strategy + (failing ? ": version 2 fails a quarter of its requests from 1m" : ""));
        scenario.put("function", "orders");
        scenario.putArray("versions").add(Json.object().put("errorRate", 0.0).put("latencyMs", 80))
                .add(Json.object().put("errorRate", 0.0).put("latencyMs", 75));
        scenario.put("requestsPerMinute", 600);
        ObjectNode alarm = scenario.putArray("alarms").addObject();
        alarm.put("name", ALARM).put("threshold", 5);
        alarm.putObject("dimensions").put("FunctionName", "orders").put("Resource", "orders:live")
                .put("ExecutedVersion", "2");
        if (failing) {
            // The first shift happens at the start; the failure begins one minute later.
            scenario.putArray("changes").addObject().put("at", FAILURE_STARTS.toMinutes() + "m").put("version", "2")
                    .put("errorRate", 0.25);
        }
        ObjectNode rollout = scenario.putObject("rollout");
        rollout.put("functionName", "orders").put("targetVersion", "2").put("strategy", strategy);
        rollout.putArray("alarms").add(ALARM);
        return scenario;
    }
}
