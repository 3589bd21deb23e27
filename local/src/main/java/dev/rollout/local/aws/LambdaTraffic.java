package dev.rollout.local.aws;

import java.time.Clock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Simulated traffic through the aliases of an {@link InMemoryLambda}: {@link #invokeAlias} splits requests between
 * an alias's versions by its routing weights, applies each version's {@link VersionBehaviour} and publishes the
 * resulting {@code AWS/Lambda} metrics to CloudWatch. The Lambda fake only stores functions; how their code behaves
 * and who calls it lives here.
 */
public final class LambdaTraffic {
    private final Clock clock;
    private final InMemoryLambda lambda;
    private final LambdaMetrics metrics;
    private final InMemoryCloudWatch cloudWatch;
    private final Map<String, FunctionTraffic> functions = new HashMap<>();

    public LambdaTraffic(Clock clock, InMemoryLambda lambda, InMemoryCloudWatch cloudWatch) {
        this.clock = clock;
        this.lambda = lambda;
        this.metrics = new LambdaMetrics(cloudWatch);
        this.cloudWatch = cloudWatch;
    }

    /** From now on, invocations of {@code version} fail and take as long as {@code behaviour} says. */
    public synchronized void setVersionBehaviour(String functionName, String version, VersionBehaviour behaviour) {
        String name = lambda.requireVersion(functionName, version);
        of(name).behaviours.put(version, behaviour);
    }

    /**
     * Sends {@code requests} invocations to the alias at the clock's current time. They are split between the
     * primary and the additional version by the routing weight, and each version's errors by its error rate, with
     * rounding errors carried from one call to the next: the numbers are reproducible and track the exact shares.
     * Calls that repeat the last one at a steady interval, with nothing changed, continue its {@link SteadyTraffic}
     * span: their metrics extend the span's runs instead of adding datapoints.
     */
    public synchronized InvocationBatch invokeAlias(String functionName, String aliasName, long requests) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be zero or more, got " + requests);
        }
        InMemoryLambda.AliasOf found = lambda.aliasOf(functionName, aliasName);
        FunctionTraffic function = of(found.functionName());
        FunctionAlias alias = found.alias();
        Instant now = clock.instant();
        SteadyTraffic span = function.serve(alias, requests, now);
        List<VersionTraffic> served = new ArrayList<>();
        for (int version = 0; version < span.versions().size(); version++) {
            served.add(span.batch(version, span.batches()));
        }
        if (span.everyBatchServesEveryVersion()) {
            metrics.steadyBatch(found.functionName(), span, now);
        } else {
            for (int version = 0; version < served.size(); version++) {
                metrics.aliasInvoked(found.functionName(), alias.name(), served.get(version),
                        span.latencyMillis(version), now);
            }
        }
        return new InvocationBatch(found.functionName(), alias.name(), now, served);
    }

    /**
     * Sends the alias {@code batches} more batches of {@code requests}, one every {@code interval} from now on, at
     * once, when they would be the open steady span's next batches and no alarm could change state meanwhile (the
     * caller has nothing else happen until the last): what calling {@link #invokeAlias} at each of those times and
     * evaluating the alarms after each would do. Returns the time of the last batch, or empty when they must be sent
     * one at a time.
     */
    public synchronized Optional<Instant> continueSteadily(String functionName, String aliasName, long requests,
                                                           Duration interval, long batches) {
        return continueSteadily(functionName, List.of(aliasName), requests, interval, batches);
    }

    /**
     * As {@link #continueSteadily(String, String, long, Duration, long)}, for each of several aliases of the function
     * getting {@code requests} every {@code interval} (the environments of a chain): all at once, or none.
     */
    public synchronized Optional<Instant> continueSteadily(String functionName, List<String> aliasNames,
                                                           long requests, Duration interval, long batches) {
        if (batches < 1) {
            return Optional.empty();
        }
        List<SteadyContinuation> aliases = new ArrayList<>();
        Map<MetricId, DatapointValues> continuing = new HashMap<>();
        for (String aliasName : aliasNames) {
            Optional<SteadyContinuation> next = steadyContinuation(functionName, aliasName, requests, interval);
            if (next.isEmpty()) {
                return Optional.empty();
            }
            // Aliases serving one version publish under the same metrics as two runs: an alarm on such a metric is
            // never judged settled (MetricStore reads no single recent run), so the values of either do for it.
            continuing.putAll(next.get().continuing());
            aliases.add(next.get());
        }
        if (!cloudWatch.alarmsSettled(continuing)) {
            return Optional.empty();
        }
        Instant last = null;
        for (SteadyContinuation alias : aliases) {
            last = alias.send(batches);
        }
        return Optional.ofNullable(last);
    }

    /**
     * The alias's next batches of {@code requests}, one every {@code interval} from now on, when they continue its
     * open steady span (its last batch was sent now): the metrics they continue, to check alarms on, and a way to
     * send them at once. Empty when they must be sent one at a time.
     */
    synchronized Optional<SteadyContinuation> steadyContinuation(String functionName, String aliasName, long requests,
                                                                 Duration interval) {
        InMemoryLambda.AliasOf found = lambda.aliasOf(functionName, aliasName);
        FunctionTraffic function = of(found.functionName());
        SteadyTraffic span = function.open.get(found.alias().name());
        Instant now = clock.instant();
        if (span == null || span.batches() < 2 || !span.step().equals(interval)
                || !span.everyBatchServesEveryVersion()
                || !span.continuedBy(found.alias(), requests, function.behaviours, now.plus(interval))) {
            return Optional.empty();
        }
        return Optional.of(new SteadyContinuation(found.functionName(), span));
    }

    /** Where the alias's metrics go. */
    InMemoryCloudWatch cloudWatch() {
        return cloudWatch;
    }

    /** An open steady span's next batches, sent at once by {@link #send}. */
    final class SteadyContinuation {
        private final String functionName;
        private final SteadyTraffic span;

        private SteadyContinuation(String functionName, SteadyTraffic span) {
            this.functionName = functionName;
            this.span = span;
        }

        /** The metrics the batches continue, with their values. */
        Map<MetricId, DatapointValues> continuing() {
            Map<MetricId, DatapointValues> continuing = new HashMap<>();
            span.metrics(functionName).forEach(p -> continuing.put(p.metric(), p.values()));
            return continuing;
        }

        /** Whether every batch serves and fails the same numbers of requests. */
        boolean everyBatchAlike() {
            return span.everyBatchAlike();
        }

        /** Sends {@code batches} more batches at the span's interval at once; returns the time of the last. */
        Instant send(long batches) {
            synchronized (LambdaTraffic.this) {
                Instant last = span.extendBy(batches);
                metrics.steadyBatches(functionName, span, last);
                return last;
            }
        }
    }

    /** How long {@code version} takes to answer, as its behaviour says. */
    public synchronized double latencyMillis(String functionName, String version) {
        return of(lambda.functionName(functionName)).behaviour(version).latencyMillis();
    }

    /** Requests and errors per version since the function was created, {@code $LATEST} first. */
    public synchronized List<VersionTraffic> trafficTotals(String functionName) {
        return of(lambda.functionName(functionName)).totals();
    }

    private FunctionTraffic of(String functionName) {
        return functions.computeIfAbsent(functionName, name -> new FunctionTraffic());
    }

    /**
     * One function's behaviours and the traffic its versions served: the spans already closed, in totals and the
     * rounding errors they carried on, and the open ones.
     */
    private static final class FunctionTraffic {
        private final Map<String, VersionBehaviour> behaviours = new HashMap<>();
        private final Map<String, VersionTraffic> closed = new TreeMap<>(LambdaFunction.VERSION_ORDER);
        private final Map<String, BigDecimal> aliasCarry = new HashMap<>();
        private final Map<String, BigDecimal> errorCarry = new HashMap<>();
        /** The open span of each alias that has one; no two of them serve the same version. */
        private final Map<String, SteadyTraffic> open = new LinkedHashMap<>();

        /** Serves {@code requests} through the alias: its open span's next batch, or the first of a new one. */
        SteadyTraffic serve(FunctionAlias alias, long requests, Instant now) {
            SteadyTraffic span = open.get(alias.name());
            if (span != null && span.continuedBy(alias, requests, behaviours, now)) {
                span.extend(now);
                return span;
            }
            close(span);
            // A version's errors carry their rounding from batch to batch whichever alias sends them: a span of
            // another alias that serves one of these versions ends first, and hands its carry on.
            List<String> versions = new ArrayList<>();
            versions.add(alias.functionVersion());
            alias.additionalVersion().ifPresent(versions::add);
            for (SteadyTraffic other : List.copyOf(open.values())) {
                if (!Collections.disjoint(other.versions(), versions)) {
                    close(other);
                }
            }
            SteadyTraffic started = new SteadyTraffic(alias, requests, behaviours,
                    aliasCarry.getOrDefault(alias.name(), BigDecimal.ZERO), errorCarry, now);
            open.put(alias.name(), started);
            return started;
        }

        VersionBehaviour behaviour(String version) {
            return behaviours.getOrDefault(version, VersionBehaviour.HEALTHY);
        }

        /** Requests and errors per version since the function was created, {@code $LATEST} first. */
        List<VersionTraffic> totals() {
            Map<String, VersionTraffic> totals = new TreeMap<>(closed);
            open.values().forEach(span -> addUp(totals, span));
            return List.copyOf(totals.values());
        }

        /** Ends an open span: its totals and carried rounding errors stay for the next one. */
        private void close(SteadyTraffic span) {
            if (span == null) {
                return;
            }
            addUp(closed, span);
            aliasCarry.put(span.alias(), span.aliasCarryAfter());
            for (int version = 0; version < span.versions().size(); version++) {
                errorCarry.put(span.versions().get(version), span.errorCarryAfter(version));
            }
            open.remove(span.alias());
        }

        private static void addUp(Map<String, VersionTraffic> totals, SteadyTraffic span) {
            for (int version = 0; version < span.versions().size(); version++) {
                VersionTraffic served = new VersionTraffic(span.versions().get(version),
                        span.servedThrough(version, span.batches()), span.errorsThrough(version, span.batches()));
                totals.merge(served.version(), served, (total, more) -> total.plus(more.requests(), more.errors()));
            }
        }
    }
}
