package dev.rollout.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** The DynamoDB calls the rollout's tables make the same way: a new item stored once, a filtered scan of them all. */
final class TableCalls {
    private TableCalls() {
    }

    /**
     * Stores an item under a key nobody holds. A condition that fails on this very item is this write, re-sent by the
     * SDK after its first response was lost, and counts as done.
     *
     * @param what names the key in the error when someone else holds it (keys are random, so that means a bug)
     */
    static void putNew(DynamoDbClient dynamoDb, String table, Map<String, AttributeValue> item, String keyAttribute,
                       String what) {
        try {
            dynamoDb.putItem(request -> request
                    .tableName(table)
                    .item(item)
                    .conditionExpression("attribute_not_exists(#key)")
                    .expressionAttributeNames(Map.of("#key", keyAttribute))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException taken) {
            if (!item.equals(taken.item())) {
                throw new IllegalStateException(what + " is already in use", taken);
            }
        } catch (SdkException error) {
            throw AwsErrors.translate("PutItem in " + table, error);
        }
    }

    /** Every item that passes {@code filter}, page after page, read strongly consistent. */
    static List<Map<String, AttributeValue>> scan(DynamoDbClient dynamoDb, String table, String filter,
                                                  Map<String, String> names, Map<String, AttributeValue> values) {
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page;
            try {
                page = dynamoDb.scan(request -> request
                        .tableName(table)
                        .filterExpression(filter)
                        .expressionAttributeNames(names)
                        // DynamoDB refuses an empty map of values; a filter without any sends none.
                        .expressionAttributeValues(values.isEmpty() ? null : values)
                        .consistentRead(true)
                        .exclusiveStartKey(from));
            } catch (SdkException error) {
                throw AwsErrors.translate("Scan of " + table, error);
            }
            found.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return found;
    }
}
