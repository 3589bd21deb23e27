package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CheckCountsTest {
    private static final VersionMetrics OLD = new VersionMetrics("1", 1000, 0, 0, Optional.of(80.0));

    private static MetricVerdict verdict(long invocations, long errors) {
        return MetricRules.DEFAULTS.judge(new VersionMetrics("2", invocations, errors, 0, Optional.of(80.0)), OLD);
    }

    @Test
    void failedAndInconclusiveWindowsAreCountedApartAndPassedOnesNotAtAll() {
        CheckCounts counts = CheckCounts.NONE.after(verdict(10, 0)).after(verdict(500, 100)).after(verdict(500, 0));
        assertEquals(new CheckCounts(1, 1), counts);
        assertEquals("1 failed window of 0 tolerated, 1 inconclusive", counts.describe(MetricRules.DEFAULTS));
    }
}
