package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MetricRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final VersionMetrics BASELINE = new VersionMetrics("1", 5000, 5, 0, Optional.of(80.0));

    private static VersionMetrics candidate(long invocations, long errors, long throttles, Double p99) {
        return new VersionMetrics("2", invocations, errors, throttles, Optional.ofNullable(p99));
    }

    static Stream<Arguments> verdicts() {
        return Stream.of(
                Arguments.of("a healthy new version passes", candidate(600, 1, 0, 75.0), "PASSED"),
                Arguments.of("too few invocations are inconclusive, however bad they look",
                        candidate(40, 40, 0, 900.0), "INCONCLUSIVE"),
                Arguments.of("no invocations at all are inconclusive", candidate(0, 0, 0, null), "INCONCLUSIVE"),
                Arguments.of("an error rate above the ceiling fails", candidate(600, 60, 0, 75.0), "FAILED"),
                Arguments.of("an error rate more than two points above the old version's fails",
                        candidate(1000, 25, 0, 75.0), "FAILED"),
                Arguments.of("an error rate two points above the old version's passes",
                        candidate(1000, 21, 0, 75.0), "PASSED"),
                Arguments.of("throttling more than one request in a hundred fails", candidate(600, 0, 10, 75.0), "FAILED"),
                Arguments.of("a p99 more than twice the old version's fails", candidate(600, 0, 0, 170.0), "FAILED"),
                Arguments.of("a p99 twice the old version's passes", candidate(600, 0, 0, 160.0), "PASSED"),
                Arguments.of("without a p99 on either side latency is not judged", candidate(600, 0, 0, null), "PASSED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("verdicts")
    void theDefaultsJudgeTheNewVersionAgainstTheOld(String sentence, VersionMetrics candidate, String outcome) {
        assertEquals(outcome, MetricRules.DEFAULTS.judge(candidate, BASELINE).outcome().name());
    }

    @Test
    void aVerdictShowsTheNumbersItUsed() {
        MetricVerdict verdict = MetricRules.DEFAULTS.judge(candidate(600, 60, 0, 75.0), BASELINE);
        assertEquals("metrics failed (error rate 10% is above the 5% ceiling): v2 600 req, 10.0% errors, 0 throttled,"
                + " p99 75 ms vs v1 5000 req, 0.1% errors, 0 throttled, p99 80 ms", verdict.summary());
        assertEquals("metrics inconclusive (40 invocations of v2, fewer than the 100 needed to judge): v2 40 req, 0.0%"
                + " errors, 0 throttled, p99 none vs v1 5000 req, 0.1% errors, 0 throttled, p99 80 ms",
                MetricRules.DEFAULTS.judge(candidate(40, 0, 0, null), BASELINE).summary());
    }

    @Test
    void aRolloutSetsItsOwnRulesAndTheRestKeepTheirDefaults() throws Exception {
        Problems problems = new Problems();
        MetricRules rules = MetricRules.parse(JSON.readTree("{\"minInvocations\": 20, \"maxErrorRate\": 1}"),
                "metrics", problems);
        assertTrue(problems.isEmpty(), problems.list()::toString);
        assertEquals(new MetricRules(true, 20, 1, 2, 2, 1, 0), rules);
        assertEquals("FAILED", rules.judge(candidate(40, 1, 0, 75.0), BASELINE).outcome().name());
    }

    @Test
    void badRulesAreNamedField() throws Exception {
        Problems problems = new Problems();
        MetricRules.parse(JSON.readTree("{\"maxErrorRate\": 120, \"maxLatencyRatio\": \"fast\", \"minInvocations\": 0,"
                + " \"enabled\": \"yes\", \"p95\": 1}"), "metrics", problems);
        String listed = problems.list().toString();
        for (String field : new String[] {"metrics.maxErrorRate", "metrics.maxLatencyRatio", "metrics.minInvocations",
                "metrics.enabled", "metrics.p95"}) {
            assertTrue(listed.contains(field), field + " in " + listed);
        }
    }
}
