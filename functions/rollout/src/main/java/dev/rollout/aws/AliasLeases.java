package dev.rollout.aws;

import Rollout.Conflict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import dev.rollout.domain.AliasLease;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The claims rollouts hold on aliases, one DynamoDB item per alias. Claiming is a conditional write, so of two
 * rollouts of one alias exactly one holds it; taking over a vacant claim is conditional on the claim read, so two
 * takers cannot both win either.
 */
public final class AliasLeases {
    static final String TARGET = "target";
    static final String EXECUTION = "executionArn";
    static final String FROM = "fromVersion";
    static final String TO = "toVersion";
    static final String CLAIMED_AT = "claimedAt";
    static final String EXPIRES_AT = "expiresAt";
    static final String RELEASED = "released";
    /** The table's TimeToLiveSpecification attribute, in epoch seconds: a week after the claim expired. */
    static final String PURGE_AT = "purgeAt";
    /** A claim is retried when a concurrent taker changed it between the read and the write. */
    private static final int ATTEMPTS = 3;

    private final DynamoDbClient dynamoDb;
    private final String table;

    public AliasLeases(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /**
     * Claims {@code wanted}'s alias for its execution. Claiming again what the execution already holds is success.
     *
     * @param running whether an execution still runs (DescribeExecution, {@link ExecutionStates#running})
     * @return the claim now held
     * @throws Conflict when another rollout holds the alias and still runs
     */
    public AliasLease claim(AliasLease wanted, Instant now, Predicate<String> running) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<AliasLease> holder = find(wanted.target());
            if (holder.isEmpty()) {
                if (put(wanted, "attribute_not_exists(#target)", Map.of("#target", TARGET), Map.of())) {
                    return wanted;
                }
                continue;
            }
            AliasLease current = holder.get();
            if (current.heldBy(wanted.executionArn())) {
                return current;
            }
            if (!current.vacant(now, running.test(current.executionArn()))) {
                throw new Conflict("alias " + wanted.target() + " is held by " + current.describe()
                        + ", which is still running; one rollout moves an alias at a time, so this one moved"
                        + " nothing. Let that rollout end (or stop it) before starting another");
            }
            if (put(wanted, "#execution = :holder AND #claimedAt = :claimedAt",
                    Map.of("#execution", EXECUTION, "#claimedAt", CLAIMED_AT),
                    Map.of(":holder", s(current.executionArn()), ":claimedAt", s(current.claimedAt().toString())))) {
                return wanted;
            }
        }
        throw new Conflict("alias " + wanted.target() + " was claimed by other rollouts at the same time; this one"
                + " moved nothing");
    }

    /** The claim on {@code target}, released or not, if any was ever made. */
    public Optional<AliasLease> find(String target) {
        GetItemResponse response;
        try {
            response = dynamoDb.getItem(request -> request.tableName(table)
                    .key(Map.of(TARGET, s(target))).consistentRead(true));
        } catch (SdkException error) {
            throw AwsErrors.translate("GetItem " + target + " in " + table, error);
        }
        if (!response.hasItem() || response.item().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(lease(response.item()));
    }

    private static AliasLease lease(Map<String, AttributeValue> item) {
        return new AliasLease(item.get(TARGET).s(), item.get(EXECUTION).s(), item.get(FROM).s(),
                item.get(TO).s(), Instant.parse(item.get(CLAIMED_AT).s()), Instant.parse(item.get(EXPIRES_AT).s()),
                item.containsKey(RELEASED) && Boolean.TRUE.equals(item.get(RELEASED).bool()));
    }

    /**
     * Every claim not released yet, whatever kind of target it is on: those of running rollouts, and those of
     * rollouts that ended without releasing theirs (a Restore that failed every retry, an ending whose event was lost).
     */
    public List<AliasLease> unreleased() {
        List<AliasLease> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page;
            try {
                page = dynamoDb.scan(request -> request.tableName(table)
                        .filterExpression("attribute_not_exists(#released)")
                        .expressionAttributeNames(Map.of("#released", RELEASED))
                        .consistentRead(true)
                        .exclusiveStartKey(from));
            } catch (SdkException error) {
                throw AwsErrors.translate("Scan of " + table, error);
            }
            page.items().forEach(item -> found.add(lease(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return found;
    }

    /**
     * Releases {@code executionArn}'s claim on {@code target}. Safe to repeat; a claim another rollout holds now is
     * left alone.
     *
     * @return whether this execution held it
     */
    public boolean release(String target, String executionArn) {
        try {
            dynamoDb.updateItem(request -> request.tableName(table)
                    .key(Map.of(TARGET, s(target)))
                    .updateExpression("SET #released = :released")
                    .conditionExpression("#execution = :me")
                    .expressionAttributeNames(Map.of("#released", RELEASED, "#execution", EXECUTION))
                    .expressionAttributeValues(Map.of(":released", AttributeValue.fromBool(true),
                            ":me", s(executionArn))));
            return true;
        } catch (ConditionalCheckFailedException notOurs) {
            return false;
        } catch (SdkException error) {
            throw AwsErrors.translate("UpdateItem " + target + " in " + table, error);
        }
    }

    private boolean put(AliasLease lease, String condition, Map<String, String> names,
                        Map<String, AttributeValue> values) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TARGET, s(lease.target()));
        item.put(EXECUTION, s(lease.executionArn()));
        item.put(FROM, s(lease.fromVersion()));
        item.put(TO, s(lease.toVersion()));
        item.put(CLAIMED_AT, s(lease.claimedAt().toString()));
        item.put(EXPIRES_AT, s(lease.expiresAt().toString()));
        item.put(PURGE_AT, AttributeValue.fromN(Long.toString(lease.expiresAt().plusSeconds(7 * 86_400)
                .getEpochSecond())));
        try {
            dynamoDb.putItem(request -> {
                request.tableName(table).item(item).conditionExpression(condition).expressionAttributeNames(names);
                if (!values.isEmpty()) {
                    request.expressionAttributeValues(values);
                }
            });
            return true;
        } catch (ConditionalCheckFailedException taken) {
            return false;
        } catch (SdkException error) {
            throw AwsErrors.translate("PutItem " + lease.target() + " in " + table, error);
        }
    }

    private static AttributeValue s(String text) {
        return AttributeValue.fromS(text);
    }
}
