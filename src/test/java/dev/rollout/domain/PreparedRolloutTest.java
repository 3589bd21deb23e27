package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prepared rollout the state machine carries: it names its target by kind. */
class PreparedRolloutTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void aLambdaAliasTargetIsWrittenWithItsKind() {
        PreparedRollout rollout = new PreparedRollout(new Target.LambdaAlias("orders", "live"), "1", "2",
                "AllAtOnce", List.of(), List.of("orders-errors"), "", "2026-01-05T09:00:00Z");
        JsonNode json = MAPPER.valueToTree(rollout);
        assertEquals("{\"type\":\"LambdaAlias\",\"functionName\":\"orders\",\"alias\":\"live\"}",
                json.get("target").toString());
        assertEquals(rollout, MAPPER.convertValue(json, PreparedRollout.class));
    }

    @Test
    void aRolloutPreparedBeforeTargetsHadKindsIsReadAsALambdaAlias() throws Exception {
        PreparedRollout read = MAPPER.readValue("""
                {"functionName": "orders", "alias": "live", "fromVersion": "1", "toVersion": "2",
                 "strategy": "AllAtOnce", "steps": [], "alarms": [], "comment": "",
                 "preparedAt": "2026-01-05T09:00:00Z"}""", PreparedRollout.class);
        assertEquals(new Target.LambdaAlias("orders", "live"), read.target());
        assertEquals("orders:live from version 1 to 2", read.describe());
    }

    @Test
    void theFirstShiftOfAPlanStartsFromTheStartAndEveryLaterOneFromAShare() {
        PreparedRollout rollout = new PreparedRollout(new Target.LambdaAlias("orders", "live"), "1", "2", "Steps",
                List.of(new Step.Approval(60, OnTimeout.PROMOTE), new Step.Shift(10), new Step.Bake(60),
                        new Step.Shift(50)), List.of(), "", "2026-01-05T09:00:00Z");
        assertEquals(Routing.Position.AT_START, rollout.positionBeforeShiftTo(Weight.percent(10)));
        assertEquals(Routing.Position.SHIFTING, rollout.positionBeforeShiftTo(Weight.percent(50)));
    }
}
