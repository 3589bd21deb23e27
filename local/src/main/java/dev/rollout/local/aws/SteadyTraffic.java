package dev.rollout.local.aws;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * One alias's traffic while nothing about it changes: the same number of requests in every batch, batches at a steady
 * interval, split by the same routing between versions that behave the same. Each batch's split between the versions
 * and each version's errors are rounded half up, with the rounding error carried into the next batch so that the
 * totals track the exact shares. Since every batch adds the same exact share, what the first {@code n} batches add up
 * to has a closed form, {@code round(carry + n × share)}, and batch {@code n}'s numbers follow from it without the
 * batches before it: a year of batches costs what one does, and their metrics can be stored as one run
 * ({@link #metrics}).
 *
 * <p>Shares are exact decimal arithmetic on the numbers as written (a weight of 0.1 is one tenth), so the numbers
 * are the same however the batches are grouped into spans.
 */
final class SteadyTraffic {
    private static final BigDecimal HALF = new BigDecimal("0.5");

    /** A version the alias sends requests to: how it behaves, and its errors' rounding, carried in from before. */
    private record Served(String version, VersionBehaviour behaviour, Shares errors) {
    }

    /**
     * {@code carry + perUnit × units} rounded half up, for any number of units: the whole shares of that many units,
     * with the rounding error carried in. Computed in longs at the numbers' common decimal scale while they fit, which
     * is what a simulation's weights, rates and request counts give; in {@link BigDecimal} otherwise.
     */
    static final class Shares {
        private final BigDecimal carry;
        private final BigDecimal perUnit;
        private final boolean inLongs;
        private final long scaledCarry;
        private final long scaledPerUnit;
        /** Twice ten to the common scale. */
        private final long twiceUnit;

        Shares(BigDecimal carry, BigDecimal perUnit) {
            this.carry = carry;
            this.perUnit = perUnit;
            int scale = Math.max(0, Math.max(carry.scale(), perUnit.scale()));
            long c = 0;
            long a = 0;
            boolean fits = scale <= 17;
            if (fits) {
                try {
                    c = carry.setScale(scale).unscaledValue().longValueExact();
                    a = perUnit.setScale(scale).unscaledValue().longValueExact();
                } catch (ArithmeticException tooLarge) {
                    fits = false;
                }
            }
            this.inLongs = fits;
            this.scaledCarry = c;
            this.scaledPerUnit = a;
            this.twiceUnit = fits ? 2 * BigDecimal.ONE.movePointRight(scale).longValueExact() : 0;
        }

        long rounded(long units) {
            if (inLongs) {
                try {
                    long exact = Math.addExact(scaledCarry, Math.multiplyExact(scaledPerUnit, units));
                    return Math.floorDiv(Math.addExact(Math.multiplyExact(2, exact), twiceUnit / 2), twiceUnit);
                } catch (ArithmeticException tooLarge) {
                    // the exact value below
                }
            }
            return SteadyTraffic.rounded(exact(units));
        }

        /** What is left to carry after {@code units}: the exact shares less the whole ones. */
        BigDecimal carryAfter(long units) {
            return exact(units).subtract(BigDecimal.valueOf(rounded(units)));
        }

        private BigDecimal exact(long units) {
            return carry.add(perUnit.multiply(BigDecimal.valueOf(units)));
        }
    }

    private final String alias;
    private final long requests;
    private final double weight;
    /** Each batch's exact share of the additional version: requests × weight. */
    private final BigDecimal additionalShare;
    /** The additional version's requests, per batch. */
    private final Shares additional;
    /** The primary version first, then the additional one, if any. */
    private final List<Served> served;
    private final Instant first;
    private Duration step = Duration.ZERO;
    private long batches = 1;
    private List<Published> metrics;

    /**
     * The first batch of a span, at {@code at}.
     *
     * @param aliasCarry  the split's rounding error carried in, in {@code [-0.5, 0.5)}
     * @param errorCarry  each version's errors' rounding error carried in
     */
    SteadyTraffic(FunctionAlias alias, long requests, Map<String, VersionBehaviour> behaviours, BigDecimal aliasCarry,
                  Map<String, BigDecimal> errorCarry, Instant at) {
        this.alias = alias.name();
        this.requests = requests;
        this.weight = alias.additionalVersion().isPresent() ? alias.additionalWeight() : 0;
        this.additionalShare = BigDecimal.valueOf(requests).multiply(BigDecimal.valueOf(weight));
        this.additional = new Shares(aliasCarry, additionalShare);
        List<Served> versions = new ArrayList<>();
        versions.add(served(alias.functionVersion(), behaviours, errorCarry));
        alias.additionalVersion().ifPresent(v -> versions.add(served(v, behaviours, errorCarry)));
        this.served = List.copyOf(versions);
        this.first = at;
    }

    private static Served served(String version, Map<String, VersionBehaviour> behaviours,
                                 Map<String, BigDecimal> errorCarry) {
        VersionBehaviour behaviour = behaviours.getOrDefault(version, VersionBehaviour.HEALTHY);
        return new Served(version, behaviour, new Shares(errorCarry.getOrDefault(version, BigDecimal.ZERO),
                BigDecimal.valueOf(behaviour.errorRate())));
    }

    /** Whether {@code requests} to {@code alias} at {@code at} are this span's next batch. */
    boolean continuedBy(FunctionAlias next, long nextRequests, Map<String, VersionBehaviour> behaviours, Instant at) {
        if (!next.name().equals(alias) || nextRequests != requests
                || !next.functionVersion().equals(served.get(0).version())
                || !next.additionalVersion().equals(served.size() > 1
                        ? Optional.of(served.get(1).version()) : Optional.empty())
                || (served.size() > 1 && next.additionalWeight() != weight)) {
            return false;
        }
        for (Served version : served) {
            if (!behaviours.getOrDefault(version.version(), VersionBehaviour.HEALTHY).equals(version.behaviour())) {
                return false;
            }
        }
        return batches == 1 ? at.isAfter(first) : at.equals(first.plus(step.multipliedBy(batches)));
    }

    /** Adds the next batch, at {@code at}. */
    void extend(Instant at) {
        if (batches == 1) {
            step = Duration.between(first, at);
        }
        batches++;
    }

    long batches() {
        return batches;
    }

    Duration step() {
        return step;
    }

    String alias() {
        return alias;
    }

    /** The versions served, the primary first. */
    List<String> versions() {
        return served.stream().map(Served::version).toList();
    }

    double latencyMillis(int version) {
        return served.get(version).behaviour().latencyMillis();
    }

    /** What version {@code version} (0: primary, 1: additional) did in batch {@code n} (from 1). */
    VersionTraffic batch(int version, long n) {
        return new VersionTraffic(served.get(version).version(), servedThrough(version, n)
                - servedThrough(version, n - 1), errorsThrough(version, n) - errorsThrough(version, n - 1));
    }

    /** Requests version {@code version} served in batches {@code 1..n}. */
    long servedThrough(int version, long n) {
        long additional = additionalThrough(n);
        return version == 0 ? n * requests - additional : additional;
    }

    /** Errors of version {@code version} in batches {@code 1..n}. */
    long errorsThrough(int version, long n) {
        return n == 0 ? 0 : served.get(version).errors().rounded(servedThrough(version, n));
    }

    /**
     * The fewest and most requests version {@code version} serves in any {@code n} consecutive batches: the whole
     * shares of n batches' exact share, rounded down or up whatever the carry.
     */
    long[] requestsIn(int version, long n) {
        BigDecimal exact = additionalShare.multiply(BigDecimal.valueOf(n));
        long fewest = exact.setScale(0, RoundingMode.FLOOR).longValueExact();
        long most = exact.setScale(0, RoundingMode.CEILING).longValueExact();
        return version == 0 ? new long[] {n * requests - most, n * requests - fewest} : new long[] {fewest, most};
    }

    /** The fewest and most errors of version {@code version} among {@code fewest} to {@code most} of its requests. */
    long[] errorsIn(int version, long fewest, long most) {
        BigDecimal rate = served.get(version).errors().perUnit;
        return new long[] {rate.multiply(BigDecimal.valueOf(fewest)).setScale(0, RoundingMode.FLOOR).longValueExact(),
                rate.multiply(BigDecimal.valueOf(most)).setScale(0, RoundingMode.CEILING).longValueExact()};
    }

    /** Whether every request of version {@code version} fails: 1, 0, or in between (-1). */
    int allFail(int version) {
        BigDecimal rate = served.get(version).errors().perUnit;
        return rate.compareTo(BigDecimal.ONE) == 0 ? 1 : rate.signum() == 0 ? 0 : -1;
    }

    /**
     * Adds {@code n} more batches at the steady interval at once (nothing about them differs from the last), and
     * returns the time of the last.
     */
    Instant extendBy(long n) {
        if (batches < 2 || n < 1) {
            throw new IllegalStateException("a span extends by whole batches once its interval is known");
        }
        batches += n;
        return first.plus(step.multipliedBy(batches - 1));
    }

    /** What every batch so far left to carry into the next span: the split's rounding error. */
    BigDecimal aliasCarryAfter() {
        return additional.carryAfter(batches);
    }

    /** The errors' rounding error version {@code version} carries into the next span. */
    BigDecimal errorCarryAfter(int version) {
        return served.get(version).errors().carryAfter(servedThrough(version, batches));
    }

    /**
     * Whether every batch gives every version at least one request, whatever the carry: only then does each version
     * publish a datapoint in every batch (Lambda publishes none for a version without requests), evenly spaced.
     */
    boolean everyBatchServesEveryVersion() {
        if (served.size() == 1) {
            return requests >= 1;
        }
        long fewest = additionalShare.setScale(0, RoundingMode.FLOOR).longValueExact();
        long most = additionalShare.setScale(0, RoundingMode.CEILING).longValueExact();
        return fewest >= 1 && requests - most >= 1;
    }

    /**
     * Whether every batch serves and fails the same numbers: each batch's exact share of each version, and of its
     * errors, is whole, so carried rounding adds nothing.
     */
    boolean everyBatchAlike() {
        if (!whole(additionalShare)) {
            return false;
        }
        for (int version = 0; version < served.size(); version++) {
            if (!whole(served.get(version).errors().perUnit.multiply(BigDecimal.valueOf(servedThrough(version, 1)
                    - servedThrough(version, 0))))) {
                return false;
            }
        }
        return true;
    }

    private static boolean whole(BigDecimal exact) {
        return exact.signum() == 0 || exact.stripTrailingZeros().scale() <= 0;
    }

    /** The metrics Lambda publishes for this span's batches, with their values by batch; built once per span. */
    List<Published> metrics(String functionName) {
        if (metrics == null) {
            metrics = LambdaMetrics.steady(functionName, this);
        }
        return metrics;
    }

    /** One metric of the span and its datapoints' values. */
    record Published(MetricId metric, DatapointValues values, StandardUnit unit) {
    }

    private long additionalThrough(long n) {
        return n == 0 ? 0 : additional.rounded(n);
    }

    /** Half up, as {@link Math#round(double)} rounds. */
    private static long rounded(BigDecimal exact) {
        return exact.add(HALF).setScale(0, RoundingMode.FLOOR).longValueExact();
    }
}
