package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The closed form of a steady span gives what carrying the rounding from batch to batch gives. */
class SteadyTrafficTest {

    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final int BATCHES = 3_000;

    static Stream<Arguments> spans() {
        return Stream.of(
                Arguments.of("a tenth of 1,200 requests goes to the new version in every batch", 1_200, 0.1, 0.001, 0.001),
                Arguments.of("five percent of ten requests alternates between one and none", 10, 0.05, 0.0, 0.5),
                Arguments.of("half of three requests rounds half up, then carries the half back", 3, 0.5, 0.5, 0.5),
                Arguments.of("a third of 7 requests with errors at 0.3 keeps its carried rounding exact", 7, 1.0 / 3, 0.3, 0.3),
                Arguments.of("an alias without an additional version sends every request to its own", 600, 0.0, 0.25, 0.0),
                Arguments.of("every request failing fails them all", 40, 0.25, 1.0, 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spans")
    void eachBatchOfASpanIsWhatCarryingTheRoundingBatchByBatchGives(String name, long requests, double weight,
                                                                     double primaryErrors, double additionalErrors) {
        SteadyTraffic span = span(requests, weight, primaryErrors, additionalErrors);
        List<VersionTraffic[]> expected = batchByBatch(requests, weight, primaryErrors, additionalErrors);
        for (int n = 1; n <= BATCHES; n++) {
            if (n > 1) {
                span.extend(START.plus(Duration.ofMinutes(n - 1)));
            }
            for (int version = 0; version < span.versions().size(); version++) {
                assertEquals(expected.get(n - 1)[version], span.batch(version, n), "batch " + n);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spans")
    void theBoundsOfAnyRunOfBatchesHoldEveryBatchThere(String name, long requests, double weight,
                                                       double primaryErrors, double additionalErrors) {
        SteadyTraffic span = span(requests, weight, primaryErrors, additionalErrors);
        for (int n = 2; n <= BATCHES; n++) {
            span.extend(START.plus(Duration.ofMinutes(n - 1)));
        }
        for (int version = 0; version < span.versions().size(); version++) {
            for (int length = 1; length <= 7; length++) {
                long[] requestBounds = span.requestsIn(version, length);
                long[] errorBounds = span.errorsIn(version, requestBounds[0], requestBounds[1]);
                for (int from = 0; from + length <= BATCHES; from++) {
                    long served = span.servedThrough(version, from + length) - span.servedThrough(version, from);
                    long errors = span.errorsThrough(version, from + length) - span.errorsThrough(version, from);
                    assertEquals(true, served >= requestBounds[0] && served <= requestBounds[1], "requests " + served);
                    assertEquals(true, errors >= errorBounds[0] && errors <= errorBounds[1], "errors " + errors);
                }
            }
        }
    }

    private static SteadyTraffic span(long requests, double weight, double primaryErrors, double additionalErrors) {
        FunctionAlias alias = new FunctionAlias("live", "1", "", weight > 0 ? Map.of("2", weight) : Map.of(), "r1");
        return new SteadyTraffic(alias, requests, Map.of("1", new VersionBehaviour(primaryErrors, 80),
                "2", new VersionBehaviour(additionalErrors, 70)), BigDecimal.ZERO, Map.of(), START);
    }

    /** The rule written the plain way: each batch rounds its exact share plus the carry, half up, and carries the rest. */
    private static List<VersionTraffic[]> batchByBatch(long requests, double weight, double primaryErrors,
                                                       double additionalErrors) {
        BigDecimal aliasCarry = BigDecimal.ZERO;
        BigDecimal[] errorCarry = {BigDecimal.ZERO, BigDecimal.ZERO};
        double[] rates = {primaryErrors, additionalErrors};
        List<VersionTraffic[]> batches = new ArrayList<>();
        for (int n = 0; n < BATCHES; n++) {
            BigDecimal exact = BigDecimal.valueOf(requests).multiply(BigDecimal.valueOf(weight)).add(aliasCarry);
            long additional = halfUp(exact);
            aliasCarry = exact.subtract(BigDecimal.valueOf(additional));
            long[] served = {requests - additional, additional};
            VersionTraffic[] batch = new VersionTraffic[weight > 0 ? 2 : 1];
            for (int version = 0; version < batch.length; version++) {
                BigDecimal exactErrors = BigDecimal.valueOf(served[version]).multiply(BigDecimal.valueOf(rates[version]))
                        .add(errorCarry[version]);
                long errors = halfUp(exactErrors);
                errorCarry[version] = exactErrors.subtract(BigDecimal.valueOf(errors));
                batch[version] = new VersionTraffic(String.valueOf(version + 1), served[version], errors);
            }
            batches.add(batch);
        }
        return batches;
    }

    /** Half up, as Math.round rounds: floor(x + 0.5). */
    private static long halfUp(BigDecimal exact) {
        return exact.add(new BigDecimal("0.5")).setScale(0, RoundingMode.FLOOR).longValueExact();
    }
}
