package dev.rollout.local.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What a report of one rollout shows, whichever runtime ran it: the timeline read from the execution's history and
 * the metrics and alarm states CloudWatch kept for the same window. Nothing here knows AWS or HTML, so the
 * simulated and the real path build the same model and {@link ReportPage} draws it.
 */
public record RolloutReport(Timeline timeline, Metrics metrics, String aliasNow) {

    /** @param aliasNow where the alias sends traffic when the report was made, e.g. {@code version 2 100%} */
    public RolloutReport {
        Objects.requireNonNull(timeline, "timeline");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(aliasNow, "aliasNow");
    }

    /**
     * What the execution did.
     *
     * @param title    what rolled out, e.g. {@code orders:live 1 -> 2}
     * @param outcome  how the execution ended, e.g. {@code SUCCEEDED}, {@code FAILED Rollout.AlarmTriggered},
     *                 or {@code RUNNING}
     * @param versions the versions that carried traffic, starting version first
     * @param weights  every change of the alias' weights, oldest first; percentages per version
     * @param marks    every decision, oldest first
     */
    public record Timeline(String title, String executionName, String function, String alias, String fromVersion,
                           String toVersion, List<String> alarms, Instant start, Instant end, String outcome,
                           List<String> versions, List<WeightChange> weights, List<Mark> marks) {
        public Timeline {
            alarms = List.copyOf(alarms);
            versions = List.copyOf(versions);
            weights = List.copyOf(weights);
            marks = List.copyOf(marks);
        }

        public Duration length() {
            return Duration.between(start, end);
        }
    }

    /** The alias' weights from {@code at} on: percent per version, summing to 100. */
    public record WeightChange(Instant at, Map<String, Double> percentByVersion) {
        public WeightChange {
            percentByVersion = Map.copyOf(percentByVersion);
        }
    }

    /**
     * One decision on the timeline.
     *
     * @param state  the state that made it, as named in the state machine
     * @param what   a short line, e.g. {@code version 1 90%, version 2 10%}
     * @param reason why, in the words the decision gave (a verdict's summary, a person's comment, an error's cause)
     */
    public record Mark(Instant at, Kind kind, String state, String what, String reason) {
    }

    /** What kind of decision a mark is; drawn with its own symbol and colour. */
    public enum Kind {
        STARTED("started"),
        SHIFT("shift"),
        HEALTHY("healthy"),
        UNHEALTHY("unhealthy"),
        APPROVAL_REQUESTED("approval requested"),
        APPROVED("approved"),
        REJECTED("rejected"),
        APPROVAL_TIMED_OUT("approval timed out"),
        ABORTED("aborted by a person"),
        PROMOTED_NOW("promoted now by a person"),
        HOOK("hook"),
        PROMOTED("promoted"),
        ROLLED_BACK("rolled back"),
        FAILED("failed"),
        OTHER("step");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The name used in the page's markup, e.g. {@code rolled-back}. */
        public String cssName() {
            return label.replace(' ', '-');
        }
    }

    /**
     * Per-version traffic and alarm states over the rollout's window.
     *
     * @param samples    one per version and period that served requests, oldest first
     * @param alarmBands the times each watched alarm spent in ALARM
     * @param alarms     each watched alarm as defined, e.g. {@code Errors Sum >= 5 over 60 s (ExecutedVersion=2)}
     */
    public record Metrics(Duration period, List<MetricSample> samples, List<AlarmBand> alarmBands,
                          List<AlarmRule> alarms) {
        public Metrics {
            samples = List.copyOf(samples);
            alarmBands = List.copyOf(alarmBands);
            alarms = List.copyOf(alarms);
        }

        public static Metrics none() {
            return new Metrics(Duration.ofMinutes(1), List.of(), List.of(), List.of());
        }
    }

    /**
     * A version's traffic in the period that starts at {@code at}.
     *
     * @param p99Millis empty when CloudWatch had no percentile for the period
     */
    public record MetricSample(Instant at, String version, double requests, double errors,
                               OptionalDouble p99Millis) {
        /** Failed requests as a share of all, in percent; 0 without requests. */
        public double errorPercent() {
            return requests == 0 ? 0 : errors / requests * 100;
        }
    }

    /** An alarm in ALARM from {@code from} to {@code to} (the end of the window if it was still firing). */
    public record AlarmBand(String alarm, Instant from, Instant to, String reason) {
    }

    /** A watched alarm and what it watches, for the legend. */
    public record AlarmRule(String name, String description) {
    }
}
