package dev.rollout.aws;

import static dev.rollout.aws.ApprovalItems.CLOSED_AT;
import static dev.rollout.aws.ApprovalItems.COMMENT;
import static dev.rollout.aws.ApprovalItems.DECIDER;
import static dev.rollout.aws.ApprovalItems.DELIVERED;
import static dev.rollout.aws.ApprovalItems.DELIVERY;
import static dev.rollout.aws.ApprovalItems.REFERENCE;
import static dev.rollout.aws.ApprovalItems.STATUS;
import static dev.rollout.aws.ApprovalItems.UNDELIVERED;
import static dev.rollout.aws.ApprovalItems.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

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
        Map<String, AttributeValue> item = ApprovalItems.item(approval);
        try {
            dynamoDb.putItem(request -> request
                    .tableName(table)
                    .item(item)
                    .conditionExpression("attribute_not_exists(#reference)")
                    .expressionAttributeNames(Map.of("#reference", REFERENCE))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException taken) {
            if (item.equals(taken.item())) {
                return; // this very write, re-sent by the SDK after its first response was lost
            }
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
     * Records {@code decision} on the pending {@code approval}, as not yet delivered to Step Functions. Recording the
     * same decision twice is one recording: when the SDK re-sends a write whose response was lost, the re-sent write
     * finds the decision it made and this returns it, so the caller goes on to deliver it.
     *
     * @throws ApprovalClosed when it is no longer pending: someone else decided first, or it expired
     */
    public Approval decide(Approval approval, Decision decision) {
        Approval decided = approval.decide(decision);
        try {
            update(approval, "SET #status = :status, #decider = :decider, #comment = :comment, #closedAt = :closedAt,"
                            + " #delivery = :delivery",
                    Map.of("#decider", DECIDER, "#comment", COMMENT, "#closedAt", CLOSED_AT, "#delivery", DELIVERY),
                    Map.of(":status", s(decided.status().name()), ":decider", s(decision.by()),
                            ":comment", s(decision.comment()), ":closedAt", s(decision.at().toString()),
                            ":delivery", s(UNDELIVERED)));
        } catch (ApprovalClosed changed) {
            if (changed.current().flatMap(Approval::decision).filter(decision::equals).isPresent()) {
                return changed.current().get();
            }
            throw changed;
        }
        return decided;
    }

    /**
     * Records that Step Functions has received {@code decided}'s decision. Someone else recording it first is fine.
     *
     * @throws ApprovalClosed when the record no longer holds that decision
     */
    public Approval delivered(Approval decided) {
        Approval delivered = decided.deliver();
        try {
            update(decided, "SET #delivery = :delivery", Map.of("#delivery", DELIVERY),
                    Map.of(":delivery", s(DELIVERED)));
        } catch (ApprovalClosed changed) {
            if (changed.current().filter(current -> current.delivered()
                    && current.decision().equals(decided.decision())).isPresent()) {
                return changed.current().get();
            }
            throw changed;
        }
        return delivered;
    }

    /**
     * The decided approvals whose decision Step Functions may not have: what the sweeper delivers. A scan, filtered:
     * the table holds one item per approval request and expired ones leave within days, so it stays small.
     */
    public List<Approval> awaitingDelivery() {
        List<Approval> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page;
            try {
                page = dynamoDb.scan(request -> request
                        .tableName(table)
                        .filterExpression("#delivery = :undelivered")
                        .expressionAttributeNames(Map.of("#delivery", DELIVERY))
                        .expressionAttributeValues(Map.of(":undelivered", s(UNDELIVERED)))
                        .consistentRead(true)
                        .exclusiveStartKey(from));
            } catch (SdkException error) {
                throw AwsErrors.translate("Scan of " + table, error);
            }
            page.items().forEach(item -> found.add(ApprovalItems.approval(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return found;
    }

    /**
     * The requests {@code executionArn} made in the approval state it entered at {@code requestedAt}: normally one
     * (two when RequestApproval ran twice). A scan, filtered, as for {@link #awaitingDelivery}.
     */
    public List<Approval> requestedBy(String executionArn, Instant requestedAt) {
        List<Approval> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page;
            try {
                page = dynamoDb.scan(request -> request
                        .tableName(table)
                        .filterExpression("#execution = :execution AND #requestedAt = :requestedAt")
                        .expressionAttributeNames(Map.of("#execution", "executionArn", "#requestedAt", "requestedAt"))
                        .expressionAttributeValues(Map.of(":execution", s(executionArn),
                                ":requestedAt", s(requestedAt.toString())))
                        .consistentRead(true)
                        .exclusiveStartKey(from));
            } catch (SdkException error) {
                throw AwsErrors.translate("Scan of " + table, error);
            }
            page.items().forEach(item -> found.add(ApprovalItems.approval(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return found;
    }

    /**
     * Records that Step Functions no longer waits for {@code approval}, dropping a decision it refused.
     *
     * @throws ApprovalClosed when the record changed since {@code approval} was read
     */
    public Approval expire(Approval approval, Instant at) {
        Approval expired = approval.expire(at);
        update(approval, "SET #status = :status, #closedAt = :closedAt REMOVE #decider, #comment, #delivery",
                Map.of("#decider", DECIDER, "#comment", COMMENT, "#closedAt", CLOSED_AT, "#delivery", DELIVERY),
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
        if (expected.awaitsDelivery()) {
            // A decision delivered meanwhile is final: neither delivered again nor expired.
            allNames.put("#delivery", DELIVERY);
            allValues.put(":expectedDelivery", s(UNDELIVERED));
            condition += " AND #delivery = :expectedDelivery";
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
