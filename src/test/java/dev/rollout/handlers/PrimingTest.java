package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import dev.rollout.domain.MetricRules;
import dev.rollout.domain.OnTimeout;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Step;
import org.junit.jupiter.api.Test;

class PrimingTest {

    @Test
    void primingBeforeASnapshotRoundTripsTheRolloutDocumentEveryKindOfStepUnchanged() {
        assertEquals(new PreparedRollout(new dev.rollout.domain.Target.LambdaAlias("orders", "live"), "1", "2", "Canary10Percent5Minutes",
                        List.of(new Step.Shift(10), new Step.Bake(300), new Step.Approval(3600, OnTimeout.ROLLBACK)),
                        List.of("orders-errors"), "", "2026-01-05T09:00:00Z", 300, MetricRules.DEFAULTS),
                Priming.prime());
    }
}
