package dev.rollout.local.aws;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final Map<String, FunctionTraffic> functions = new HashMap<>();

    public LambdaTraffic(Clock clock, InMemoryLambda lambda, InMemoryCloudWatch cloudWatch) {
        this.clock = clock;
        this.lambda = lambda;
        this.metrics = new LambdaMetrics(cloudWatch);
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
     */
    public synchronized InvocationBatch invokeAlias(String functionName, String aliasName, long requests) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests must be zero or more, got " + requests);
        }
        InMemoryLambda.AliasOf found = lambda.aliasOf(functionName, aliasName);
        FunctionTraffic function = of(found.functionName());
        FunctionAlias alias = found.alias();
        Instant now = clock.instant();
        List<VersionTraffic> served = function.serve(alias, requests);
        for (VersionTraffic traffic : served) {
            metrics.aliasInvoked(found.functionName(), alias.name(), traffic,
                    function.behaviour(traffic.version()).latencyMillis(), now);
        }
        return new InvocationBatch(found.functionName(), alias.name(), now, served);
    }

    /** How long {@code version} takes to answer, as its behaviour says. */
    public synchronized double latencyMillis(String functionName, String version) {
        return of(lambda.functionName(functionName)).behaviour(version).latencyMillis();
    }

    /** Requests and errors per version since the function was created, {@code $LATEST} first. */
    public synchronized List<VersionTraffic> trafficTotals(String functionName) {
        return List.copyOf(of(lambda.functionName(functionName)).totals.values());
    }

    private FunctionTraffic of(String functionName) {
        return functions.computeIfAbsent(functionName, name -> new FunctionTraffic());
    }

    /** One function's behaviours and the traffic its versions served. */
    private static final class FunctionTraffic {
        private final Map<String, VersionBehaviour> behaviours = new HashMap<>();
        private final Map<String, VersionTraffic> totals = new TreeMap<>(LambdaFunction.VERSION_ORDER);
        private final DiffusedRounding rounding = new DiffusedRounding();

        /** Serves {@code requests} through the alias and returns what each version did with its share. */
        List<VersionTraffic> serve(FunctionAlias alias, long requests) {
            List<VersionTraffic> served = new ArrayList<>();
            long toAdditional = rounding.share("alias:" + alias.name(), requests, alias.additionalWeight());
            served.add(serveVersion(alias.functionVersion(), requests - toAdditional));
            alias.additionalVersion().ifPresent(v -> served.add(serveVersion(v, toAdditional)));
            return served;
        }

        VersionBehaviour behaviour(String version) {
            return behaviours.getOrDefault(version, VersionBehaviour.HEALTHY);
        }

        private VersionTraffic serveVersion(String version, long requests) {
            long errors = rounding.share("errors:" + version, requests, behaviour(version).errorRate());
            totals.merge(version, new VersionTraffic(version, requests, errors),
                    (total, more) -> total.plus(more.requests(), more.errors()));
            return new VersionTraffic(version, requests, errors);
        }
    }
}
