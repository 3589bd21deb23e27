package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A stage canary's own metrics against its stage's, by the rollout's metric rules. */
class StageMetricRulesTest {
    private static final StageMetrics STAGE = new StageMetrics("stage prod", "prod", 3000, 3, 60, Optional.of(80.0));

    private static StageMetrics canary(long requests, long serverErrors, long clientErrors, Double p99) {
        return new StageMetrics("canary (deployment d2)", "prod/Canary", requests, serverErrors, clientErrors,
                Optional.ofNullable(p99));
    }

    static Stream<Arguments> verdicts() {
        return Stream.of(
                Arguments.of("a canary like its stage passes", canary(300, 0, 6, 75.0), "PASSED"),
                Arguments.of("fewer requests than the minimum are inconclusive, however bad they look",
                        canary(60, 60, 0, 900.0), "INCONCLUSIVE"),
                Arguments.of("a canary without requests is inconclusive", canary(0, 0, 0, null), "INCONCLUSIVE"),
                Arguments.of("a 5XX rate above the ceiling fails", canary(300, 18, 6, 75.0), "FAILED"),
                Arguments.of("a 5XX rate more than two points above the stage's fails", canary(300, 12, 6, 75.0),
                        "FAILED"),
                Arguments.of("a 5XX rate two points above the stage's passes", canary(300, 6, 6, 75.0), "PASSED"),
                Arguments.of("a 4XX rate more than two points above the stage's fails", canary(300, 0, 20, 75.0),
                        "FAILED"),
                Arguments.of("a 4XX rate like the stage's passes, however high", canary(300, 0, 9, 75.0), "PASSED"),
                Arguments.of("a p99 latency more than twice the stage's fails", canary(300, 0, 6, 170.0), "FAILED"),
                Arguments.of("without a p99 on either side latency is not judged", canary(300, 0, 6, null), "PASSED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verdicts")
    void theDefaultsJudgeTheCanaryAgainstItsStage(String sentence, StageMetrics canary, String outcome) {
        assertEquals(outcome, MetricRules.DEFAULTS.judge(canary, STAGE).outcome().name());
    }

    static Stream<Arguments> promotedVerdicts() {
        return Stream.of(
                Arguments.of("a usual share of 4XX passes", canary(300, 0, 30, 75.0), "PASSED"),
                Arguments.of("a 5XX rate above the ceiling still fails", canary(300, 18, 0, 75.0), "FAILED"),
                Arguments.of("a 5XX rate under the ceiling passes", canary(300, 12, 0, 75.0), "PASSED"));
    }

    @ParameterizedTest(name = "a stage that served nothing to compare with: {0}")
    @MethodSource("promotedVerdicts")
    void aStageThatServedNothingLeavesTheCeilingAloneToJudge(String sentence, StageMetrics promoted, String outcome) {
        assertEquals(outcome, MetricRules.DEFAULTS.judge(promoted, StageMetrics.none("no canary", "prod/Canary"))
                .outcome().name());
    }

    @Test
    void aFailedVerdictNamesTheMetricAndBothFigures() {
        assertEquals("metrics failed (the canary (deployment d2)'s 5XXError rate 4% exceeds stage prod's 0.1% by more"
                + " than 2 points): canary (deployment d2) 300 req, 4.0% 5XX, 2.0% 4XX, p99 75 ms vs stage prod 3000"
                + " req, 0.1% 5XX, 2.0% 4XX, p99 80 ms",
                MetricRules.DEFAULTS.judge(canary(300, 12, 6, 75.0), STAGE).summary());
        assertEquals("metrics inconclusive (0 requests to the canary (deployment d2), fewer than the 100 needed to"
                + " judge): canary (deployment d2) 0 req, 0.0% 5XX, 0.0% 4XX, p99 none vs stage prod 3000 req, 0.1%"
                + " 5XX, 2.0% 4XX, p99 80 ms", MetricRules.DEFAULTS.judge(canary(0, 0, 0, null), STAGE).summary());
    }

    static Stream<Arguments> apiNames() {
        return Stream.of(
                Arguments.of("an ASCII name is the dimension as it is", "orders-api", "orders-api"),
                Arguments.of("characters that are not ASCII are removed", "commandes-é-api", "commandes--api"),
                Arguments.of("a name with nothing ASCII leaves the API's id", "注文", "a1b2c3d4e5"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("apiNames")
    void theApiNameDimensionIsTheNameApiGatewayPublishes(String sentence, String name, String dimension) {
        assertEquals(dimension, StageMetrics.apiNameDimension(name, "a1b2c3d4e5"));
    }
}
