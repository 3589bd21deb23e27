package dev.rollout.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.AlarmTriggered;
import Rollout.Conflict;
import Rollout.InvalidInput;
import Rollout.Transient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.rollout.handlers.Prepare;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;

/** Prepare against moto: GetFunction, GetAlias and DescribeAlarms as the SDK really sends them. */
class PrepareOverHttpTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    private MotoWorld world;
    private Prepare prepare;

    @BeforeEach
    void account() {
        world = new MotoWorld(MOTO);
        prepare = new Prepare(world.lambda, world.apiGateway, world.cloudWatch, world.clock);
    }

    @Test
    void recordsTheStartingVersionAndTheRevisionIdThatGetAliasReturns() {
        String revision = world.alias().revisionId();
        JsonNode output = prepare.handle(MotoWorld.request("Linear10PercentEvery1Minute"));
        assertEquals("1", output.at("/rollout/fromVersion").asText());
        assertEquals("2", output.at("/rollout/toVersion").asText());
        assertFalse(revision == null || revision.isBlank(), "moto's GetAlias returns a RevisionId");
        assertEquals(revision, output.path("revisionId").asText());
        assertEquals("version 1 100%", world.routing().describe(), "Prepare moves no traffic");
    }

    @Test
    void refusesAMissingAliasVersionAndAlarmNamingEachField() {
        ObjectNode input = MotoWorld.request("AllAtOnce");
        input.put("alias", "blue");
        input.put("targetVersion", "9");
        input.putArray("alarms").add("orders-latency").add(MotoWorld.ALARM);
        // Each of these is a 404 ResourceNotFoundException (or an absent alarm) on the wire, not an error.
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertEquals(3, refused.problems().size(), refused.problems()::toString);
        assertTrue(refused.problems().get(0).startsWith("alias: function orders has no alias \"blue\""),
                refused.problems().get(0));
        assertTrue(refused.problems().get(1).startsWith("targetVersion: version 9 of orders does not exist"),
                refused.problems().get(1));
        assertTrue(refused.problems().get(2).startsWith("alarms[0]: no CloudWatch alarm named \"orders-latency\""),
                refused.problems().get(2));
    }

    @Test
    void looksUpHookFunctionsAndRefusesAMissingOneBeforeTrafficMoves() {
        ObjectNode input = MotoWorld.request("AllAtOnce");
        // The rollout's own function stands in for an existing hook, qualified with its alias as a hook may be.
        input.putObject("hooks").put("preTraffic", MotoWorld.FUNCTION + ":" + MotoWorld.ALIAS)
                .put("postTraffic", "orders-e2e-check");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertEquals(List.of("hooks.postTraffic: no Lambda function named \"orders-e2e-check\" exists in"
                + " this account and region"), refused.problems());
        assertEquals("version 1 100%", world.routing().describe(), "Prepare moves no traffic");
    }

    @Test
    void refusesAFunctionThatDoesNotExist() {
        ObjectNode input = MotoWorld.request("AllAtOnce");
        input.put("functionName", "payments");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertEquals(1, refused.problems().size(), refused.problems()::toString);
        assertTrue(refused.problems().get(0).startsWith("functionName: no Lambda function named \"payments\""),
                refused.problems().get(0));
    }

    @Test
    void refusesToRollOutTheVersionTheAliasAlreadyServes() {
        ObjectNode input = MotoWorld.request("AllAtOnce");
        input.put("targetVersion", "1");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertTrue(refused.getMessage().contains("alias live already serves version 1"), refused.getMessage());
    }

    @Test
    void refusesAnAliasThatAlreadyRoutesWeightToAnotherVersion() {
        world.routeByHand("1", Map.of("3", 0.3));
        Conflict conflict = assertThrows(Conflict.class, () -> prepare.handle(MotoWorld.request("AllAtOnce")));
        assertTrue(conflict.getMessage().contains("already routes version 1 70%, version 3 30%"), conflict.getMessage());
        assertEquals("version 1 70%, version 3 30%", world.routing().describe());
    }

    @Test
    void refusesToStartWhileAWatchedMetricAlarmIsInAlarm() {
        world.setAlarm(MotoWorld.ALARM, StateValue.ALARM, "Threshold Crossed: 5 errors in a minute");
        AlarmTriggered firing = assertThrows(AlarmTriggered.class,
                () -> prepare.handle(MotoWorld.request("AllAtOnce")));
        assertTrue(firing.getMessage().startsWith("alarm orders-errors is already in ALARM (since 20"),
                firing.getMessage());
        assertTrue(firing.getMessage().contains("Threshold Crossed: 5 errors in a minute"), firing.getMessage());
    }

    @Test
    void refusesToStartWhileAWatchedCompositeAlarmIsInAlarm() {
        // Composite alarms come back in DescribeAlarms' CompositeAlarms list, not MetricAlarms.
        world.putCompositeAlarm("orders-health", "ALARM(\"" + MotoWorld.ALARM + "\")");
        world.setAlarm("orders-health", StateValue.ALARM, "orders-errors is in ALARM");
        ObjectNode input = MotoWorld.request("AllAtOnce");
        input.putArray("alarms").add("orders-health");
        AlarmTriggered firing = assertThrows(AlarmTriggered.class, () -> prepare.handle(input));
        assertTrue(firing.getMessage().startsWith("alarm orders-health is already in ALARM"), firing.getMessage());
    }

    @Test
    void anEndpointThatDoesNotAnswerIsATransientErrorToRetry() throws IOException {
        Prepare unreachable = new Prepare(MOTO.lambdaAt(aClosedPort()), world.apiGateway, world.cloudWatch, world.clock);
        Transient error = assertThrows(Transient.class, () -> unreachable.handle(MotoWorld.request("AllAtOnce")));
        assertTrue(error.getMessage().startsWith("GetFunction orders did not reach AWS"),
                error.getMessage());
        assertInstanceOf(SdkClientException.class, error.getCause());
    }

    private static URI aClosedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }
}
