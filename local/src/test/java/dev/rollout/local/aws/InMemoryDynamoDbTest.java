package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.rollout.local.aws.AwsAssertions.assertAwsError;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

class InMemoryDynamoDbTest {

    private final InMemoryDynamoDb dynamoDb = new InMemoryDynamoDb();

    InMemoryDynamoDbTest() {
        dynamoDb.addTable("approvals", "reference");
        dynamoDb.putItem(r -> r.tableName("approvals").item(Map.of("reference", s("r1"), "status", s("PENDING"),
                "attempts", n("1"))));
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    private Map<String, AttributeValue> item(String reference) {
        return dynamoDb.getItem(r -> r.tableName("approvals").key(Map.of("reference", s(reference)))).item();
    }

    private void decide(String reference, String status, String decider) {
        dynamoDb.updateItem(r -> r.tableName("approvals").key(Map.of("reference", s(reference)))
                .updateExpression("SET #status = :status, #decider = :decider")
                .conditionExpression("#status = :pending")
                .expressionAttributeNames(Map.of("#status", "status", "#decider", "decider"))
                .expressionAttributeValues(Map.of(":status", s(status), ":decider", s(decider),
                        ":pending", s("PENDING")))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    }

    @Test
    void aConditionalUpdateAppliesOnceAndTheSecondFailsWithTheItemAsItStands() {
        decide("r1", "APPROVED", "Ana");

        ConditionalCheckFailedException second = assertAwsError(ConditionalCheckFailedException.class, 400,
                "ConditionalCheckFailedException", () -> decide("r1", "REJECTED", "Bo"));

        assertEquals("The conditional request failed", second.awsErrorDetails().errorMessage());
        assertEquals(s("APPROVED"), second.item().get("status"));
        assertEquals(s("Ana"), second.item().get("decider"));
        assertEquals(s("Ana"), item("r1").get("decider"));
    }

    @Test
    void aFailedConditionReturnsNoItemUnlessAskedTo() {
        decide("r1", "APPROVED", "Ana");

        ConditionalCheckFailedException failed = assertThrows(ConditionalCheckFailedException.class,
                () -> dynamoDb.updateItem(r -> r.tableName("approvals").key(Map.of("reference", s("r1")))
                        .updateExpression("SET #status = :s").conditionExpression("#status = :s")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":s", s("PENDING")))));

        assertFalse(failed.hasItem());
    }

    @Test
    void removeDeletesAttributesAndSetAddsThem() {
        dynamoDb.updateItem(r -> r.tableName("approvals").key(Map.of("reference", s("r1")))
                .updateExpression("REMOVE #attempts SET #status = :expired")
                .expressionAttributeNames(Map.of("#attempts", "attempts", "#status", "status"))
                .expressionAttributeValues(Map.of(":expired", s("EXPIRED"))));

        assertEquals(Map.of("reference", s("r1"), "status", s("EXPIRED")), item("r1"));
    }

    @Test
    void conditionsJoinWithAndCompareNumbersByValueAndTestAbsence() {
        dynamoDb.updateItem(r -> r.tableName("approvals").key(Map.of("reference", s("r1")))
                .updateExpression("SET #status = :next")
                .conditionExpression("#status = :pending AND #attempts = :one and attribute_not_exists(#decider)")
                .expressionAttributeNames(Map.of("#status", "status", "#attempts", "attempts", "#decider", "decider"))
                .expressionAttributeValues(Map.of(":next", s("APPROVED"), ":pending", s("PENDING"),
                        ":one", n("1.0"))));

        assertEquals(s("APPROVED"), item("r1").get("status"));
    }

    @Test
    void putWithAttributeNotExistsRefusesToOverwrite() {
        assertThrows(ConditionalCheckFailedException.class, () -> dynamoDb.putItem(r -> r.tableName("approvals")
                .item(Map.of("reference", s("r1"), "status", s("NEW")))
                .conditionExpression("attribute_not_exists(#reference)")
                .expressionAttributeNames(Map.of("#reference", "reference"))));

        assertEquals(s("PENDING"), item("r1").get("status"));
    }

    @Test
    void aMissingItemReadsAsNoneAndFailsAnEqualityCondition() {
        assertTrue(dynamoDb.getItem(r -> r.tableName("approvals").key(Map.of("reference", s("nope")))).item()
                .isEmpty());
        assertThrows(ConditionalCheckFailedException.class, () -> decide("nope", "APPROVED", "Ana"));
        assertEquals(1, dynamoDb.items("approvals").size(), "a failed update creates nothing");
    }

    @Test
    void placeholdersMustBeDefinedAndUsed() {
        DynamoDbException undefined = assertAwsError(DynamoDbException.class, 400, "ValidationException",
                () -> dynamoDb.updateItem(r -> r.tableName("approvals").key(Map.of("reference", s("r1")))
                        .updateExpression("SET #status = :s")
                        .expressionAttributeValues(Map.of(":s", s("X")))));
        assertTrue(undefined.getMessage().contains("attribute name: #status"), undefined.getMessage());

        DynamoDbException unused = assertAwsError(DynamoDbException.class, 400, "ValidationException",
                () -> dynamoDb.updateItem(r -> r.tableName("approvals").key(Map.of("reference", s("r1")))
                        .updateExpression("SET #status = :s")
                        .expressionAttributeNames(Map.of("#status", "status", "#extra", "extra"))
                        .expressionAttributeValues(Map.of(":s", s("X"), ":unused", s("Y")))));
        assertTrue(unused.getMessage().contains("unused in expressions: keys: {#extra}"), unused.getMessage());
        assertEquals(s("PENDING"), item("r1").get("status"), "a refused request changes nothing");
    }

    @Test
    void theKeyCannotBeUpdatedNorAPathTouchedTwice() {
        DynamoDbException key = assertAwsError(DynamoDbException.class, 400, "ValidationException",
                () -> dynamoDb.updateItem(r -> r.tableName("approvals").key(Map.of("reference", s("r1")))
                        .updateExpression("SET #reference = :r")
                        .expressionAttributeNames(Map.of("#reference", "reference"))
                        .expressionAttributeValues(Map.of(":r", s("r2")))));
        assertTrue(key.getMessage().contains("This attribute is part of the key"), key.getMessage());

        DynamoDbException twice = assertAwsError(DynamoDbException.class, 400, "ValidationException",
                () -> dynamoDb.updateItem(r -> r.tableName("approvals").key(Map.of("reference", s("r1")))
                        .updateExpression("SET #status = :s REMOVE #status")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":s", s("X")))));
        assertTrue(twice.getMessage().contains("Two document paths overlap"), twice.getMessage());
    }

    @Test
    void keysMustMatchTheSchema() {
        assertAwsError(DynamoDbException.class, 400, "ValidationException",
                () -> dynamoDb.getItem(r -> r.tableName("approvals").key(Map.of("id", s("r1")))));
        assertAwsError(DynamoDbException.class, 400, "ValidationException",
                () -> dynamoDb.getItem(r -> r.tableName("approvals").key(Map.of("reference", n("1")))));
        assertAwsError(DynamoDbException.class, 400, "ValidationException",
                () -> dynamoDb.putItem(r -> r.tableName("approvals").item(Map.of("status", s("PENDING")))));
        assertAwsError(DynamoDbException.class, 400, "ValidationException",
                () -> dynamoDb.putItem(r -> r.tableName("approvals").item(Map.of("reference", s("")))));
        assertAwsError(ResourceNotFoundException.class, 400, "ResourceNotFoundException",
                () -> dynamoDb.getItem(r -> r.tableName("other").key(Map.of("reference", s("r1")))));
    }

    @Test
    void anItemOver400KbIsRefused() {
        DynamoDbException tooBig = assertAwsError(DynamoDbException.class, 400, "ValidationException",
                () -> dynamoDb.putItem(r -> r.tableName("approvals")
                        .item(Map.of("reference", s("big"), "blob", s("x".repeat(400 * 1024))))));
        assertEquals("Item size has exceeded the maximum allowed size", tooBig.awsErrorDetails().errorMessage());
    }

    @Test
    void expressionFormsItDoesNotModelAreRefusedByNameNotIgnored() {
        UnsupportedOperationException or = assertThrows(UnsupportedOperationException.class,
                () -> dynamoDb.updateItem(r -> r.tableName("approvals").key(Map.of("reference", s("r1")))
                        .updateExpression("SET #status = :s")
                        .conditionExpression("#status = :s OR attribute_not_exists(#status)")
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":s", s("X")))));
        assertTrue(or.getMessage().contains("does not understand \"OR\""), or.getMessage());

        UnsupportedOperationException add = assertThrows(UnsupportedOperationException.class,
                () -> dynamoDb.updateItem(r -> r.tableName("approvals").key(Map.of("reference", s("r1")))
                        .updateExpression("ADD #attempts :one")
                        .expressionAttributeNames(Map.of("#attempts", "attempts"))
                        .expressionAttributeValues(Map.of(":one", n("1")))));
        assertTrue(add.getMessage().contains("SET #name = :value"), add.getMessage());

        assertThrows(UnsupportedOperationException.class,
                () -> dynamoDb.updateItem(r -> r.tableName("approvals").key(Map.of("reference", s("r1")))
                        .updateExpression("SET #attempts = #attempts + :one")
                        .expressionAttributeNames(Map.of("#attempts", "attempts"))
                        .expressionAttributeValues(Map.of(":one", n("1")))));
        assertThrows(UnsupportedOperationException.class,
                () -> dynamoDb.updateItem(r -> r.tableName("approvals").key(Map.of("reference", s("r1")))
                        .updateExpression("SET #status = :s").returnValues(ReturnValue.ALL_OLD)
                        .expressionAttributeNames(Map.of("#status", "status"))
                        .expressionAttributeValues(Map.of(":s", s("X")))));
        assertEquals(s("PENDING"), item("r1").get("status"));
    }

    @Test
    void anUpdateAskingForAllNewGetsTheWholeItemAsWritten() {
        Map<String, AttributeValue> written = dynamoDb.updateItem(r -> r.tableName("approvals")
                .key(Map.of("reference", s("r1")))
                .updateExpression("SET #status = :s").returnValues(ReturnValue.ALL_NEW)
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":s", s("DECIDED")))).attributes();
        assertEquals(item("r1"), written);
        assertEquals(s("DECIDED"), written.get("status"));
        assertEquals(s("r1"), written.get("reference"));
    }

    @Test
    void aSyntaxErrorIsAValidationError() {
        DynamoDbException error = assertAwsError(DynamoDbException.class, 400, "ValidationException",
                () -> dynamoDb.updateItem(r -> r.tableName("approvals").key(Map.of("reference", s("r1")))
                        .updateExpression("SET #status =")
                        .expressionAttributeNames(Map.of("#status", "status"))));
        assertTrue(error.getMessage().contains("Syntax error"), error.getMessage());
    }

    @Test
    void injectedFaultsFailTheNextCallsAndChangeNothing() {
        dynamoDb.faults().failNext("UpdateItem", 1, DynamoDbErrors::throttled);

        ProvisionedThroughputExceededException throttled = assertThrows(
                ProvisionedThroughputExceededException.class, () -> decide("r1", "APPROVED", "Ana"));

        assertTrue(throttled.isThrottlingException(), "the SDK must see throttling, so callers retry");
        assertEquals(s("PENDING"), item("r1").get("status"));
        decide("r1", "APPROVED", "Ana");
        assertEquals(2, dynamoDb.faults().calls("UpdateItem"));
        assertEquals(s("APPROVED"), item("r1").get("status"));
    }
}
