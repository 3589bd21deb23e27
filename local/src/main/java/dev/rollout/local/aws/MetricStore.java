package dev.rollout.local.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Every datapoint published, per metric, as it was published (aggregation happens when it is read).
 *
 * <p>Memory stays bounded however long a simulation runs, because the store keeps what CloudWatch keeps: datapoints
 * as published for 15 days, then rolled up into 5-minute aggregates until 63 days old, then into 1-hour aggregates
 * until 455 days old, then none (CloudWatch's retention of high-resolution metrics). Datapoints published at a steady
 * interval are kept as one run when they are identical or follow one formula ({@link DatapointValues}: steady traffic
 * whose carried rounding makes them vary), and reads take a run's datapoints a period at a time, so a year-long run
 * costs its periods, not its datapoints. Runs are kept in publication order; while that is also time order (the usual case), a read finds its first run by binary
 * search instead of scanning them all, so an alarm evaluated every minute costs the same on day 1 and on day 300.
 */
final class MetricStore {

    /**
     * Datapoints at {@code first}, {@code first + step}, and so on, {@code count} timestamps in all; those at the
     * {@code k}-th are {@code values.at(offset + k, j)}.
     */
    private static final class Run {
        private final Instant first;
        private long count;
        private Duration step;
        private final DatapointValues values;
        private final long offset;
        private final StandardUnit unit;
        private Instant last;

        Run(Instant first, Duration step, DatapointValues values, long offset, StandardUnit unit) {
            this.first = first;
            this.last = first;
            this.count = 1;
            this.step = step;
            this.values = values;
            this.offset = offset;
            this.unit = unit;
        }

        Instant at(long k) {
            // In nanoseconds: Duration.multipliedBy goes through BigDecimal, and this runs for every period read.
            return k == 0 ? first : first.plusNanos(Math.multiplyExact(step.toNanos(), k));
        }

        Instant last() {
            return last;
        }

        /** Whether {@code next}, published at {@code timestamp}, continues this run of identical datapoints. */
        boolean continuedBy(Instant timestamp, Aggregate next, StandardUnit nextUnit) {
            if (!(values instanceof DatapointValues.Constant constant) || !constant.aggregate().equals(next)
                    || unit != nextUnit || !timestamp.isAfter(first)) {
                return false;
            }
            return count == 1 || timestamp.equals(last.plus(step));
        }

        /** Whether the datapoints of {@code nextValues} at {@code index}, published at {@code timestamp}, continue it. */
        boolean continuedBy(Instant timestamp, DatapointValues nextValues, long index, StandardUnit nextUnit) {
            return values == nextValues && offset + count == index && unit == nextUnit
                    && (count == 1 ? timestamp.isAfter(first) : timestamp.equals(last.plus(step)));
        }

        /** Whether its datapoints are {@code aggregate}, {@code nextStep} apart, one of them due at {@code timestamp}. */
        boolean extendableTo(Instant timestamp, Aggregate aggregate, StandardUnit nextUnit, Duration nextStep) {
            return values instanceof DatapointValues.Constant constant && constant.aggregate().equals(aggregate)
                    && unit == nextUnit && count >= 2 && step.equals(nextStep) && timestamp.isAfter(last)
                    && Duration.between(first, timestamp).toNanos() % step.toNanos() == 0;
        }

        void extendTo(Instant timestamp) {
            if (count == 1) {
                step = Duration.between(first, timestamp);
            }
            count++;
            last = timestamp;
        }

        /** The datapoints of the timestamps {@code [from, to)}, merged. */
        Aggregate merged(long from, long to) {
            return values.merged(offset + from, offset + to);
        }

        List<Aggregate> samples(long from, long to) {
            return values.samples(offset + from, offset + to);
        }
    }

    /** Receives the run's timestamps {@code [from, to)} (indexes), all in the period starting at {@code start}. */
    private interface Chunk {
        void accept(Instant start, long from, long to);
    }

    /** Receives a rolled-up period's aggregate, or a run's part of it, in the period starting at {@code start}. */
    private interface RolledUp {
        void accept(Instant start, Period rollup, Aggregate aggregate);
    }

    /** Receives a run's timestamps {@code [from, to)} (indexes), all in the period starting at {@code start}. */
    private interface RunChunk {
        void accept(Instant start, Run run, long from, long to);
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
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    private static final Duration HOUR = Duration.ofHours(1);
    /** How many of a metric's newest runs a datapoint may continue (see {@link Series#continued}). */
    private static final int INTERLEAVED = 4;

    /**
     * Where CloudWatch starts a read that starts at {@code start}, seen at {@code now}: at the minute, the 5 minutes or
     * the hour before, for a start less than 15 days, up to 63 days or more than 63 days ago (the resolution it keeps
     * data of that age in).
     */
    static Instant roundedStart(Instant start, Instant now) {
        Duration age = Duration.between(start, now);
        Duration rounding = age.compareTo(AS_PUBLISHED) < 0 ? Duration.ofMinutes(1)
                : age.compareTo(FIVE_MINUTE_ROLLUP) <= 0 ? FIVE_MINUTES : HOUR;
        return periodStart(start, rounding, Instant.EPOCH);
    }

    /**
     * One metric: the runs of its recent datapoints, whether each starts after the previous one's last datapoint, and
     * the rollups of older ones by period start and unit.
     */
    private static final class Series {
        private final List<Run> runs = new ArrayList<>();
        private boolean inTimeOrder = true;
        /** False once a run continued out of turn ({@link #continued}): a later run may then have started earlier. */
        private boolean firstsInOrder = true;
        /** Runs before this index have been rolled up; they are dropped from the list in batches. */
        private int head;
        private final TreeMap<Period, Aggregate> fiveMinutes = new TreeMap<>();
        private final TreeMap<Period, Aggregate> hours = new TreeMap<>();
        private Instant latest = Instant.MIN;
        /** The oldest timestamp kept as published: {@code latest} less 15 days. */
        private Instant asPublishedFrom = Instant.MIN;

        void add(Instant timestamp, Aggregate aggregate, StandardUnit unit) {
            if (aged(timestamp)) {
                rolled(timestamp, aggregate, unit);
                return;
            }
            Run continued = continued(timestamp, run -> run.continuedBy(timestamp, aggregate, unit));
            if (continued != null) {
                continued.extendTo(timestamp);
                return;
            }
            append(timestamp, new Run(timestamp, Duration.ZERO, new DatapointValues.Constant(aggregate), 0, unit));
        }

        void add(Instant timestamp, DatapointValues values, long index, Duration step, StandardUnit unit) {
            if (aged(timestamp)) {
                rolled(timestamp, values.merged(index, index + 1), unit);
                return;
            }
            Run continued = continued(timestamp, run -> run.continuedBy(timestamp, values, index, unit));
            if (continued != null) {
                continued.extendTo(timestamp);
                return;
            }
            append(timestamp, new Run(timestamp, step, values, index, unit));
        }

        Optional<Recent> recentFrom(Instant from) {
            if (from.isBefore(asPublishedFrom)) {
                return Optional.empty();
            }
            boolean rolledUpSince = !hours.tailMap(Period.first(from)).isEmpty()
                    || !fiveMinutes.tailMap(Period.first(from)).isEmpty();
            if (!inTimeOrder || rolledUpSince) {
                return Optional.empty();
            }
            int first = firstEndingAtOrAfter(from);
            if (first == runs.size()) {
                return Optional.of(new Recent(null, Duration.ZERO, StandardUnit.NONE));
            }
            Run run = runs.get(first);
            if (first != runs.size() - 1 || run.count < 2 || !run.first.isBefore(from)) {
                return Optional.empty();
            }
            return Optional.of(new Recent(run.values, run.step, run.unit));
        }

        void extend(Instant last, DatapointValues values, long index) {
            Run run = continued(last, r -> r.values == values && r.count >= 2 && index >= r.offset + r.count
                    && r.at(index - r.offset).equals(last));
            if (run == null) {
                throw new IllegalStateException("not a continuation of a newest run through " + index + " at " + last);
            }
            // The run first, so that moving the tiers on cannot roll it up.
            run.count = index - run.offset + 1;
            run.last = last;
            aged(last);
        }

        /**
         * Continues a newest run of datapoints identical to {@code aggregate}, {@code step} apart, through {@code last}: as
         * {@link #add(Instant, Aggregate, StandardUnit)} of each datapoint in between would. False when no such run
         * is going on, at a step that reaches {@code last}.
         */
        boolean extend(Instant last, Aggregate aggregate, StandardUnit unit, Duration step) {
            Run run = continued(last, r -> r.extendableTo(last, aggregate, unit, step));
            if (run == null) {
                return false;
            }
            run.count = Duration.between(run.first, last).toNanos() / run.step.toNanos() + 1;
            run.last = last;
            aged(last);
            return true;
        }

        /** The values of the runs {@link #extend(Instant, Aggregate, StandardUnit, Duration)} could continue. */
        List<DatapointValues> extendable(Instant last, Aggregate aggregate, StandardUnit unit, Duration step) {
            List<DatapointValues> found = new ArrayList<>();
            Run newest = lastRun();
            if (newest == null || !inTimeOrder || last.isBefore(newest.last())) {
                return found;
            }
            for (int i = runs.size() - 1; i >= Math.max(head, runs.size() - INTERLEAVED); i--) {
                if (runs.get(i).extendableTo(last, aggregate, unit, step)) {
                    found.add(runs.get(i).values);
                }
            }
            return found;
        }

        /**
         * The run {@code timestamp}'s datapoints continue: the newest, or while runs are in time order one of the few
         * before it, which moves to the end. Publishers that interleave datapoints at the same timestamps (a stage and
         * its canary, two aliases of one function) so keep one run each, and runs stay in order of their last
         * datapoint, though no longer of their first.
         */
        private Run continued(Instant timestamp, Predicate<Run> continues) {
            Run last = lastRun();
            if (last == null || continues.test(last)) {
                return last;
            }
            if (!inTimeOrder || timestamp.isBefore(last.last())) {
                return null;
            }
            for (int i = runs.size() - 2; i >= Math.max(head, runs.size() - INTERLEAVED); i--) {
                Run run = runs.get(i);
                if (continues.test(run)) {
                    runs.remove(i);
                    runs.add(run);
                    firstsInOrder = false;
                    return run;
                }
            }
            return null;
        }

        /** Moves the tiers on to a newer timestamp; true if one this old is kept rolled up only. */
        private boolean aged(Instant timestamp) {
            if (timestamp.isAfter(latest)) {
                Instant before = latest;
                latest = timestamp;
                asPublishedFrom = latest.minus(AS_PUBLISHED);
                rollUp(before);
            }
            return timestamp.isBefore(asPublishedFrom);
        }

        private Run lastRun() {
            return runs.size() > head ? runs.get(runs.size() - 1) : null;
        }

        private void append(Instant timestamp, Run run) {
            Run last = lastRun();
            if (last != null) {
                inTimeOrder &= !timestamp.isBefore(last.last());
            }
            runs.add(run);
        }

        /**
         * Moves what has aged past each tier into the next one, and forgets what is past retention. The runs whose last datapoint was the newest until now, {@code before}, wait for the next newer one:
         * several runs continued at once to a timestamp more than 15 days on are extended one after the other, and
         * reads see a run's old datapoints in their rollups either way ({@link #tiered}).
         */
        private void rollUp(Instant before) {
            while (inTimeOrder && head < runs.size() && runs.get(head).last().isBefore(asPublishedFrom)
                    && !runs.get(head).last().equals(before)) {
                Run run = runs.get(head++);
                // A period at a time: the datapoints older than the five-minute tier go to hours, the others to five
                // minutes, as rolled() puts each one.
                Instant end = run.last().plusNanos(1);
                Instant boundary = latest.minus(FIVE_MINUTE_ROLLUP);
                chunks(run, run.first, end.isBefore(boundary) ? end : boundary, Duration.ofHours(1), Instant.EPOCH,
                        (start, from, to) -> hours.merge(new Period(start, run.unit), run.merged(from, to),
                                Aggregate::merge));
                chunks(run, run.first.isAfter(boundary) ? run.first : boundary, end, Duration.ofMinutes(5),
                        Instant.EPOCH, (start, from, to) -> fiveMinutes.merge(new Period(start, run.unit),
                                run.merged(from, to), Aggregate::merge));
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

        /**
         * Every stored datapoint in {@code [from, to)} by the period (of {@code period} from {@code origin}) its
         * timestamp falls in: the rollups' first, then the recent ones in publication order, a run's datapoints in one
         * period at once: {@code rolledUp} gets a rolled-up period's aggregate, {@code recent} a run's datapoints.
         */
        void forEach(Instant from, Instant to, Duration period, Instant origin, StandardUnit unit,
                     RolledUp rolledUp, RunChunk recent) {
            if (from.isBefore(to)) {
                for (TreeMap<Period, Aggregate> rollup : List.of(hours, fiveMinutes)) {
                    rollup.subMap(Period.first(from), Period.first(to)).forEach((key, aggregate) -> {
                        if (unit == null || unit == key.unit()) {
                            rolledUp.accept(periodStart(key.start(), period, origin), key, aggregate);
                        }
                    });
                }
            }
            for (int i = inTimeOrder ? firstEndingAtOrAfter(from) : head; i < runs.size(); i++) {
                Run run = runs.get(i);
                // A run starting within the hour after `to` may still hold datapoints of an hour starting before.
                if (inTimeOrder && firstsInOrder && !run.first.isBefore(to.plus(HOUR))) {
                    return;
                }
                if (unit == null || unit == run.unit) {
                    tiered(run, from, to, period, origin, rolledUp, recent);
                }
            }
        }

        /**
         * A run's datapoints in {@code [from, to)} as CloudWatch has them now: those still kept as published by the
         * period their timestamp falls in; those older than 15 days by the 5-minute or hourly rollup they belong to,
         * whose start is what {@code [from, to)} and the periods go by (as {@link #rollUp} stores the runs that ended),
         * and none past 455 days.
         */
        private void tiered(Run run, Instant from, Instant to, Duration period, Instant origin,
                            RolledUp rolledUp, RunChunk recent) {
            Instant hourly = ceiling(latest.minus(FIVE_MINUTE_ROLLUP), FIVE_MINUTES);
            Instant forgotten = ceiling(latest.minus(RETENTION), HOUR);
            rolled(run, forgotten, hourly, HOUR, from, to, period, origin, rolledUp);
            rolled(run, hourly, asPublishedFrom, FIVE_MINUTES, from, to, period, origin, rolledUp);
            chunks(run, from.isAfter(asPublishedFrom) ? from : asPublishedFrom, to, period, origin,
                    (start, first, end) -> recent.accept(start, run, first, end));
        }

        /** The run's datapoints in {@code [since, until)} by their rollup of {@code rollup}, if it starts in range. */
        private static void rolled(Run run, Instant since, Instant until, Duration rollup, Instant from, Instant to,
                                   Duration period, Instant origin, RolledUp rolledUp) {
            // A rollup starts in [from, to) when its datapoints are at or after ceiling(from) and before ceiling(to).
            Instant low = ceiling(from, rollup);
            Instant high = ceiling(to, rollup);
            chunks(run, low.isAfter(since) ? low : since, high.isBefore(until) ? high : until, rollup, Instant.EPOCH,
                    (start, first, end) -> rolledUp.accept(periodStart(start, period, origin),
                            new Period(start, run.unit), run.merged(first, end)));
        }

        private static Instant ceiling(Instant timestamp, Duration rollup) {
            Instant start = periodStart(timestamp, rollup, Instant.EPOCH);
            return start.equals(timestamp) ? start : start.plus(rollup);
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

        /** The run's timestamps in {@code [from, to)}, split where a period of the grid from {@code origin} starts. */
        private static void chunks(Run run, Instant from, Instant to, Duration period, Instant origin, Chunk chunk) {
            if (!from.isBefore(to)) {
                return;
            }
            long end = firstIndexFrom(run, to);
            for (long index = firstIndexFrom(run, from); index < end; ) {
                Instant start = periodStart(run.at(index), period, origin);
                long next = Math.min(end, firstIndexFrom(run, start.plus(period)));
                chunk.accept(start, index, next);
                index = next;
            }
        }

        /** The index of the run's first timestamp at or after {@code from}; {@code count} when there is none. */
        private static long firstIndexFrom(Run run, Instant from) {
            if (!run.first.isBefore(from)) {
                return 0;
            }
            if (run.count == 1) {
                return 1;
            }
            long behind = Duration.between(run.first, from).toNanos();
            long step = run.step.toNanos();
            return Math.min(run.count, (behind + step - 1) / step);
        }

        StandardUnit lastUnit() {
            return runs.size() > head ? runs.get(runs.size() - 1).unit
                    : !fiveMinutes.isEmpty() ? fiveMinutes.lastKey().unit()
                    : !hours.isEmpty() ? hours.lastKey().unit() : StandardUnit.NONE;
        }

        int size() {
            return runs.size() - head + fiveMinutes.size() + hours.size();
        }
    }

    private final Map<MetricId, Series> datapoints = new HashMap<>();
    private final Map<MetricId, Series> steady = new IdentityHashMap<>();

    void add(MetricId metric, Instant timestamp, Aggregate aggregate, StandardUnit unit) {
        datapoints.computeIfAbsent(metric, k -> new Series()).add(timestamp, aggregate, unit);
    }

    /**
     * Adds the datapoints {@code values} has at {@code index}, published at {@code timestamp}; those at the next index,
     * published a {@code step} later, continue the same run, so steady values cost no memory however long they last.
     */
    void add(MetricId metric, Instant timestamp, DatapointValues values, long index, Duration step,
             StandardUnit unit) {
        // Steady values come with the same metric instance each time: found without hashing its dimensions. The
        // instances of spans long ended are forgotten now and then.
        if (steady.size() > 1_024) {
            steady.clear();
        }
        steady.computeIfAbsent(metric, k -> datapoints.computeIfAbsent(k, id -> new Series()))
                .add(timestamp, values, index, step, unit);
    }

    /**
     * What the metric holds from {@code from} on, when a run can tell: {@code values} null for nothing, else the values
     * of the one run that holds it all and started before {@code from}, at its {@code step}.
     */
    record Recent(DatapointValues values, Duration step, StandardUnit unit) {
    }

    /** See {@link Recent}; empty when what the metric holds from {@code from} on is not that simple. */
    Optional<Recent> recentFrom(MetricId metric, Instant from) {
        return series(metric).recentFrom(from);
    }

    /**
     * Continues the metric's last run, of {@code values}, through {@code index}, published at {@code last}: the
     * datapoints in between came at the run's step, as {@link #add(MetricId, Instant, DatapointValues, long, Duration,
     * StandardUnit)} would have added them one by one.
     */
    void extend(MetricId metric, Instant last, DatapointValues values, long index) {
        datapoints.get(metric).extend(last, values, index);
    }

    /**
     * The values of the metric's newest runs of datapoints identical to {@code aggregate} that
     * {@link #extend(MetricId, Instant, Aggregate, StandardUnit, Duration)} could continue through {@code last}, at
     * {@code step}: as many calls as it lists succeed.
     */
    List<DatapointValues> extendable(MetricId metric, Instant last, Aggregate aggregate, StandardUnit unit,
                                     Duration step) {
        Series series = datapoints.get(metric);
        return series == null ? List.of() : series.extendable(last, aggregate, unit, step);
    }

    /**
     * Continues a newest run of the metric's datapoints identical to {@code aggregate}, {@code step} apart, through
     * {@code last}, if there is one.
     */
    boolean extend(MetricId metric, Instant last, Aggregate aggregate, StandardUnit unit, Duration step) {
        Series series = datapoints.get(metric);
        return series != null && series.extend(last, aggregate, unit, step);
    }

    /**
     * Aggregates the metric's datapoints in {@code [from, to)} into periods that start at {@code origin} plus a
     * multiple of {@code period}; only periods holding data appear. A null {@code unit} matches every unit.
     */
    SortedMap<Instant, Aggregate> periods(MetricId metric, Instant from, Instant to, Duration period, Instant origin,
            StandardUnit unit) {
        SortedMap<Instant, Aggregate> byPeriod = new TreeMap<>();
        series(metric).forEach(from, to, period, origin, unit,
                (start, rollup, aggregate) -> byPeriod.merge(start, aggregate, Aggregate::merge),
                (start, run, first, end) -> byPeriod.merge(start, run.merged(first, end), Aggregate::merge));
        return byPeriod;
    }

    /**
     * The metric's datapoints in {@code [from, to)} grouped into periods that start at {@code origin} plus a multiple
     * of {@code period}, as percentiles are computed from them: a run's datapoints of one value together, with their
     * sample counts added up (see {@link DatapointValues#samples}).
     */
    SortedMap<Instant, List<Aggregate>> samples(MetricId metric, Instant from, Instant to, Duration period,
            Instant origin, StandardUnit unit) {
        SortedMap<Instant, List<Aggregate>> byPeriod = new TreeMap<>();
        // A rollup is one aggregate however many runs its datapoints came from (several publishers interleaved).
        Map<Period, Aggregate> rollups = new TreeMap<>();
        Map<Period, Instant> starts = new HashMap<>();
        series(metric).forEach(from, to, period, origin, unit,
                (start, rollup, aggregate) -> {
                    rollups.merge(rollup, aggregate, Aggregate::merge);
                    starts.put(rollup, start);
                },
                (start, run, first, end) -> byPeriod.computeIfAbsent(start, k -> new ArrayList<>())
                        .addAll(run.samples(first, end)));
        rollups.forEach((rollup, aggregate) ->
                byPeriod.computeIfAbsent(starts.get(rollup), k -> new ArrayList<>()).add(aggregate));
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
        long millis = period.toMillis();
        return origin.plusMillis(Math.floorDiv(Duration.between(origin, timestamp).toMillis(), millis) * millis);
    }
}
