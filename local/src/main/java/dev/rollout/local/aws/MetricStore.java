package dev.rollout.local.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Every datapoint published, per metric, as it was published (aggregation happens when it is read).
 *
 * <p>Memory stays bounded however long a simulation runs, because the store keeps what CloudWatch keeps: datapoints
 * as published for 15 days, then rolled up into 5-minute aggregates until 63 days old, then into 1-hour aggregates
 * until 455 days old, then none (CloudWatch's retention of high-resolution metrics). Identical datapoints published at
 * a steady interval are kept as one run, and reads expand a run into exactly the datapoints it stands for. Runs are
 * kept in publication order; while that is also time order (the usual case), a read finds its first run by binary
 * search instead of scanning them all, so an alarm evaluated every minute costs the same on day 1 and on day 300.
 */
final class MetricStore {

    /** {@code count} datapoints equal to {@code aggregate}, at {@code first}, {@code first + step}, and so on. */
    private record Run(Instant first, long count, Duration step, Aggregate aggregate, StandardUnit unit) {
        Instant last() {
            return first.plus(step.multipliedBy(count - 1));
        }

        /** Whether a datapoint at {@code timestamp} continues this run. */
        boolean continuedBy(Instant timestamp, Aggregate next, StandardUnit nextUnit) {
            if (!aggregate.equals(next) || unit != nextUnit || !timestamp.isAfter(first)) {
                return false;
            }
            return count == 1 || timestamp.equals(last().plus(step));
        }

        Run extendedTo(Instant timestamp) {
            return new Run(first, count + 1, count == 1 ? Duration.between(first, timestamp) : step, aggregate, unit);
        }
    }

    /** A rolled-up period of one unit: CloudWatch keeps datapoints published with different units apart. */
    private record Period(Instant start, StandardUnit unit) implements Comparable<Period> {
        static Period first(Instant start) {
            return new Period(start, StandardUnit.values()[0]);
        }

        @Override
        public int compareTo(Period other) {
            int byStart = start.compareTo(other.start);
            return byStart != 0 ? byStart : unit.compareTo(other.unit);
        }
    }

    /** How long CloudWatch keeps datapoints as published, and the rollups after that. */
    static final Duration AS_PUBLISHED = Duration.ofDays(15);
    static final Duration FIVE_MINUTE_ROLLUP = Duration.ofDays(63);
    static final Duration RETENTION = Duration.ofDays(455);

    /**
     * One metric: the runs of its recent datapoints, whether each starts after the previous one's last datapoint, and
     * the rollups of older ones by period start and unit.
     */
    private static final class Series {
        private final List<Run> runs = new ArrayList<>();
        private boolean inTimeOrder = true;
        /** Runs before this index have been rolled up; they are dropped from the list in batches. */
        private int head;
        private final TreeMap<Period, Aggregate> fiveMinutes = new TreeMap<>();
        private final TreeMap<Period, Aggregate> hours = new TreeMap<>();
        private Instant latest = Instant.MIN;

        void add(Instant timestamp, Aggregate aggregate, StandardUnit unit) {
            if (timestamp.isAfter(latest)) {
                latest = timestamp;
                rollUp();
            }
            if (timestamp.isBefore(latest.minus(AS_PUBLISHED))) {
                rolled(timestamp, aggregate, unit);
                return;
            }
            if (runs.size() > head) {
                Run last = runs.get(runs.size() - 1);
                if (last.continuedBy(timestamp, aggregate, unit)) {
                    runs.set(runs.size() - 1, last.extendedTo(timestamp));
                    return;
                }
                inTimeOrder &= !timestamp.isBefore(last.last());
            }
            runs.add(new Run(timestamp, 1, Duration.ZERO, aggregate, unit));
        }

        /** Moves what has aged past each tier into the next one, and forgets what is past retention. */
        private void rollUp() {
            Instant asPublished = latest.minus(AS_PUBLISHED);
            while (inTimeOrder && head < runs.size() && runs.get(head).last().isBefore(asPublished)) {
                Run run = runs.get(head++);
                for (long n = 0; n < run.count(); n++) {
                    rolled(run.first().plus(run.step().multipliedBy(n)), run.aggregate(), run.unit());
                }
            }
            if (head > 1_024 && head > runs.size() / 2) {
                runs.subList(0, head).clear();
                head = 0;
            }
            Instant fiveMinute = latest.minus(FIVE_MINUTE_ROLLUP);
            while (!fiveMinutes.isEmpty() && fiveMinutes.firstKey().start().isBefore(fiveMinute)) {
                Map.Entry<Period, Aggregate> oldest = fiveMinutes.pollFirstEntry();
                merge(hours, oldest.getKey().start(), Duration.ofHours(1), oldest.getValue(), oldest.getKey().unit());
            }
            Instant retained = latest.minus(RETENTION);
            while (!hours.isEmpty() && hours.firstKey().start().isBefore(retained)) {
                hours.pollFirstEntry();
            }
        }

        private void rolled(Instant timestamp, Aggregate aggregate, StandardUnit unit) {
            if (timestamp.isBefore(latest.minus(FIVE_MINUTE_ROLLUP))) {
                merge(hours, timestamp, Duration.ofHours(1), aggregate, unit);
            } else {
                merge(fiveMinutes, timestamp, Duration.ofMinutes(5), aggregate, unit);
            }
        }

        private static void merge(TreeMap<Period, Aggregate> rollup, Instant timestamp, Duration period,
                                  Aggregate aggregate, StandardUnit unit) {
            rollup.merge(new Period(periodStart(timestamp, period, Instant.EPOCH), unit), aggregate, Aggregate::merge);
        }

        /** Every datapoint in {@code [from, to)}: the rollups' first, then the recent ones in publication order. */
        void forEach(Instant from, Instant to, StandardUnit unit, BiConsumer<Instant, Aggregate> action) {
            if (from.isBefore(to)) {
                for (TreeMap<Period, Aggregate> rollup : List.of(hours, fiveMinutes)) {
                    rollup.subMap(Period.first(from), Period.first(to)).forEach((period, aggregate) -> {
                        if (unit == null || unit == period.unit()) {
                            action.accept(period.start(), aggregate);
                        }
                    });
                }
            }
            for (int i = inTimeOrder ? firstEndingAtOrAfter(from) : head; i < runs.size(); i++) {
                Run run = runs.get(i);
                if (inTimeOrder && !run.first().isBefore(to)) {
                    return;
                }
                if (unit != null && unit != run.unit()) {
                    continue;
                }
                for (long n = firstIndexFrom(run, from); n < run.count(); n++) {
                    Instant timestamp = run.first().plus(run.step().multipliedBy(n));
                    if (!timestamp.isBefore(to)) {
                        break;
                    }
                    action.accept(timestamp, run.aggregate());
                }
            }
        }

        private int firstEndingAtOrAfter(Instant from) {
            int low = head;
            int high = runs.size();
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (runs.get(middle).last().isBefore(from)) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }

        private static long firstIndexFrom(Run run, Instant from) {
            if (!run.first().isBefore(from) || run.count() == 1) {
                return run.first().isBefore(from) ? 1 : 0;
            }
            long behind = Duration.between(run.first(), from).toNanos();
            long step = run.step().toNanos();
            return Math.min(run.count(), (behind + step - 1) / step);
        }

        StandardUnit lastUnit() {
            return runs.size() > head ? runs.get(runs.size() - 1).unit()
                    : !fiveMinutes.isEmpty() ? fiveMinutes.lastKey().unit()
                    : !hours.isEmpty() ? hours.lastKey().unit() : StandardUnit.NONE;
        }

        int size() {
            return runs.size() - head + fiveMinutes.size() + hours.size();
        }
    }

    private final Map<MetricId, Series> datapoints = new HashMap<>();

    void add(MetricId metric, Instant timestamp, Aggregate aggregate, StandardUnit unit) {
        datapoints.computeIfAbsent(metric, k -> new Series()).add(timestamp, aggregate, unit);
    }

    /**
     * Aggregates the metric's datapoints in {@code [from, to)} into periods that start at {@code origin} plus a
     * multiple of {@code period}; only periods holding data appear. A null {@code unit} matches every unit.
     */
    SortedMap<Instant, Aggregate> periods(MetricId metric, Instant from, Instant to, Duration period, Instant origin,
            StandardUnit unit) {
        SortedMap<Instant, Aggregate> byPeriod = new TreeMap<>();
        series(metric).forEach(from, to, unit, (timestamp, aggregate) ->
                byPeriod.merge(periodStart(timestamp, period, origin), aggregate, Aggregate::merge));
        return byPeriod;
    }

    /**
     * The metric's datapoints in {@code [from, to)}, as published, grouped into periods that start at {@code origin}
     * plus a multiple of {@code period}: what percentiles are computed from.
     */
    SortedMap<Instant, List<Aggregate>> samples(MetricId metric, Instant from, Instant to, Duration period,
            Instant origin, StandardUnit unit) {
        SortedMap<Instant, List<Aggregate>> byPeriod = new TreeMap<>();
        series(metric).forEach(from, to, unit, (timestamp, aggregate) -> byPeriod
                .computeIfAbsent(periodStart(timestamp, period, origin), k -> new ArrayList<>()).add(aggregate));
        return byPeriod;
    }

    /** The unit the metric's datapoints were published with; the latest one wins when they differ. */
    StandardUnit unit(MetricId metric) {
        return series(metric).lastUnit();
    }

    /**
     * How many runs of datapoints and rolled-up periods are stored for every metric together: what the store's memory
     * grows with, at most about 45,000 per metric whatever the simulated time.
     */
    int storedRuns() {
        return datapoints.values().stream().mapToInt(Series::size).sum();
    }

    private Series series(MetricId metric) {
        return datapoints.getOrDefault(metric, new Series());
    }

    private static Instant periodStart(Instant timestamp, Duration period, Instant origin) {
        long index = Math.floorDiv(Duration.between(origin, timestamp).toMillis(), period.toMillis());
        return origin.plus(period.multipliedBy(index));
    }
}
