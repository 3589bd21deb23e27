package dev.rollout.protocol;

import dev.rollout.local.aws.InMemoryDynamoDb;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.Conflict;
import Rollout.DependencyFailed;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.rollout.aws.Targets;
import dev.rollout.handlers.Promote;
import dev.rollout.handlers.Rollback;
import dev.rollout.handlers.TaskInputs;
import dev.rollout.handlers.ShiftTraffic;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * ShiftTraffic, Promote and Rollback against moto's Lambda: UpdateAlias and GetAlias on the wire. ShiftTraffic and
 * Promote judge the window since Prepare first, with CloudWatch behind {@link AlarmHistoryFront} (moto lacks
 * DescribeAlarmHistory).
 */
class TrafficOverHttpTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    private MotoWorld world;
    private JsonNode prepared;
    private ShiftTraffic shift;
    private Promote promote;
    private Rollback rollback;
    private AlarmHistoryFront front;

    @BeforeEach
    void preparedRolloutFromOneToTwo() throws IOException {
        world = new MotoWorld(MOTO);
        prepared = world.prepared();
        front = new AlarmHistoryFront(MOTO.endpoint());
        shift = new ShiftTraffic(new Targets(world.lambda, world.apiGateway), MOTO.cloudWatchAt(front.endpoint()),
                world.clock);
        promote = new Promote(new Targets(world.lambda, world.apiGateway), MOTO.cloudWatchAt(front.endpoint()), leases(),
                LEASES, CONTROLS, world.clock);
        rollback = new Rollback(new Targets(world.lambda, world.apiGateway), world.clock);
    }

    @AfterEach
    void closeFront() {
        front.close();
    }

    private String preparedRevision() {
        return prepared.path("revisionId").asText();
    }

    @ParameterizedTest(name = "a {0}% step is stored as AdditionalVersionWeights and reads back through GetAlias")
    @ValueSource(ints = {1, 7, 10, 33, 50, 99})
    void aShiftSetsAdditionalVersionWeightsThatGetAliasReadsBack(int percent) {
        JsonNode output = shift.handle(TaskInputs.shift(prepared, percent, preparedRevision()));
        GetAliasResponse alias = world.alias();
        assertEquals("1", alias.functionVersion());
        assertEquals(Map.of("2", percent / 100.0), alias.routingConfig().additionalVersionWeights());
        assertEquals("version 1 " + (100 - percent) + "%, version 2 " + percent + "%", output.path("routing").asText());
        assertEquals(alias.revisionId(), output.path("revisionId").asText());
    }

    /**
     * In AWS, UpdateAlias with a RevisionId that no longer matches fails with HTTP 412
     * PreconditionFailedException; Aliases turns that into ForeignChange and Traffic.shift into Rollout.Conflict,
     * leaving the other person's change alone. Known gap: moto 5.2.1 gives an alias one RevisionId at CreateAlias
     * and never changes it, and its UpdateAlias ignores the RevisionId parameter (moto/awslambda/models.py: "The
     * RevisionId parameter is not yet implemented"); TrafficHandlersTest checks the refusal against the in-memory
     * Lambda, which enforces revisions.
     */
    @Test
    void aShiftAfterSomeoneElseChangedTheAliasIsRefusedAsAConflictAndChangesNothing() {
        world.routeByHand("3", Map.of());
        MotoGap.skipWhile(world.alias().revisionId().equals(preparedRevision()),
                "moto keeps an alias' RevisionId for its whole life and ignores RevisionId in UpdateAlias;"
                        + " TrafficHandlersTest checks the refusal against the in-memory Lambda");
        Conflict conflict = assertThrows(Conflict.class,
                () -> shift.handle(TaskInputs.shift(prepared, 10, preparedRevision())));
        assertTrue(conflict.getMessage().contains("it now routes version 3 100%"), conflict.getMessage());
        assertEquals("version 3 100%", world.routing().describe());
    }

    /**
     * The 412 that Aliases relies on, as the SDK delivers it. moto checks a RevisionId only in
     * AddPermission and RemovePermission; its answer carries the same error code
     * ({@code PreconditionFailedException}, HTTP 412) as AWS's UpdateAlias, so this shows the SDK maps that
     * code to the exception class {@code Aliases.route} catches, not to a generic LambdaException.
     */
    @Test
    void aPreconditionFailedAnswerArrivesAsTheExceptionClassThatAliasesCatches() {
        PreconditionFailedException stale = assertThrows(PreconditionFailedException.class,
                () -> world.lambda.addPermission(request -> request
                        .functionName(MotoWorld.FUNCTION)
                        .statementId("events")
                        .action("lambda:InvokeFunction")
                        .principal("events.amazonaws.com")
                        .revisionId("a-revision-that-never-was")));
        assertEquals(412, stale.statusCode());
        assertEquals("PreconditionFailedException", stale.awsErrorDetails().errorCode());
    }

    @Test
    void promotePutsEverythingOnTheNewVersionAndClearsTheRouting() {
        JsonNode shifted = shift.handle(TaskInputs.shift(prepared, 50, preparedRevision()));
        JsonNode output = promote.handle(TaskInputs.withRevision(prepared, shifted.path("revisionId").asText()));
        GetAliasResponse alias = world.alias();
        assertEquals("2", alias.functionVersion());
        // Clearing takes an explicit empty AdditionalVersionWeights on the wire; an omitted one keeps the split.
        assertTrue(alias.routingConfig() == null || alias.routingConfig().additionalVersionWeights().isEmpty(),
                alias::toString);
        assertEquals("version 2 100%", output.path("routing").asText());
    }

    @Test
    void allAtOncePromotesStraightFromTheStart() {
        promote.handle(TaskInputs.withRevision(prepared, preparedRevision()));
        assertEquals("version 2 100%", world.routing().describe());
    }

    @Test
    void promotingAVersionThatDoesNotExistFailsForGoodWithLambdasNotFoundAsCause() {
        ObjectNode input = TaskInputs.withRevision(prepared, preparedRevision());
        ObjectNode rollout = prepared.get("rollout").deepCopy();
        rollout.put("toVersion", "7");
        input.set("rollout", rollout);
        DependencyFailed failed = assertThrows(DependencyFailed.class, () -> promote.handle(input));
        assertTrue(failed.getMessage().startsWith("UpdateAlias orders:live failed"), failed.getMessage());
        ResourceNotFoundException missing = assertInstanceOf(ResourceNotFoundException.class, failed.getCause());
        assertEquals(404, missing.statusCode());
        assertEquals("version 1 100%", world.routing().describe());
    }

    @Test
    void rollbackRestoresTheStartingVersionFromASplit() {
        shift.handle(TaskInputs.shift(prepared, 30, preparedRevision()));
        JsonNode output = rollback.handle(TaskInputs.rollback(prepared));
        assertEquals("version 1 100%", world.routing().describe());
        assertTrue(world.alias().routingConfig() == null
                || world.alias().routingConfig().additionalVersionWeights().isEmpty());
        assertEquals("ROLLED_BACK", output.path("phase").asText());
        assertEquals(false, output.path("alreadyRestored").asBoolean());
        assertEquals("alarm orders-errors fired", output.path("reason").asText());
    }

    @Test
    void rollbackAfterPromotionPutsTheStartingVersionBack() {
        promote.handle(TaskInputs.withRevision(prepared, preparedRevision()));
        rollback.handle(TaskInputs.rollback(prepared));
        assertEquals("version 1 100%", world.routing().describe());
    }

    @Test
    void rollbackOfAnAliasAlreadyOnTheStartingVersionIsANoOp() {
        JsonNode output = rollback.handle(TaskInputs.rollback(prepared));
        assertTrue(output.path("alreadyRestored").asBoolean(), output.toString());
        assertEquals("ROLLED_BACK", output.path("phase").asText());
        assertEquals("version 1 100%", world.routing().describe());
    }

    @Test
    void rollbackLeavesAnAliasSomeoneElseSplitUntouched() {
        world.routeByHand("1", Map.of("3", 0.5));
        JsonNode output = rollback.handle(TaskInputs.rollback(prepared));
        assertEquals("STOPPED", output.path("phase").asText());
        assertTrue(output.path("reason").asText().contains("left untouched"), output.toString());
        assertEquals("version 1 50%, version 3 50%", world.routing().describe());
    }

    private static final String LEASES = "rollout-leases";
    private static final String CONTROLS = "rollout-controls";

    /** The claims on aliases, in memory: what this test sends over HTTP is CloudWatch's. */
    private static InMemoryDynamoDb leases() {
        InMemoryDynamoDb dynamoDb = new InMemoryDynamoDb();
        dynamoDb.addTable(LEASES, "target");
        dynamoDb.addTable(CONTROLS, "key");
        return dynamoDb;
    }
}
