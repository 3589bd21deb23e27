package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.Conflict;
import Rollout.Throttled;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import dev.rollout.aws.AliasLeases;
import dev.rollout.domain.AliasLease;
import dev.rollout.local.aws.DynamoDbErrors;
import dev.rollout.local.aws.InMemoryDynamoDb;
import dev.rollout.local.aws.InMemoryStepFunctions;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** ClaimAlias and ReleaseAlias against the in-memory DynamoDB, with executions that run or have ended. */
class ClaimAliasTest {
    private static final String LEASES = "rollout-leases";
    private static final String FIRST = "arn:aws:states:us-east-1:123456789012:execution:rollout:orders-live-2";
    private static final String SECOND = "arn:aws:states:us-east-1:123456789012:execution:rollout:orders-live-3";

    private final World world = new World();
    private final JsonNode prepared = world.prepared();
    private final InMemoryDynamoDb dynamoDb = new InMemoryDynamoDb();
    private final Map<String, List<HistoryEvent>> histories = new HashMap<>();
    private final InMemoryStepFunctions stepFunctions = InMemoryStepFunctions.builder(world.clock)
            .executionHistories(arn -> Optional.ofNullable(histories.get(arn)))
            .build();
    private final ClaimAlias claim = new ClaimAlias(dynamoDb, LEASES, stepFunctions, world.clock);
    private final ReleaseAlias release = new ReleaseAlias(dynamoDb, LEASES);

    {
        dynamoDb.addTable(LEASES, "target");
        running(FIRST);
        running(SECOND);
    }

    private void running(String execution) {
        histories.put(execution, List.of(HistoryEvent.builder().id(1L).type(HistoryEventType.EXECUTION_STARTED)
                .timestamp(world.clock.instant()).executionStartedEventDetails(builder -> builder.input("{}")).build()));
    }

    private void ended(String execution) {
        histories.put(execution, List.of(histories.get(execution).get(0), HistoryEvent.builder().id(2L)
                .type(HistoryEventType.EXECUTION_ABORTED).timestamp(world.clock.instant()).build()));
    }

    private ObjectNode input(String execution) {
        ObjectNode input = Json.object();
        input.set("rollout", prepared.get("rollout"));
        return input.put("executionId", execution);
    }

    private AliasLease lease() {
        return new AliasLeases(dynamoDb, LEASES).find("orders:live").orElseThrow();
    }

    @Test
    void theFirstRolloutClaimsTheAliasAndClaimingAgainIsSuccess() {
        JsonNode first = claim.handle(input(FIRST));
        assertEquals(FIRST, first.at("/lease/executionArn").asText());
        assertEquals(first, claim.handle(input(FIRST)));
        assertEquals(world.clock.instant().plus(AliasLease.LIFETIME), lease().expiresAt());
    }

    @Test
    void aSecondRolloutOfTheSameAliasIsRefusedWhileTheFirstRunsWhateverItsTarget() {
        claim.handle(input(FIRST));
        ObjectNode other = input(SECOND);
        ((ObjectNode) other.get("rollout")).put("toVersion", "3");
        Conflict refused = assertThrows(Conflict.class, () -> claim.handle(other));
        assertTrue(refused.getMessage().contains("held by rollout orders-live-2 (version 1 -> 2"), refused.getMessage());
        assertEquals(FIRST, lease().executionArn());
    }

    @Test
    void aReleasedClaimIsTakenOverAtOnce() {
        claim.handle(input(FIRST));
        assertTrue(release.handle(input(FIRST)).path("released").asBoolean());
        claim.handle(input(SECOND));
        assertEquals(SECOND, lease().executionArn());
        assertFalse(lease().released());
    }

    @Test
    void theClaimOfAnEndedExecutionIsVoidEvenUnreleased() {
        claim.handle(input(FIRST));
        ended(FIRST);
        claim.handle(input(SECOND));
        assertEquals(SECOND, lease().executionArn());
    }

    @Test
    void anExpiredClaimIsVoidEvenIfStepFunctionsStillSaysRunning() {
        claim.handle(input(FIRST));
        world.pass(AliasLease.LIFETIME.plus(Duration.ofSeconds(1)));
        claim.handle(input(SECOND));
        assertEquals(SECOND, lease().executionArn());
    }

    @Test
    void aReleaseByARolloutThatNoLongerHoldsTheClaimChangesNothing() {
        claim.handle(input(FIRST));
        ended(FIRST);
        claim.handle(input(SECOND));
        assertFalse(release.handle(input(FIRST)).path("released").asBoolean());
        assertEquals(SECOND, lease().executionArn());
        assertFalse(lease().released());
    }

    @Test
    void aThrottledClaimIsRetriableAndClaimsNothing() {
        dynamoDb.faults().failNext("PutItem", 1, DynamoDbErrors::throttled);
        assertThrows(Throttled.class, () -> claim.handle(input(FIRST)));
        assertTrue(new AliasLeases(dynamoDb, LEASES).find("orders:live").isEmpty());
    }

    @Test
    void aFunctionNamedByItsArnClaimsTheSameAliasAsByItsName() {
        assertEquals("orders:live", AliasLease.target("arn:aws:lambda:us-east-1:123456789012:function:orders", "live"));
        assertEquals("orders:live", AliasLease.target("orders", "live"));
    }
}
