package rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.AlarmTriggered;
import Rollout.Conflict;
import Rollout.InvalidInput;
import Rollout.Transient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;
import rollout.domain.AliasRouting;
import rollout.local.aws.LambdaErrors;

class PrepareTest {
    private final World world = new World();
    private final Prepare prepare = new Prepare(world.lambda, world.cloudWatch, world.clock);

    @Test
    void recordsTheStartingVersionAndRevisionWithoutMovingTraffic() {
        AliasRouting before = world.alias();
        JsonNode output = prepare.handle(World.request("Linear10PercentEvery1Minute"));
        assertEquals("1", output.at("/rollout/fromVersion").asText());
        assertEquals("2", output.at("/rollout/toVersion").asText());
        assertEquals(18, output.at("/rollout/steps").size());
        assertEquals("Shift", output.at("/rollout/steps/0/type").asText());
        assertEquals(before.revisionId(), output.path("revisionId").asText());
        assertEquals("2026-11-22T10:00:00Z", output.at("/rollout/preparedAt").asText());
        assertEquals(before, world.alias());
    }

    @Test
    void listsEveryProblemWithTheAccountAtOnce() {
        ObjectNode input = World.request("AllAtOnce");
        input.put("alias", "blue");
        input.put("targetVersion", "9");
        input.putArray("alarms").add("orders-latency").add(World.ALARM);
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertEquals(3, refused.problems().size(), refused.problems()::toString);
        assertTrue(refused.problems().get(0).startsWith("alias: function orders has no alias \"blue\""));
        assertTrue(refused.problems().get(1).startsWith("targetVersion: version 9 of orders does not exist"));
        assertTrue(refused.problems().get(2).startsWith("alarms[0]: no CloudWatch alarm named \"orders-latency\""));
    }

    @Test
    void refusesAFunctionThatDoesNotExist() {
        ObjectNode input = World.request("AllAtOnce");
        input.put("functionName", "payments");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertTrue(refused.getMessage().contains("functionName: no Lambda function named \"payments\""),
                refused.getMessage());
    }

    @Test
    void refusesToRollOutTheVersionAlreadyServed() {
        ObjectNode input = World.request("AllAtOnce");
        input.put("targetVersion", "1");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertTrue(refused.getMessage().contains("alias live already serves version 1"), refused.getMessage());
    }

    @Test
    void refusesBadInputBeforeAskingAws() {
        world.lambda.faults().failNext("GetAlias", 1, LambdaErrors::serviceError);
        ObjectNode input = World.request("Canary99Percent");
        assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertEquals(0, world.lambda.faults().calls("GetAlias"));
    }

    @Test
    void refusesAnAliasAlreadySplitAndLeavesItAlone() {
        world.routeByHand("1", Map.of("3", 0.3));
        AliasRouting split = world.alias();
        Conflict conflict = assertThrows(Conflict.class, () -> prepare.handle(World.request("AllAtOnce")));
        assertTrue(conflict.getMessage().contains("already routes version 1 70%, version 3 30%"), conflict.getMessage());
        assertEquals(split, world.alias());
    }

    @Test
    void refusesToStartWhileAWatchedAlarmFires() {
        world.breakVersion("1");
        world.serveAMinute(10);
        AlarmTriggered firing = assertThrows(AlarmTriggered.class, () -> prepare.handle(World.request("AllAtOnce")));
        assertTrue(firing.getMessage().startsWith("alarm orders-errors is already in ALARM"), firing.getMessage());
    }

    @Test
    void throttlingBecomesARetriableError() {
        world.lambda.faults().failNext("GetAlias", 1, LambdaErrors::throttled);
        Transient error = assertThrows(Transient.class, () -> prepare.handle(World.request("AllAtOnce")));
        assertEquals("Rollout.Transient", error.errorName());
    }
}
