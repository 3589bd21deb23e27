package dev.rollout.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.rollout.domain.TaskToken;
import dev.rollout.domain.Watch;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Which waiting rollouts watch which alarm: one DynamoDB item per alarm name, holding one map attribute per
 * {@link Watch} ({@code watch_<id>}: token, execution, until). One item per alarm lets the alarm's event find every
 * watcher with a single GetItem. Each registration also removes the watches of that alarm whose waits have ended,
 * so an item holds only the waits in progress (DynamoDB items are limited to 400 KB).
 */
public final class Watches {
    static final String ALARM_NAME = "alarmName";
    private static final String TOKEN = "token";
    private static final String EXECUTION = "executionArn";
    private static final String UNTIL = "until";

    private final DynamoDbClient dynamoDb;
    private final String table;

    public Watches(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** Lists the wait of {@code token} under each alarm until {@code until}. Repeating it changes nothing. */
    public void register(List<String> alarms, TaskToken token, String executionArn, Instant until, Instant now) {
        for (String alarm : alarms) {
            Watch watch = new Watch(alarm, token, executionArn, until);
            Map<String, String> names = new HashMap<>();
            names.put("#new", Watch.ATTRIBUTE_PREFIX + watch.id());
            List<String> removals = new ArrayList<>();
            for (Watch ended : read(alarm)) {
                if (ended.endedBy(now) && !ended.id().equals(watch.id())) {
                    String placeholder = "#ended" + removals.size();
                    names.put(placeholder, Watch.ATTRIBUTE_PREFIX + ended.id());
                    removals.add(placeholder);
                }
            }
            String update = "SET #new = :watch" + (removals.isEmpty() ? "" : " REMOVE " + String.join(", ", removals));
            try {
                dynamoDb.updateItem(request -> request
                        .tableName(table)
                        .key(Map.of(ALARM_NAME, AttributeValue.fromS(alarm)))
                        .updateExpression(update)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(Map.of(":watch", AttributeValue.fromM(Map.of(
                                TOKEN, AttributeValue.fromS(token.value()),
                                EXECUTION, AttributeValue.fromS(executionArn),
                                UNTIL, AttributeValue.fromS(until.toString()))))));
            } catch (SdkException error) {
                throw AwsErrors.translateHiding("UpdateItem " + alarm + " in " + table, error, token.value());
            }
        }
    }

    /** The waits listed under {@code alarm} that have not ended by {@code now}. */
    public List<Watch> watching(String alarm, Instant now) {
        return read(alarm).stream().filter(watch -> !watch.endedBy(now)).toList();
    }

    /** Takes {@code watches} of one alarm off its list: their waits were interrupted or are over. */
    public void release(String alarm, List<Watch> watches) {
        if (watches.isEmpty()) {
            return;
        }
        Map<String, String> names = new HashMap<>();
        for (Watch watch : watches) {
            names.put("#w" + names.size(), Watch.ATTRIBUTE_PREFIX + watch.id());
        }
        try {
            dynamoDb.updateItem(request -> request
                    .tableName(table)
                    .key(Map.of(ALARM_NAME, AttributeValue.fromS(alarm)))
                    .updateExpression("REMOVE " + String.join(", ", names.keySet()))
                    .expressionAttributeNames(names));
        } catch (SdkException error) {
            throw AwsErrors.translate("UpdateItem " + alarm + " in " + table, error);
        }
    }

    private List<Watch> read(String alarm) {
        GetItemResponse response;
        try {
            response = dynamoDb.getItem(request -> request
                    .tableName(table)
                    .key(Map.of(ALARM_NAME, AttributeValue.fromS(alarm)))
                    .consistentRead(true));
        } catch (SdkException error) {
            throw AwsErrors.translate("GetItem " + alarm + " in " + table, error);
        }
        List<Watch> watches = new ArrayList<>();
        if (response.hasItem()) {
            response.item().forEach((attribute, value) -> {
                if (attribute.startsWith(Watch.ATTRIBUTE_PREFIX) && value.hasM()) {
                    Map<String, AttributeValue> fields = value.m();
                    watches.add(new Watch(alarm, new TaskToken(fields.get(TOKEN).s()), fields.get(EXECUTION).s(),
                            Instant.parse(fields.get(UNTIL).s())));
                }
            });
        }
        return watches;
    }
}
