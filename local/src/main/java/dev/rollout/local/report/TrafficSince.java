package dev.rollout.local.report;

import dev.rollout.domain.Evidence;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * The traffic an alias served since the last time it was asked, per version, as CloudWatch reports it: what a
 * simulation prints on each health line.
 */
public final class TrafficSince {

    private final CloudWatchMetrics metrics;
    private final String function;
    private final String alias;
    private final List<String> versions;
    private Instant last;

    public TrafficSince(CloudWatchClient cloudWatch, String function, String alias, List<String> versions,
                        Instant from) {
        this.metrics = new CloudWatchMetrics(cloudWatch);
        this.function = function;
        this.alias = alias;
        this.versions = List.copyOf(versions);
        this.last = from;
    }

    /**
     * Per version, the minutes CloudWatch stamped after the previous call and up to {@code now}: the datapoints from
     * the minute after the previous call's to the end of {@code now}'s. They are read a minute at a time unless that is
     * more than a day of minutes; then in the periods a check of that window reads ({@link Evidence#periodSeconds}),
     * whose p99s make the p99 (the same when each version's latency is one value, as in a simulation).
     */
    public List<VersionTotals> next(Instant now) {
        Instant from = last.truncatedTo(ChronoUnit.MINUTES).plus(CloudWatchMetrics.PERIOD);
        Instant to = now.truncatedTo(ChronoUnit.MINUTES).plus(CloudWatchMetrics.PERIOD);
        last = now;
        if (!from.isBefore(to)) {
            return List.of();
        }
        Duration period = Duration.ofSeconds(Evidence.periodSeconds(Duration.between(from, to)));
        return VersionTotals.of(metrics.samples(function, alias, versions, from, to, period));
    }
}
