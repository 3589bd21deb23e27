package dev.rollout.local.aws;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
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
 * GetMetricData over the in-memory metrics, for {@code MetricStat} queries: the five basic statistics and percentiles
 * ({@code p99}, {@code p99.9}). As CloudWatch documents for statistic sets, a percentile is computed only from
 * datapoints whose values are all equal (minimum = maximum = sum / sample count), such as the simulated traffic
 * publishes; a period holding any other has no percentile value. Metric math expressions are not supported.
 */
final class MetricDataQueries {
    private static final int MAX_QUERIES = 500;
    private static final Pattern ID = Pattern.compile("[a-z][a-zA-Z0-9_]{0,254}");
    private static final Pattern PERCENTILE = Pattern.compile("p(100|\\d{1,2}(?:\\.\\d{1,10})?)");

    private MetricDataQueries() {
    }

    static GetMetricDataResponse answer(MetricStore metrics, GetMetricDataRequest request) {
        if (request.startTime() == null) {
            throw CloudWatchErrors.missing("StartTime");
        }
        if (request.endTime() == null) {
            throw CloudWatchErrors.missing("EndTime");
        }
        if (!request.endTime().isAfter(request.startTime())) {
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
            throw CloudWatchErrors.invalidNextToken();
        }
        Set<String> ids = new HashSet<>();
        List<MetricDataResult> results = new ArrayList<>();
        boolean oldestFirst = request.scanBy() == ScanBy.TIMESTAMP_ASCENDING;
        for (MetricDataQuery query : request.metricDataQueries()) {
            if (query.id() == null || !ID.matcher(query.id()).matches()) {
                throw CloudWatchErrors.invalidValue("MetricDataQueries.Id", query.id(),
                        "It must start with a lowercase letter and hold only letters, digits and underscores.");
            }
            if (!ids.add(query.id())) {
                throw CloudWatchErrors.invalidValue("The values for parameter id in MetricDataQueries are not unique.");
            }
            if (query.expression() != null) {
                throw new UnsupportedOperationException("metric math expressions are not supported by the in-memory"
                        + " CloudWatch; query " + query.id() + " must use MetricStat");
            }
            MetricStat stat = query.metricStat();
            if (stat == null || stat.metric() == null || stat.period() == null || stat.stat() == null) {
                throw CloudWatchErrors.missing("MetricDataQueries.MetricStat (Metric, Period and Stat) of " + query.id());
            }
            if (stat.period() < 1 || stat.period() >= 60 && stat.period() % 60 != 0) {
                throw CloudWatchErrors.invalidValue("MetricDataQueries.MetricStat.Period", stat.period(),
                        "It must be 1, 5, 10, 30 or a multiple of 60.");
            }
            results.add(result(metrics, request, query, oldestFirst));
        }
        return GetMetricDataResponse.builder().metricDataResults(results).messages(List.of()).build();
    }

    private static MetricDataResult result(MetricStore metrics, GetMetricDataRequest request, MetricDataQuery query,
                                           boolean oldestFirst) {
        MetricStat stat = query.metricStat();
        MetricId id = MetricId.of(stat.metric().namespace(), stat.metric().metricName(), stat.metric().dimensions());
        Duration period = Duration.ofSeconds(stat.period());
        Instant origin = request.startTime().truncatedTo(ChronoUnit.MINUTES);
        SortedMap<Instant, List<Aggregate>> published = metrics.published(id, origin, request.endTime(), period, origin);
        List<Instant> timestamps = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        published.forEach((start, aggregates) -> value(stat.stat(), aggregates).ifPresent(value -> {
            timestamps.add(start);
            values.add(value);
        }));
        if (!oldestFirst) {
            java.util.Collections.reverse(timestamps);
            java.util.Collections.reverse(values);
        }
        return MetricDataResult.builder().id(query.id())
                .label(query.label() != null ? query.label() : stat.metric().metricName())
                .timestamps(timestamps).values(values).statusCode(StatusCode.COMPLETE).messages(List.of()).build();
    }

    private static Optional<Double> value(String stat, List<Aggregate> aggregates) {
        Matcher percentile = PERCENTILE.matcher(stat);
        if (percentile.matches()) {
            return percentile(Double.parseDouble(percentile.group(1)), aggregates);
        }
        Statistic statistic = Statistic.fromValue(stat);
        if (statistic == Statistic.UNKNOWN_TO_SDK_VERSION) {
            throw CloudWatchErrors.invalidValue("MetricDataQueries.MetricStat.Stat", stat,
                    "It must be SampleCount, Average, Sum, Minimum, Maximum or a percentile such as p99.");
        }
        return Optional.of(aggregates.stream().reduce(Aggregate::merge).orElseThrow().value(statistic));
    }

    /** Nearest-rank percentile over the values the datapoints stand for; empty when one of them is a spread. */
    private static Optional<Double> percentile(double rank, List<Aggregate> aggregates) {
        if (aggregates.stream().anyMatch(a -> a.minimum() != a.maximum())) {
            return Optional.empty();
        }
        List<Aggregate> sorted = new ArrayList<>(aggregates);
        sorted.sort(Comparator.comparingDouble(Aggregate::minimum));
        double total = sorted.stream().mapToDouble(Aggregate::sampleCount).sum();
        double wanted = Math.ceil(rank / 100 * total);
        double seen = 0;
        for (Aggregate value : sorted) {
            seen += value.sampleCount();
            if (seen >= wanted) {
                return Optional.of(value.minimum());
            }
        }
        return Optional.of(sorted.get(sorted.size() - 1).minimum());
    }
}
