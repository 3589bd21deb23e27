package dev.rollout.local.aws;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Supplier;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * Evaluates a metric alarm the way CloudWatch documents it ("How alarm state is evaluated when data is missing").
 *
 * <p>Periods are aligned to multiples of {@code Period} since the epoch; the newest is the one containing the
 * evaluation time, so traffic published at a moment is seen by an evaluation at that moment. CloudWatch retrieves
 * more periods than {@code EvaluationPeriods}: this evaluation range is {@code EvaluationPeriods + 2}, the size the
 * documentation's examples use. With at least {@code EvaluationPeriods} real datapoints in the range, the most recent
 * ones are evaluated and {@code TreatMissingData} plays no part; with fewer, the gap is filled as it says.
 */
final class AlarmEvaluator {

    private static final int EXTRA_PERIODS = 2;
    /** Beyond this many timestamps of a run per period, {@link #staysAt} does not bound the period's values. */
    private static final long MAX_BATCHES_PER_PERIOD = 1_440;

    private static final DateTimeFormatter REASON_TIME =
            DateTimeFormatter.ofPattern("dd/MM/yy HH:mm:ss").withZone(ZoneOffset.UTC);

    private static final Map<ComparisonOperator, String> PHRASES = Map.of(
            ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, "greater than or equal to",
            ComparisonOperator.GREATER_THAN_THRESHOLD, "greater than",
            ComparisonOperator.LESS_THAN_THRESHOLD, "less than",
            ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD, "less than or equal to");

    private record Point(Instant start, Aggregate aggregate, double value, boolean breaching) {
    }

    private final PutMetricAlarmRequest alarm;
    private final Statistic statistic;
    private final int evaluationPeriods;
    private final int datapointsToAlarm;
    private final String treatMissingData;

    AlarmEvaluator(PutMetricAlarmRequest alarm) {
        this.alarm = alarm;
        this.statistic = alarm.statistic();
        this.evaluationPeriods = alarm.evaluationPeriods();
        this.datapointsToAlarm = alarm.datapointsToAlarm() != null ? alarm.datapointsToAlarm() : evaluationPeriods;
        this.treatMissingData = alarm.treatMissingData() != null ? alarm.treatMissingData() : "missing";
    }

    /**
     * An evaluation's state, and CloudWatch's reason for it, which is written out only when asked for: only a change of
     * state records one, and an alarm evaluated every minute mostly stays as it is.
     */
    record Outcome(StateValue state, Supplier<AlarmVerdict> verdict) {
    }

    /** The alarm's state at {@code now}; empty when {@code ignore} keeps the current state. */
    Optional<Outcome> evaluate(MetricStore metrics, Instant now) {
        Duration period = Duration.ofSeconds(alarm.period());
        Instant newest = Instant.EPOCH.plus(period.multipliedBy(
                Math.floorDiv(now.toEpochMilli(), period.toMillis())));
        Instant oldest = newest.minus(period.multipliedBy(evaluationPeriods + EXTRA_PERIODS - 1));
        SortedMap<Instant, Aggregate> periods = metrics.periods(
                MetricId.of(alarm.namespace(), alarm.metricName(), alarm.dimensions()),
                oldest, now.plusMillis(1), period, Instant.EPOCH, alarm.unit());
        List<Point> real = new ArrayList<>();
        periods.forEach((start, aggregate) -> {
            double value = aggregate.value(statistic);
            real.add(new Point(start, aggregate, value, breaches(value)));
        });
        Instant windowStart = newest.minus(period.multipliedBy(evaluationPeriods - 1));

        if (real.size() >= evaluationPeriods) {
            return Optional.of(crossed(real.subList(real.size() - evaluationPeriods, real.size()), 0, now));
        }
        long breaching = real.stream().filter(Point::breaching).count();
        int filled = evaluationPeriods - real.size();
        switch (treatMissingData) {
            case "breaching":
                return Optional.of(crossed(real, filled, now));
            case "notBreaching":
                return Optional.of(crossed(real, -filled, now));
            default:
                if (breaching >= datapointsToAlarm || real.stream().anyMatch(p -> !p.breaching())) {
                    return Optional.of(crossed(real, 0, now));
                }
                // Only breaching datapoints, too few to alarm: ignore keeps the state. With missing, the documented
                // examples wait for more data while one is within the last EvaluationPeriods periods, and go to
                // ALARM once the oldest has aged out of them with nothing non-breaching in sight: the gap then counts
                // as breaching.
                if (treatMissingData.equals("ignore")) {
                    return Optional.empty();
                }
                if (!real.isEmpty() && real.get(0).start().isBefore(windowStart)) {
                    return Optional.of(crossed(real, filled, now));
                }
                return Optional.of(insufficient(real, now));
        }
    }

    /**
     * Whether every evaluation from {@code now} on leaves the alarm in {@code current}, for as long as the metrics
     * {@code continuing} names go on with those values and nothing else is published. True when its evaluation range
     * holds no datapoints (each evaluation then reads the same nothing), or when it lies within a run that goes on and
     * every period of such a run, whatever its number of datapoints, is on the same side of the threshold, the side
     * {@code current} is on.
     */
    boolean staysAt(StateValue current, MetricStore metrics, Instant now, Map<MetricId, DatapointValues> continuing) {
        Duration period = Duration.ofSeconds(alarm.period());
        Instant newest = Instant.EPOCH.plus(period.multipliedBy(
                Math.floorDiv(now.toEpochMilli(), period.toMillis())));
        Instant oldest = newest.minus(period.multipliedBy(evaluationPeriods + EXTRA_PERIODS - 1));
        MetricId id = MetricId.of(alarm.namespace(), alarm.metricName(), alarm.dimensions());
        Optional<MetricStore.Recent> recent = metrics.recentFrom(id, oldest);
        if (recent.isEmpty()) {
            return false;
        }
        MetricStore.Recent run = recent.get();
        if (run.values() == null || (alarm.unit() != null && alarm.unit() != run.unit())) {
            return !continuing.containsKey(id) || run.values() != null;
        }
        if (run.values() != continuing.get(id) || statistic == null || run.step().isZero()
                || period.compareTo(run.step()) < 0) {
            return false;
        }
        // Each period holds one to this many of the run's timestamps: the newest may have fewer than the others.
        long most = -Math.floorDiv(-period.toNanos(), run.step().toNanos());
        if (most > MAX_BATCHES_PER_PERIOD) {
            return false;
        }
        Boolean breaching = null;
        for (long batches = 1; batches <= most; batches++) {
            Optional<DatapointValues.Bounds> bounds = run.values().bounds(batches);
            if (bounds.isEmpty()) {
                return false;
            }
            double[] values = bounds.get().of(statistic);
            boolean low = breaches(values[0]);
            if (low != breaches(values[1]) || (breaching != null && breaching != low)) {
                return false;
            }
            breaching = low;
        }
        return current == (Boolean.TRUE.equals(breaching) ? StateValue.ALARM : StateValue.OK);
    }

    /**
     * OK or ALARM from the evaluated real datapoints plus {@code filled} missing ones treated as breaching (positive)
     * or not breaching (negative).
     */
    private Outcome crossed(List<Point> evaluated, int filled, Instant now) {
        long breaching = evaluated.stream().filter(Point::breaching).count() + Math.max(filled, 0);
        boolean alarming = breaching >= datapointsToAlarm;
        StateValue state = alarming ? StateValue.ALARM : StateValue.OK;
        return new Outcome(state, () -> new AlarmVerdict(state, evaluated.isEmpty()
                ? "Threshold Crossed: no datapoints were received for " + count(Math.abs(filled), "period") + " and "
                        + filledNote(filled)
                : thresholdCrossed(evaluated, filled, breaching, alarming), reasonData(evaluated, now)));
    }

    /**
     * CloudWatch's wording: the datapoints on the side of the verdict, newest first, and how many it takes. Filled
     * datapoints on that side are listed as "missing", having no value.
     */
    private String thresholdCrossed(List<Point> evaluated, int filled, long breaching, boolean alarming) {
        int total = evaluated.size() + Math.abs(filled);
        long onVerdictSide = alarming ? breaching : total - breaching;
        int needed = alarming ? datapointsToAlarm : evaluationPeriods - datapointsToAlarm + 1;
        List<String> listed = new ArrayList<>();
        newestFirst(evaluated).stream()
                .filter(p -> p.breaching() == alarming)
                .forEach(p -> listed.add(p.value() + " (" + REASON_TIME.format(p.start()) + ")"));
        if (alarming == (filled > 0)) {
            listed.addAll(Collections.nCopies(Math.abs(filled), "missing"));
        }
        String reason = "Threshold Crossed: " + onVerdictSide + " out of the last " + count(total, "datapoint")
                + " [" + String.join(", ", listed) + "] " + (onVerdictSide == 1 ? "was" : "were")
                + (alarming ? " " : " not ") + PHRASES.get(alarm.comparisonOperator())
                + " the threshold (" + alarm.threshold() + ") (minimum " + count(needed, "datapoint")
                + " for " + (alarming ? "OK -> ALARM" : "ALARM -> OK") + " transition).";
        return filled == 0 ? reason : reason + " " + filledNote(filled);
    }

    private static String filledNote(int filled) {
        int n = Math.abs(filled);
        return count(n, "missing datapoint") + " " + (n == 1 ? "was" : "were") + " treated as ["
                + (filled > 0 ? "Breaching" : "NonBreaching") + "].";
    }

    private Outcome insufficient(List<Point> evaluated, Instant now) {
        int unknown = evaluationPeriods - evaluated.size();
        String reason = "Insufficient Data: " + count(unknown, "datapoint") + " " + (unknown == 1 ? "was" : "were")
                + " unknown.";
        return new Outcome(StateValue.INSUFFICIENT_DATA,
                () -> new AlarmVerdict(StateValue.INSUFFICIENT_DATA, reason, reasonData(evaluated, now)));
    }

    /** CloudWatch's {@code StateReasonData} for a threshold alarm. */
    private String reasonData(List<Point> evaluated, Instant now) {
        ObjectNode data = Json.MAPPER.createObjectNode();
        data.put("version", "1.0");
        data.put("queryDate", Json.timestamp(now));
        if (!evaluated.isEmpty()) {
            data.put("startDate", Json.timestamp(evaluated.get(0).start()));
        }
        data.put("statistic", statistic.toString());
        data.put("period", alarm.period());
        ArrayNode recent = data.putArray("recentDatapoints");
        evaluated.forEach(p -> recent.add(p.value()));
        data.put("threshold", alarm.threshold());
        ArrayNode points = data.putArray("evaluatedDatapoints");
        newestFirst(evaluated).forEach(p -> points.addObject()
                .put("timestamp", Json.timestamp(p.start()))
                .put("sampleCount", p.aggregate().sampleCount())
                .put("value", p.value()));
        return Json.write(data);
    }

    private boolean breaches(double value) {
        double threshold = alarm.threshold();
        return switch (alarm.comparisonOperator()) {
            case GREATER_THAN_OR_EQUAL_TO_THRESHOLD -> value >= threshold;
            case GREATER_THAN_THRESHOLD -> value > threshold;
            case LESS_THAN_THRESHOLD -> value < threshold;
            case LESS_THAN_OR_EQUAL_TO_THRESHOLD -> value <= threshold;
            default -> throw new IllegalStateException("unsupported operator passed validation: "
                    + alarm.comparisonOperator());
        };
    }

    private static List<Point> newestFirst(List<Point> points) {
        List<Point> reversed = new ArrayList<>(points);
        Collections.reverse(reversed);
        return reversed;
    }

    /** {@code 1 datapoint}, {@code 2 datapoints}. */
    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
