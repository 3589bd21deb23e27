package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import dev.rollout.aws.AliasLeases;
import dev.rollout.aws.Clients;
import dev.rollout.aws.ExecutionStates;
import dev.rollout.domain.AliasLease;
import dev.rollout.domain.PreparedRollout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Claims the alias for this rollout before any traffic moves: a second rollout of the same alias, whatever version
 * it targets, is refused with {@code Rollout.Conflict} while the first runs. Claiming again is success, so Step
 * Functions may retry it.
 *
 * <p>Input: the prepared {@code rollout} and the {@code executionId}; output: the {@code lease} held.
 */
public final class ClaimAlias extends TaskHandler {
    private final AliasLeases leases;
    private final ExecutionStates executions;
    private final Clock clock;

    public ClaimAlias() {
        this(Clients.dynamoDb(), Clients.environment("LEASE_TABLE"), Clients.sfn(), Clock.systemUTC());
    }

    public ClaimAlias(DynamoDbClient dynamoDb, String leaseTable, SfnClient stepFunctions, Clock clock) {
        this.leases = new AliasLeases(dynamoDb, leaseTable);
        this.executions = new ExecutionStates(stepFunctions);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        String execution = Json.text(input, "executionId");
        AliasLease held = leases.claim(AliasLease.of(rollout, execution, clock.instant()), clock.instant(),
                executions::running);
        ObjectNode output = Json.object();
        output.putObject("lease")
                .put("target", held.target())
                .put("executionArn", held.executionArn())
                .put("claimedAt", held.claimedAt().toString())
                .put("expiresAt", held.expiresAt().toString());
        return output;
    }
}
