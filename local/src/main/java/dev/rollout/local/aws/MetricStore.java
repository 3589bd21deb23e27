package dev.rollout.local.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/** Every datapoint published, per metric, as it was published (aggregation happens when it is read). */
final class MetricStore {

    private record Datapoint(Instant timestamp, Aggregate aggregate, StandardUnit unit) {
    }

    private final Map<MetricId, List<Datapoint>> datapoints = new HashMap<>();

    void add(MetricId metric, Instant timestamp, Aggregate aggregate, StandardUnit unit) {
        datapoints.computeIfAbsent(metric, k -> new ArrayList<>()).add(new Datapoint(timestamp, aggregate, unit));
    }

    /**
     * Aggregates the metric's datapoints in {@code [from, to)} into periods that start at {@code origin} plus a
     * multiple of {@code period}; only periods holding data appear. A null {@code unit} matches every unit.
     */
    SortedMap<Instant, Aggregate> periods(MetricId metric, Instant from, Instant to, Duration period, Instant origin,
            StandardUnit unit) {
        SortedMap<Instant, Aggregate> byPeriod = new TreeMap<>();
        for (Datapoint d : datapoints.getOrDefault(metric, List.of())) {
            if (d.timestamp().isBefore(from) || !d.timestamp().isBefore(to) || (unit != null && unit != d.unit())) {
                continue;
            }
            long index = Math.floorDiv(Duration.between(origin, d.timestamp()).toMillis(), period.toMillis());
            byPeriod.merge(origin.plus(period.multipliedBy(index)), d.aggregate(), Aggregate::merge);
        }
        return byPeriod;
    }

    /**
     * The metric's datapoints in {@code [from, to)}, as published, grouped into periods that start at {@code origin}
     * plus a multiple of {@code period}: what percentiles are computed from.
     */
    SortedMap<Instant, List<Aggregate>> samples(MetricId metric, Instant from, Instant to, Duration period,
            Instant origin, StandardUnit unit) {
        SortedMap<Instant, List<Aggregate>> byPeriod = new TreeMap<>();
        for (Datapoint d : datapoints.getOrDefault(metric, List.of())) {
            if (d.timestamp().isBefore(from) || !d.timestamp().isBefore(to) || (unit != null && unit != d.unit())) {
                continue;
            }
            long index = Math.floorDiv(Duration.between(origin, d.timestamp()).toMillis(), period.toMillis());
            byPeriod.computeIfAbsent(origin.plus(period.multipliedBy(index)), k -> new ArrayList<>()).add(d.aggregate());
        }
        return byPeriod;
    }

    /** The unit the metric's datapoints were published with; the latest one wins when they differ. */
    StandardUnit unit(MetricId metric) {
        List<Datapoint> points = datapoints.getOrDefault(metric, List.of());
        return points.isEmpty() ? StandardUnit.NONE : points.get(points.size() - 1).unit();
    }
}
