package dev.rollout.local.report;

import java.time.Instant;
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

    /** Per version, the minutes CloudWatch stamped after the previous call and up to {@code now}. */
    public List<VersionTotals> next(Instant now) {
        Instant from = last;
        last = now;
        return VersionTotals.of(metrics.samples(function, alias, versions, from, now.plus(CloudWatchMetrics.PERIOD),
                CloudWatchMetrics.PERIOD)
                .stream().filter(sample -> sample.at().isAfter(from) && !sample.at().isAfter(now)).toList());
    }
}
