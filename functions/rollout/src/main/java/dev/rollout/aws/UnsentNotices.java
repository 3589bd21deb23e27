package dev.rollout.aws;

import static dev.rollout.aws.ApprovalItems.s;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import dev.rollout.domain.Notice;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Notices of how a rollout ended that SNS refused, kept in the template's {@code NoticeTable} (a service that does not
 * fail with SNS) until the sweeper publishes them. One item per execution and phase, so a retry that keeps the same
 * notice again overwrites it.
 */
public final class UnsentNotices {
    static final String KEY = "key";
    static final String EXECUTION = "executionArn";
    static final String PHASE = "phase";
    static final String SUBJECT = "subject";
    static final String BODY = "body";
    static final String ATTRIBUTES = "attributes";
    static final String KEPT_AT = "keptAt";
    static final String SENT = "sent";
    /** The table's time to live, in epoch seconds: a notice nobody could send in two weeks is history. */
    static final String PURGE_AT = "purgeAt";
    static final Duration KEPT = Duration.ofDays(14);

    private final DynamoDbClient dynamoDb;
    private final String table;

    /** A notice kept unsent: whose execution, which ending, and what it says. */
    public record Unsent(String executionArn, String phase, Notice notice, Instant keptAt) {
    }

    public UnsentNotices(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** Keeps {@code notice}, which SNS refused, for the sweeper to publish once the execution has ended. */
    public void keep(String executionArn, String phase, Notice notice, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, s(key(executionArn, phase)));
        item.put(EXECUTION, s(executionArn));
        item.put(PHASE, s(phase));
        item.put(SUBJECT, s(notice.subject()));
        item.put(BODY, s(notice.body()));
        item.put(ATTRIBUTES, AttributeValue.fromM(notice.attributes().entrySet().stream()
                // Publishing drops attributes without a value (SNS refuses them): nothing to keep of those.
                .filter(entry -> entry.getValue() != null && !entry.getValue().isEmpty())
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> s(entry.getValue())))));
        item.put(KEPT_AT, s(now.toString()));
        item.put(PURGE_AT, AttributeValue.fromN(Long.toString(now.plus(KEPT).getEpochSecond())));
        try {
            dynamoDb.putItem(request -> request.tableName(table).item(item));
        } catch (SdkException error) {
            throw AwsErrors.translate("PutItem in " + table, error);
        }
    }

    /**
     * Records that the notice of {@code executionArn}'s {@code phase} went out after all. Nothing happens when none was
     * kept.
     */
    public void sent(String executionArn, String phase) {
        try {
            dynamoDb.updateItem(request -> request.tableName(table)
                    .key(Map.of(KEY, s(key(executionArn, phase))))
                    .updateExpression("SET #sent = :sent")
                    .conditionExpression("#execution = :execution")
                    .expressionAttributeNames(Map.of("#sent", SENT, "#execution", EXECUTION))
                    .expressionAttributeValues(Map.of(":sent", AttributeValue.fromBool(true),
                            ":execution", s(executionArn))));
        } catch (ConditionalCheckFailedException noneKept) {
            // The attempt before failed for another reason than SNS: there is nothing to mark.
        } catch (SdkException error) {
            throw AwsErrors.translate("UpdateItem in " + table, error);
        }
    }

    /** Every notice kept and not sent yet. */
    public List<Unsent> unsent() {
        return TableCalls.scan(dynamoDb, table, "attribute_not_exists(#sent)", Map.of("#sent", SENT), Map.of())
                .stream().map(UnsentNotices::unsent).toList();
    }

    private static Unsent unsent(Map<String, AttributeValue> item) {
        Map<String, String> attributes = item.getOrDefault(ATTRIBUTES, AttributeValue.fromM(Map.of())).m().entrySet()
                .stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().s()));
        return new Unsent(item.get(EXECUTION).s(), item.get(PHASE).s(),
                new Notice(item.get(SUBJECT).s(), item.get(BODY).s(), attributes), Instant.parse(item.get(KEPT_AT).s()));
    }

    private static String key(String executionArn, String phase) {
        return executionArn + "#" + phase;
    }
}
