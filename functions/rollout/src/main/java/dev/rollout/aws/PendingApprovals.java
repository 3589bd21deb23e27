package dev.rollout.aws;

import static dev.rollout.aws.ApprovalItems.CLOSED_AT;
import static dev.rollout.aws.ApprovalItems.COMMENT;
import static dev.rollout.aws.ApprovalItems.DECIDER;
import static dev.rollout.aws.ApprovalItems.REFERENCE;
import static dev.rollout.aws.ApprovalItems.STATUS;
import static dev.rollout.aws.ApprovalItems.s;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import dev.rollout.domain.Approval;
import dev.rollout.domain.ApprovalStatus;
import dev.rollout.domain.Decision;
import dev.rollout.domain.Reference;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The approval requests, one DynamoDB item per {@link Reference}. Every change of status is a conditional write
 * on the status the caller read, so of two people deciding at once exactly one decides; the other learns the
 * outcome from the failed write itself.
 */
public final class PendingApprovals {
    private static final Map<String, String> STATUS_NAME = Map.of("#status", STATUS);

    private final DynamoDbClient dynamoDb;
    private final String table;

    public PendingApprovals(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** Stores a new request. References are random, so one that exists already means a bug, not bad luck. */
    public void add(Approval approval) {
        try {
            dynamoDb.putItem(request -> request
                    .tableName(table)
                    .item(ApprovalItems.item(approval))
                    .conditionExpression("attribute_not_exists(#reference)")
                    .expressionAttributeNames(Map.of("#reference", REFERENCE)));
        } catch (ConditionalCheckFailedException taken) {
            throw new IllegalStateException("approval reference " + approval.reference().abbreviated()
                    + " is already in use", taken);
        } catch (SdkException error) {
            throw AwsErrors.translate("PutItem in " + table, error);
        }
    }

    public Optional<Approval> find(Reference reference) {
        GetItemResponse response;
        try {
            // Strongly consistent: a page read right after a decision must show it.
            response = dynamoDb.getItem(request -> request
                    .tableName(table)
                    .key(ApprovalItems.key(reference))
                    .consistentRead(true));
        } catch (SdkException error) {
            throw AwsErrors.translate("GetItem in " + table, error);
        }
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(ApprovalItems.approval(response.item()))
                : Optional.empty();
    }

    /**
     * Records {@code decision} on the pending {@code approval}.
     *
     * @throws ApprovalClosed when it is no longer pending: someone else decided first, or it expired
     */
    public Approval decide(Approval approval, Decision decision) {
        Approval decided = approval.decide(decision);
        update(approval, "SET #status = :status, #decider = :decider, #comment = :comment, #closedAt = :closedAt",
                Map.of("#decider", DECIDER, "#comment", COMMENT, "#closedAt", CLOSED_AT),
                Map.of(":status", s(decided.status().name()), ":decider", s(decision.by()),
                        ":comment", s(decision.comment()), ":closedAt", s(decision.at().toString())));
        return decided;
    }

    /**
     * Undoes {@code decided}'s decision when Step Functions could not be told, so the request can be answered again.
     *
     * @throws ApprovalClosed when the record no longer holds that decision
     */
    public Approval reopen(Approval decided) {
        Approval reopened = decided.reopen();
        update(decided, "SET #status = :status REMOVE #decider, #comment, #closedAt",
                Map.of("#decider", DECIDER, "#comment", COMMENT, "#closedAt", CLOSED_AT),
                Map.of(":status", s(ApprovalStatus.PENDING.name())));
        return reopened;
    }

    /**
     * Records that Step Functions no longer waits for {@code approval}, dropping a decision it refused.
     *
     * @throws ApprovalClosed when the record changed since {@code approval} was read
     */
    public Approval expire(Approval approval, Instant at) {
        Approval expired = approval.expire(at);
        update(approval, "SET #status = :status, #closedAt = :closedAt REMOVE #decider, #comment",
                Map.of("#decider", DECIDER, "#comment", COMMENT, "#closedAt", CLOSED_AT),
                Map.of(":status", s(ApprovalStatus.EXPIRED.name()), ":closedAt", s(at.toString())));
        return expired;
    }

    /**
     * Applies {@code update} only if the record still has the status {@code expected} has and, for a decided
     * one, the same decision time: the write then changes exactly the state the caller saw.
     */
    private void update(Approval expected, String update, Map<String, String> names,
                        Map<String, AttributeValue> values) {
        Map<String, String> allNames = new HashMap<>(names);
        allNames.putAll(STATUS_NAME);
        Map<String, AttributeValue> allValues = new HashMap<>(values);
        allValues.put(":expected", s(expected.status().name()));
        String condition = "#status = :expected";
        if (expected.closedAt().isPresent()) {
            allNames.put("#closedAt", CLOSED_AT);
            allValues.put(":expectedClosedAt", s(expected.closedAt().get().toString()));
            condition += " AND #closedAt = :expectedClosedAt";
        }
        String finalCondition = condition;
        try {
            dynamoDb.updateItem(request -> request
                    .tableName(table)
                    .key(ApprovalItems.key(expected.reference()))
                    .updateExpression(update)
                    .conditionExpression(finalCondition)
                    .expressionAttributeNames(allNames)
                    .expressionAttributeValues(allValues)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException changed) {
            Optional<Approval> current = changed.hasItem() && !changed.item().isEmpty()
                    ? Optional.of(ApprovalItems.approval(changed.item()))
                    : Optional.empty();
            throw new ApprovalClosed("approval " + expected.reference().abbreviated() + " is no longer "
                    + expected.status() + ": it is " + current.map(a -> a.status().name()).orElse("gone"),
                    current, changed);
        } catch (SdkException error) {
            throw AwsErrors.translate("UpdateItem in " + table, error);
        }
    }
}
