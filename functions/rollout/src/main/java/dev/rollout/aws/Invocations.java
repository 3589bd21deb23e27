package dev.rollout.aws;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import dev.rollout.domain.Evidence;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/** Counts the invocations a version served through an alias, from Lambda's metrics in CloudWatch. */
public final class Invocations {
    private final CloudWatchClient cloudWatch;

    public Invocations(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /**
     * The invocations of {@code version} through {@code function:alias} from {@code from} to {@code to}: the Sum of
     * {@code AWS/Lambda Invocations} under {@code FunctionName}, {@code Resource} and {@code ExecutedVersion}.
     */
    public Evidence of(String function, String alias, String version, Instant from, Instant to) {
        String name = function.substring(function.lastIndexOf(":function:") < 0 ? 0
                : function.lastIndexOf(":function:") + ":function:".length());
        // CloudWatch counts whole minutes. Windows follow each other, so each minute is counted once, in the window
        // in which it begins: the minutes after the one `from` falls in, up to and including the one `to` falls in.
        Instant start = from.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
        Instant end = to.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
        if (!end.isAfter(start)) {
            return new Evidence(version, 0);
        }
        int period = Evidence.periodSeconds(Duration.between(start, end));
        try {
            double sum = cloudWatch.getMetricStatistics(request -> request
                    .namespace("AWS/Lambda")
                    .metricName("Invocations")
                    .dimensions(dimension("FunctionName", name), dimension("Resource", name + ":" + alias),
                            dimension("ExecutedVersion", version))
                    .startTime(start)
                    .endTime(end)
                    .period(period)
                    .statistics(Statistic.SUM)).datapoints().stream()
                    .mapToDouble(Datapoint::sum).sum();
            return new Evidence(version, Math.round(sum));
        } catch (SdkException error) {
            throw AwsErrors.translate("GetMetricStatistics Invocations of " + name + ":" + alias + " version "
                    + version, error);
        }
    }

    private static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }
}
