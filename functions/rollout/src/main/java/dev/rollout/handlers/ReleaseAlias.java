package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.aws.AliasLeases;
import dev.rollout.aws.Clients;
import dev.rollout.domain.AliasLease;
import dev.rollout.domain.PreparedRollout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Releases this rollout's claim on its alias once the alias is whole (promoted or rolled back), so the next rollout
 * may start at once. Safe to repeat; a claim another rollout holds is left alone.
 *
 * <p>Input: the prepared {@code rollout} and the {@code executionId}; output: whether it was {@code released}.
 */
public final class ReleaseAlias extends TaskHandler {
    private final AliasLeases leases;

    public ReleaseAlias() {
        this(Clients.dynamoDb(), Clients.environment("LEASE_TABLE"));
    }

    public ReleaseAlias(DynamoDbClient dynamoDb, String leaseTable) {
        this.leases = new AliasLeases(dynamoDb, leaseTable);
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        boolean released = leases.release(AliasLease.target(rollout.target()),
                Json.text(input, "executionId"));
        return Json.object().put("released", released);
    }
}
