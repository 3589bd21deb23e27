package dev.rollout.local.aws;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import dev.rollout.local.aws.DynamoDbExpressions.Condition;
import dev.rollout.local.aws.DynamoDbExpressions.Placeholders;
import dev.rollout.local.aws.DynamoDbExpressions.Update;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnItemCollectionMetrics;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * DynamoDB tables with a string partition key, in memory: GetItem, PutItem, UpdateItem and Scan with the expression
 * forms {@link DynamoDbExpressions} understands. Each write is atomic with its condition, as in DynamoDB, so
 * concurrent conditional writes decide once. Reads are always strongly consistent.
 *
 * <p>Items are never removed by time: DynamoDB's TTL deletes expired items only eventually (typically within a
 * few days) and reads return them until then, so code must check expiry itself, which this fake makes it do.
 */
public final class InMemoryDynamoDb implements DynamoDbClient {

    /** DynamoDB's item size limit, in bytes. */
    static final int MAX_ITEM_BYTES = 400 * 1024;
    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

    private final Map<String, Table> tables = new HashMap<>();
    private final FaultInjector faults = new FaultInjector(Set.of("GetItem", "PutItem", "UpdateItem", "Scan"));

    /** A table whose items are keyed by the string attribute {@code partitionKey}, as CreateTable with a HASH key. */
    public synchronized void addTable(String name, String partitionKey) {
        if (name == null || !TABLE_NAME.matcher(name).matches()) {
            throw DynamoDbErrors.validation("TableName must be 3 to 255 characters of a-z, A-Z, 0-9, _, - and .,"
                    + " got " + name);
        }
        if (tables.containsKey(name)) {
            throw new IllegalStateException("table " + name + " already exists");
        }
        tables.put(name, new Table(partitionKey));
    }

    /** Every item of {@code table}, by partition key, as stored; for tests that check what was written. */
    public synchronized Map<String, Map<String, AttributeValue>> items(String table) {
        return Map.copyOf(table(table).items);
    }

    /** Plans failures of this service's operations, named as in the DynamoDB API (e.g. {@code UpdateItem}). */
    public FaultInjector faults() {
        return faults;
    }

    @Override
    public synchronized GetItemResponse getItem(GetItemRequest request) {
        faults.enter("GetItem");
        if (request.projectionExpression() != null || request.hasAttributesToGet()
                || request.hasExpressionAttributeNames()) {
            throw new UnsupportedOperationException(
                    "projections are not supported by the in-memory DynamoDB; GetItem returns whole items");
        }
        refuseCapacityReports(request.returnConsumedCapacity(), null);
        Table table = table(request.tableName());
        Map<String, AttributeValue> item = table.items.get(table.keyOf(request.key()));
        GetItemResponse.Builder response = GetItemResponse.builder();
        if (item != null) {
            response.item(item);
        }
        return response.build();
    }

    @Override
    public synchronized PutItemResponse putItem(PutItemRequest request) {
        faults.enter("PutItem");
        if (request.hasExpected() || request.conditionalOperator() != null) {
            throw new UnsupportedOperationException("the legacy Expected and ConditionalOperator parameters are not"
                    + " supported by the in-memory DynamoDB; use ConditionExpression");
        }
        requireReturnValues(request.returnValues(), "PutItem");
        refuseCapacityReports(request.returnConsumedCapacity(), request.returnItemCollectionMetrics());
        Table table = table(request.tableName());
        if (!request.hasItem()) {
            throw DynamoDbErrors.validation("1 validation error detected: Value null at 'item' failed to satisfy"
                    + " constraint: Member must not be null");
        }
        String key = table.keyOfItem(request.item());
        request.item().values().forEach(InMemoryDynamoDb::requireValid);
        Placeholders placeholders = placeholders(request.expressionAttributeNames(),
                request.expressionAttributeValues(), request.conditionExpression() != null);
        Condition condition = request.conditionExpression() == null ? null
                : DynamoDbExpressions.condition(request.conditionExpression(), placeholders);
        placeholders.requireAllUsed();
        requireWithinSizeLimit(request.item());
        Map<String, AttributeValue> existing = table.items.getOrDefault(key, Map.of());
        if (condition != null && !condition.holds(existing)) {
            throw DynamoDbErrors.conditionalCheckFailed(oldItemIfAsked(request.returnValuesOnConditionCheckFailure(),
                    existing));
        }
        table.items.put(key, Map.copyOf(request.item()));
        return PutItemResponse.builder().build();
    }

    @Override
    public synchronized UpdateItemResponse updateItem(UpdateItemRequest request) {
        faults.enter("UpdateItem");
        UpdateItemResponse response = update(request);
        if (faults.responseLost("UpdateItem")) {
            faults.enter("UpdateItem");
            return update(request);
        }
        return response;
    }

    /**
     * Scans one table whole, in one page, keeping the items a FilterExpression (of the forms of
     * {@link DynamoDbExpressions}) holds for. Reads are strongly consistent, as ConsistentRead asks.
     */
    @Override
    public synchronized ScanResponse scan(ScanRequest request) {
        faults.enter("Scan");
        if (request.indexName() != null || request.segment() != null || request.totalSegments() != null
                || request.projectionExpression() != null || request.hasAttributesToGet()
                || request.hasScanFilter() || request.conditionalOperator() != null || request.limit() != null
                || request.select() != null) {
            throw new UnsupportedOperationException("the in-memory DynamoDB scans whole tables with at most a"
                    + " FilterExpression; indexes, segments, projections, limits and legacy filters are not supported");
        }
        refuseCapacityReports(request.returnConsumedCapacity(), null);
        Table table = table(request.tableName());
        Placeholders placeholders = placeholders(request.expressionAttributeNames(),
                request.expressionAttributeValues(), request.filterExpression() != null);
        Condition filter = request.filterExpression() == null ? null
                : DynamoDbExpressions.condition(request.filterExpression(), placeholders);
        placeholders.requireAllUsed();
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (Map<String, AttributeValue> item : table.items.values()) {
            if (filter == null || filter.holds(item)) {
                items.add(item);
            }
        }
        return ScanResponse.builder().items(items).count(items.size()).scannedCount(table.items.size()).build();
    }

    private UpdateItemResponse update(UpdateItemRequest request) {
        if (request.hasAttributeUpdates() || request.hasExpected() || request.conditionalOperator() != null) {
            throw new UnsupportedOperationException("the legacy AttributeUpdates, Expected and ConditionalOperator"
                    + " parameters are not supported by the in-memory DynamoDB; use UpdateExpression and"
                    + " ConditionExpression");
        }
        if (request.returnValues() != ReturnValue.ALL_NEW) {
            requireReturnValues(request.returnValues(), "UpdateItem");
        }
        refuseCapacityReports(request.returnConsumedCapacity(), request.returnItemCollectionMetrics());
        Table table = table(request.tableName());
        String key = table.keyOf(request.key());
        if (request.updateExpression() == null) {
            throw new UnsupportedOperationException(
                    "UpdateItem without an UpdateExpression is not supported by the in-memory DynamoDB");
        }
        Placeholders placeholders = placeholders(request.expressionAttributeNames(),
                request.expressionAttributeValues(), true);
        Update update = DynamoDbExpressions.update(request.updateExpression(), placeholders);
        Condition condition = request.conditionExpression() == null ? null
                : DynamoDbExpressions.condition(request.conditionExpression(), placeholders);
        placeholders.requireAllUsed();
        if (update.touched().contains(table.partitionKey)) {
            throw DynamoDbErrors.validation("One or more parameter values were invalid: Cannot update attribute "
                    + table.partitionKey + ". This attribute is part of the key");
        }
        update.set().values().forEach(InMemoryDynamoDb::requireValid);
        Map<String, AttributeValue> existing = table.items.get(key);
        Map<String, AttributeValue> current = existing == null ? Map.of() : existing;
        if (condition != null && !condition.holds(current)) {
            throw DynamoDbErrors.conditionalCheckFailed(oldItemIfAsked(request.returnValuesOnConditionCheckFailure(),
                    current));
        }
        // Like DynamoDB, an update of an item that does not exist creates it from the key and the SET actions.
        Map<String, AttributeValue> updated = update.applyTo(existing == null ? request.key() : existing);
        requireWithinSizeLimit(updated);
        table.items.put(key, Map.copyOf(updated));
        // ALL_NEW: the whole item as written, as DynamoDB returns it; otherwise no attributes.
        return request.returnValues() == ReturnValue.ALL_NEW
                ? UpdateItemResponse.builder().attributes(updated).build()
                : UpdateItemResponse.builder().build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        // Nothing to release: the tables live as long as the object.
    }

    private Table table(String name) {
        if (name == null) {
            throw DynamoDbErrors.validation("1 validation error detected: Value null at 'tableName' failed to satisfy"
                    + " constraint: Member must not be null");
        }
        Table table = tables.get(name);
        if (table == null) {
            throw DynamoDbErrors.tableNotFound();
        }
        return table;
    }

    private static Placeholders placeholders(Map<String, String> names, Map<String, AttributeValue> values,
                                             boolean hasExpressions) {
        if (!hasExpressions && !names.isEmpty()) {
            throw DynamoDbErrors.validation(
                    "ExpressionAttributeNames can only be specified when using expressions");
        }
        if (!hasExpressions && !values.isEmpty()) {
            throw DynamoDbErrors.validation(
                    "ExpressionAttributeValues can only be specified when using expressions");
        }
        values.values().forEach(InMemoryDynamoDb::requireValid);
        return new Placeholders(names, values);
    }

    private static Map<String, AttributeValue> oldItemIfAsked(ReturnValuesOnConditionCheckFailure asked,
                                                              Map<String, AttributeValue> item) {
        return asked == ReturnValuesOnConditionCheckFailure.ALL_OLD && !item.isEmpty() ? item : null;
    }

    private static void requireReturnValues(ReturnValue returnValues, String operation) {
        if (returnValues != null && returnValues != ReturnValue.NONE) {
            throw new UnsupportedOperationException("ReturnValues " + returnValues + " on " + operation
                    + " is not supported by the in-memory DynamoDB; only NONE (and ALL_NEW on UpdateItem)");
        }
    }

    private static void refuseCapacityReports(ReturnConsumedCapacity capacity, ReturnItemCollectionMetrics metrics) {
        if (capacity != null && capacity != ReturnConsumedCapacity.NONE
                || metrics != null && metrics != ReturnItemCollectionMetrics.NONE) {
            throw new UnsupportedOperationException(
                    "consumed capacity and item collection metrics are not reported by the in-memory DynamoDB");
        }
    }

    /** An AttributeValue sets exactly one data type, with a well-formed value. */
    private static void requireValid(AttributeValue value) {
        if (value == null || value.type() == null || value.type() == AttributeValue.Type.UNKNOWN_TO_SDK_VERSION) {
            throw DynamoDbErrors.validation("Supplied AttributeValue is empty, must contain exactly one of the"
                    + " supported datatypes");
        }
        switch (value.type()) {
            case N -> requireNumber(value.n());
            case NS -> {
                requireNonEmptySet("number", value.ns().isEmpty());
                value.ns().forEach(InMemoryDynamoDb::requireNumber);
            }
            case SS -> requireNonEmptySet("string", value.ss().isEmpty());
            case BS -> requireNonEmptySet("binary", value.bs().isEmpty());
            case L -> value.l().forEach(InMemoryDynamoDb::requireValid);
            case M -> value.m().values().forEach(InMemoryDynamoDb::requireValid);
            default -> {
                // S, B, BOOL and NUL hold any value of their type, empty strings and binaries included.
            }
        }
    }

    private static void requireNumber(String number) {
        try {
            new BigDecimal(number);
        } catch (NumberFormatException notANumber) {
            throw DynamoDbErrors.validation("The parameter cannot be converted to a numeric value: " + number);
        }
    }

    private static void requireNonEmptySet(String type, boolean empty) {
        if (empty) {
            throw DynamoDbErrors.validation("One or more parameter values were invalid: An " + type
                    + " set  may not be empty");
        }
    }

    private static void requireWithinSizeLimit(Map<String, AttributeValue> item) {
        long bytes = 0;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            bytes += utf8(attribute.getKey()) + size(attribute.getValue());
        }
        if (bytes > MAX_ITEM_BYTES) {
            throw DynamoDbErrors.validation("Item size has exceeded the maximum allowed size");
        }
    }

    /** Sizes as the developer guide counts them: UTF-8 text, numbers about a byte per two digits, 3 bytes per container. */
    private static long size(AttributeValue value) {
        return switch (value.type()) {
            case S -> utf8(value.s());
            case N -> value.n().length() / 2 + 1;
            case B -> value.b().asByteArray().length;
            case BOOL, NUL -> 1;
            case SS -> value.ss().stream().mapToLong(InMemoryDynamoDb::utf8).sum();
            case NS -> value.ns().stream().mapToLong(n -> n.length() / 2 + 1).sum();
            case BS -> value.bs().stream().mapToLong(b -> b.asByteArray().length).sum();
            case L -> 3 + value.l().stream().mapToLong(element -> 1 + size(element)).sum();
            case M -> 3 + value.m().entrySet().stream()
                    .mapToLong(entry -> 1 + utf8(entry.getKey()) + size(entry.getValue())).sum();
            default -> throw new IllegalStateException("checked by requireValid: " + value.type());
        };
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** One table: its key attribute and its items by key value. */
    private static final class Table {
        private final String partitionKey;
        private final Map<String, Map<String, AttributeValue>> items = new LinkedHashMap<>();

        Table(String partitionKey) {
            this.partitionKey = partitionKey;
        }

        /** The key value of a GetItem or UpdateItem key: exactly the partition key, a non-empty string. */
        String keyOf(Map<String, AttributeValue> key) {
            AttributeValue value = key.get(partitionKey);
            if (key.size() != 1 || value == null || value.type() != AttributeValue.Type.S) {
                throw DynamoDbErrors.validation("The provided key element does not match the schema");
            }
            return requireNonEmptyKey(value.s());
        }

        /** The key value of an item to put: it must hold the partition key, a non-empty string. */
        String keyOfItem(Map<String, AttributeValue> item) {
            AttributeValue value = item.get(partitionKey);
            if (value == null) {
                throw DynamoDbErrors.validation("One or more parameter values were invalid: Missing the key "
                        + partitionKey + " in the item");
            }
            if (value.type() != AttributeValue.Type.S) {
                throw DynamoDbErrors.validation("One or more parameter values were invalid: Type mismatch for key "
                        + partitionKey + " expected: S actual: " + value.type());
            }
            return requireNonEmptyKey(value.s());
        }

        private String requireNonEmptyKey(String value) {
            if (value.isEmpty()) {
                throw DynamoDbErrors.validation("One or more parameter values are not valid. The AttributeValue for"
                        + " a key attribute cannot contain an empty string value. Key: " + partitionKey);
            }
            return value;
        }
    }
}
