package dev.rollout.local.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * {@code GetMetricData} over a {@link MetricStore}, for queries with a {@code MetricStat} (metric math expressions
 * are refused as unsupported). Percentile statistics ({@code p99}, {@code p99.9}) follow CloudWatch's rule for
 * statistic sets: they are computed only when every datapoint in the period is a single value (a sample count of 1,
 * or minimum equal to maximum), and a period holding any other datapoint has no value.
 */
final class MetricDataQueries {

    private static final Pattern ID = Pattern.compile("[a-z][a-zA-Z0-9_]{0,254}");
    private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(?:\\.\\d+)?|100)");
    private static final int MAX_QUERIES = 500;
    private static final Map<String, Statistic> STATISTICS = Map.of("SampleCount", Statistic.SAMPLE_COUNT,
            "Average", Statistic.AVERAGE, "Sum", Statistic.SUM, "Minimum", Statistic.MINIMUM,
            "Maximum", Statistic.MAXIMUM);

    private final MetricStore metrics;
    /** When the request is answered: how old its start is decides how CloudWatch rounds it. */
    private final Instant now;

    MetricDataQueries(MetricStore metrics, Instant now) {
        this.metrics = metrics;
        this.now = now;
    }

    GetMetricDataResponse answer(GetMetricDataRequest request) {
        if (request.startTime() == null) {
            throw CloudWatchErrors.missing("StartTime");
        }
        if (request.endTime() == null) {
            throw CloudWatchErrors.missing("EndTime");
        }
        if (!request.startTime().isBefore(request.endTime())) {
            throw CloudWatchErrors.invalidValue("The parameter StartTime must be less than the parameter EndTime.");
        }
        if (!request.hasMetricDataQueries() || request.metricDataQueries().isEmpty()) {
            throw CloudWatchErrors.missing("MetricDataQueries");
        }
        if (request.metricDataQueries().size() > MAX_QUERIES) {
            throw CloudWatchErrors.invalidValue("MetricDataQueries", request.metricDataQueries().size() + " queries",
                    "At most " + MAX_QUERIES + " are allowed.");
        }
        if (request.nextToken() != null) {
            // This service answers every query in one page, so it never hands out a token to come back with.
            throw CloudWatchErrors.invalidNextToken();
        }
        Set<String> ids = new HashSet<>();
        List<MetricDataResult> results = new ArrayList<>();
        for (int i = 0; i < request.metricDataQueries().size(); i++) {
            MetricDataQuery query = request.metricDataQueries().get(i);
            String member = "MetricDataQueries.member." + (i + 1);
            check(query, member, ids);
            if (query.returnData() == null || query.returnData()) {
                results.add(result(query, request.startTime(), request.endTime(),
                        request.scanBy() == ScanBy.TIMESTAMP_ASCENDING));
            }
        }
        return GetMetricDataResponse.builder().metricDataResults(results).messages(List.of()).build();
    }

    private static void check(MetricDataQuery query, String member, Set<String> ids) {
        if (query.id() == null) {
            throw CloudWatchErrors.missing(member + ".Id");
        }
        if (!ID.matcher(query.id()).matches()) {
            throw CloudWatchErrors.invalidValue(member + ".Id", query.id(),
                    "It must start with a lowercase letter and hold only letters, digits and underscores.");
        }
        if (!ids.add(query.id())) {
            throw CloudWatchErrors.invalidValue("The value " + query.id() + " for field Id is duplicated.");
        }
        if (query.expression() != null) {
            throw new UnsupportedOperationException(
                    "Metric math expressions are not supported by the in-memory CloudWatch (" + member + ")");
        }
        MetricStat stat = query.metricStat();
        if (stat == null) {
            throw CloudWatchErrors.combination("Exactly one of MetricStat and Expression must be given in " + member
                    + ".");
        }
        if (stat.metric() == null || stat.metric().namespace() == null || stat.metric().metricName() == null) {
            throw CloudWatchErrors.missing(member + ".MetricStat.Metric");
        }
        if (stat.period() == null) {
            throw CloudWatchErrors.missing(member + ".MetricStat.Period");
        }
        int period = stat.period();
        if (!(period == 1 || period == 5 || period == 10 || period == 30 || (period > 0 && period % 60 == 0))) {
            throw CloudWatchErrors.invalidValue(member + ".MetricStat.Period", period,
                    "It must be 1, 5, 10, 30 or a multiple of 60.");
        }
        if (stat.stat() == null) {
            throw CloudWatchErrors.missing(member + ".MetricStat.Stat");
        }
        if (!STATISTICS.containsKey(stat.stat()) && !PERCENTILE.matcher(stat.stat()).matches()) {
            throw new UnsupportedOperationException("The statistic " + stat.stat() + " (" + member + ") is not "
                    + "supported by the in-memory CloudWatch: use SampleCount, Average, Sum, Minimum, Maximum or pNN");
        }
    }

    private MetricDataResult result(MetricDataQuery query, Instant start, Instant end, boolean ascending) {
        MetricStat stat = query.metricStat();
        MetricId id = MetricId.of(stat.metric().namespace(), stat.metric().metricName(), stat.metric().dimensions());
        Duration period = Duration.ofSeconds(stat.period());
        Instant origin = MetricStore.roundedStart(start, now);
        List<Instant> timestamps = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        if (STATISTICS.containsKey(stat.stat())) {
            // Merged periods suffice for these; only percentiles need the datapoints' values apart.
            metrics.periods(id, origin, end, period, origin, stat.unit()).forEach((timestamp, aggregate) -> {
                timestamps.add(timestamp);
                values.add(aggregate.value(STATISTICS.get(stat.stat())));
            });
        } else {
            metrics.samples(id, origin, end, period, origin, stat.unit()).forEach((timestamp, aggregates) ->
                    value(stat.stat(), aggregates).ifPresent(value -> {
                        timestamps.add(timestamp);
                        values.add(value);
                    }));
        }
        if (!ascending) {
            // CloudWatch lists the newest datapoint first unless told otherwise.
            Collections.reverse(timestamps);
            Collections.reverse(values);
        }
        return MetricDataResult.builder()
                .id(query.id())
                .label(query.label() != null ? query.label() : stat.metric().metricName())
                .timestamps(timestamps)
                .values(values)
                .statusCode(StatusCode.COMPLETE)
                .messages(List.of())
                .build();
    }

    /** The statistic over one period's datapoints; empty when CloudWatch could not compute it from them. */
    static Optional<Double> value(String statistic, List<Aggregate> aggregates) {
        Matcher percentile = PERCENTILE.matcher(statistic);
        if (percentile.matches()) {
            return percentile(Double.parseDouble(percentile.group(1)), aggregates);
        }
        Aggregate merged = aggregates.stream().reduce(Aggregate::merge).orElseThrow();
        return Optional.of(merged.value(STATISTICS.get(statistic)));
    }

    /** Nearest rank over the single values, each counted as often as it was sampled. */
    private static Optional<Double> percentile(double p, List<Aggregate> aggregates) {
        if (aggregates.stream().anyMatch(a -> a.minimum() != a.maximum())) {
            return Optional.empty();
        }
        List<Aggregate> sorted = aggregates.stream().sorted(Comparator.comparingDouble(Aggregate::minimum)).toList();
        double total = sorted.stream().mapToDouble(Aggregate::sampleCount).sum();
        double rank = Math.max(1, Math.ceil(p / 100 * total));
        double seen = 0;
        for (Aggregate a : sorted) {
            seen += a.sampleCount();
            if (seen >= rank) {
                return Optional.of(a.minimum());
            }
        }
        return Optional.of(sorted.get(sorted.size() - 1).minimum());
    }
}
