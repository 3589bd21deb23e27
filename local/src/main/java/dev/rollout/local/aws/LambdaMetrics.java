package dev.rollout.local.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * Publishes what Lambda publishes to {@code AWS/Lambda} when an alias is invoked: Invocations, Errors and Duration,
 * each under {@code {FunctionName}}, {@code {FunctionName, Resource=name:alias}} and
 * {@code {FunctionName, Resource=name:alias, ExecutedVersion=version}}. Errors is published with every invocation
 * (0 or 1 each), so its Average is the error rate; nothing is published for versions that served no requests.
 */
final class LambdaMetrics {

    static final String NAMESPACE = "AWS/Lambda";
    private static final List<String> NAMES = List.of("Invocations", "Errors", "Duration");

    private final InMemoryCloudWatch cloudWatch;

    LambdaMetrics(InMemoryCloudWatch cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    void aliasInvoked(String functionName, String alias, VersionTraffic traffic, double latencyMillis,
            Instant timestamp) {
        long n = traffic.requests();
        if (n == 0) {
            return;
        }
        for (List<Dimension> dimensions : dimensions(functionName, alias, traffic.version())) {
            for (String name : NAMES) {
                cloudWatch.record(MetricId.of(NAMESPACE, name, dimensions), timestamp,
                        aggregate(name, n, traffic.errors(), latencyMillis), unit(name));
            }
        }
    }

    /** A batch of a steady span, whose metrics' datapoints continue the span's runs ({@link #steady}). */
    void steadyBatch(String functionName, SteadyTraffic span, Instant timestamp) {
        for (SteadyTraffic.Published published : span.metrics(functionName)) {
            cloudWatch.record(published.metric(), timestamp, published.values(), span.batches(), span.step(),
                    published.unit());
        }
    }

    /** {@code n} more batches of a steady span at once, the last at {@code last}: its runs extended to them. */
    void steadyBatches(String functionName, SteadyTraffic span, Instant last) {
        for (SteadyTraffic.Published published : span.metrics(functionName)) {
            cloudWatch.extend(published.metric(), last, published.values(), span.batches());
        }
    }

    /**
     * The metrics a steady span publishes, each with its values by batch: under the function and the alias, one
     * datapoint per version at each batch (the primary's first, as {@link #aliasInvoked} publishes them), and one
     * under each version.
     */
    static List<SteadyTraffic.Published> steady(String functionName, SteadyTraffic span) {
        List<SteadyTraffic.Published> published = new ArrayList<>();
        List<String> versions = span.versions();
        List<Integer> all = new ArrayList<>();
        for (int v = 0; v < versions.size(); v++) {
            all.add(v);
        }
        for (String name : NAMES) {
            List<List<Dimension>> shared = dimensions(functionName, span.alias(), versions.get(0)).subList(0, 2);
            for (List<Dimension> dimensions : shared) {
                published.add(new SteadyTraffic.Published(MetricId.of(NAMESPACE, name, dimensions),
                        new SteadyValues(span, name, List.copyOf(all)), unit(name)));
            }
            for (int v = 0; v < versions.size(); v++) {
                published.add(new SteadyTraffic.Published(MetricId.of(NAMESPACE, name,
                        dimensions(functionName, span.alias(), versions.get(v)).get(2)),
                        new SteadyValues(span, name, List.of(v)), unit(name)));
            }
        }
        return published;
    }

    /** The datapoint Lambda publishes for {@code n} invocations of which {@code errors} failed. */
    static Aggregate aggregate(String metricName, long n, long errors, double latencyMillis) {
        return switch (metricName) {
            case "Invocations" -> new Aggregate(n, n, 1, 1);
            case "Errors" -> new Aggregate(n, errors, errors == n ? 1 : 0, errors > 0 ? 1 : 0);
            case "Duration" -> new Aggregate(n, n * latencyMillis, latencyMillis, latencyMillis);
            default -> throw new IllegalArgumentException("not a metric of a Lambda invocation: " + metricName);
        };
    }

    private static StandardUnit unit(String metricName) {
        return metricName.equals("Duration") ? StandardUnit.MILLISECONDS : StandardUnit.COUNT;
    }

    private static List<List<Dimension>> dimensions(String functionName, String alias, String version) {
        Dimension function = dimension("FunctionName", functionName);
        Dimension resource = dimension("Resource", functionName + ":" + alias);
        Dimension executed = dimension("ExecutedVersion", version);
        return List.of(List.of(function), List.of(function, resource), List.of(function, resource, executed));
    }

    private static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }

    /**
     * One metric of a steady span: at batch {@code n}, one datapoint per version listed (indexes into the span's
     * versions). Merging a range of batches is arithmetic on the span's totals.
     */
    private record SteadyValues(SteadyTraffic span, String metricName, List<Integer> versions)
            implements DatapointValues {

        @Override
        public int perTimestamp() {
            return versions.size();
        }

        @Override
        public Aggregate at(long index, int j) {
            int version = versions.get(j);
            VersionTraffic batch = span.batch(version, index);
            return aggregate(metricName, batch.requests(), batch.errors(), span.latencyMillis(version));
        }

        @Override
        public Aggregate merged(long from, long to) {
            Aggregate merged = null;
            for (int version : versions) {
                Aggregate one = ofVersion(version, from, to);
                merged = merged == null ? one : merged.merge(one);
            }
            return merged;
        }

        @Override
        public List<Aggregate> samples(long from, long to) {
            return switch (metricName) {
                // Every datapoint is the single value 1.
                case "Invocations" -> List.of(merged(from, to));
                // Each version's datapoints are the single value of its latency.
                case "Duration" -> versions.stream().map(version -> ofVersion(version, from, to)).toList();
                default -> DatapointValues.super.samples(from, to);
            };
        }

        @Override
        public Optional<Bounds> bounds(long batches) {
            Bounds bounds = null;
            for (int version : versions) {
                long[] requests = span.requestsIn(version, batches);
                double latency = span.latencyMillis(version);
                Bounds one = switch (metricName) {
                    case "Invocations" -> new Bounds(new Aggregate(requests[0], requests[0], 1, 1),
                            new Aggregate(requests[1], requests[1], 1, 1));
                    case "Errors" -> {
                        long[] errors = span.errorsIn(version, requests[0], requests[1]);
                        int allFail = span.allFail(version);
                        // Minimum: 1 when a batch fails whole; Maximum: 1 when one fails at all.
                        yield new Bounds(new Aggregate(requests[0], errors[0], allFail == 1 ? 1 : 0, errors[0] > 0 ? 1 : 0),
                                new Aggregate(requests[1], errors[1], allFail == 0 ? 0 : 1, errors[1] > 0 ? 1 : 0));
                    }
                    default -> new Bounds(new Aggregate(requests[0], requests[0] * latency, latency, latency),
                            new Aggregate(requests[1], requests[1] * latency, latency, latency));
                };
                bounds = bounds == null ? one : bounds.merge(one);
            }
            return Optional.of(bounds);
        }

        /** A version's datapoints of batches {@code [from, to)} merged: what its totals say. */
        private Aggregate ofVersion(int version, long from, long to) {
            long n = span.servedThrough(version, to - 1) - span.servedThrough(version, from - 1);
            long errors = span.errorsThrough(version, to - 1) - span.errorsThrough(version, from - 1);
            double latency = span.latencyMillis(version);
            return switch (metricName) {
                case "Invocations" -> new Aggregate(n, n, 1, 1);
                // Every batch failed whole only if all of them did; one failed at all if any did.
                case "Errors" -> new Aggregate(n, errors, errors == n ? 1 : 0, errors > 0 ? 1 : 0);
                default -> new Aggregate(n, n * latency, latency, latency);
            };
        }
    }
}
