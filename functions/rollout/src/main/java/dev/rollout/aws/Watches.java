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
 *
 * <p>The item also keeps the alarm's latest entry into ALARM ({@code lastAlarm}: when, and the event's cause), written
 * by the alarm's event before it looks for watchers. A wait that registers and then reads the item therefore either
 * sees that entry or is seen by the event: the check a wait makes before it starts costs one GetItem per alarm rather
 * than a DescribeAlarms call, a quota (9 a second) that every rollout of the account shares.
 */
public final class Watches {
    static final String ALARM_NAME = "alarmName";
    private static final String TOKEN = "token";
    private static final String EXECUTION = "executionArn";
    private static final String UNTIL = "until";
    static final String LAST_ALARM = "lastAlarm";
    private static final String AT = "at";
    private static final String CAUSE = "cause";

    /**
     * An alarm's latest entry into ALARM, as its event reported it.
     *
     * @param cause what a rollout that this entry stops fails with
     */
    public record AlarmEntry(String alarmName, Instant at, String cause) {
    }

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

    /**
     * Keeps {@code entry} as its alarm's latest entry into ALARM. Written without a condition: an older entry replaces
     * a newer one only if two entries of one alarm are handled out of order, and the health window after the wait
     * still finds the newer one in the alarm's history.
     */
    public void recordAlarm(AlarmEntry entry) {
        try {
            dynamoDb.updateItem(request -> request
                    .tableName(table)
                    .key(Map.of(ALARM_NAME, AttributeValue.fromS(entry.alarmName())))
                    .updateExpression("SET #last = :entry")
                    .expressionAttributeNames(Map.of("#last", LAST_ALARM))
                    .expressionAttributeValues(Map.of(":entry", AttributeValue.fromM(Map.of(
                            AT, AttributeValue.fromS(entry.at().toString()),
                            CAUSE, AttributeValue.fromS(entry.cause()))))));
        } catch (SdkException error) {
            throw AwsErrors.translate("UpdateItem " + entry.alarmName() + " in " + table, error);
        }
    }

    /** The entries into ALARM of {@code alarms} at or after {@code since}, as their events recorded them. */
    public List<AlarmEntry> enteredAlarmSince(List<String> alarms, Instant since) {
        List<AlarmEntry> entries = new ArrayList<>();
        for (String alarm : alarms) {
            AttributeValue last = item(alarm).get(LAST_ALARM);
            if (last != null && last.hasM()) {
                Instant at = Instant.parse(last.m().get(AT).s());
                if (!at.isBefore(since)) {
                    entries.add(new AlarmEntry(alarm, at, last.m().get(CAUSE).s()));
                }
            }
        }
        return entries;
    }

    private List<Watch> read(String alarm) {
        List<Watch> watches = new ArrayList<>();
        item(alarm).forEach((attribute, value) -> {
            if (attribute.startsWith(Watch.ATTRIBUTE_PREFIX) && value.hasM()) {
                Map<String, AttributeValue> fields = value.m();
                watches.add(new Watch(alarm, new TaskToken(fields.get(TOKEN).s()), fields.get(EXECUTION).s(),
                        Instant.parse(fields.get(UNTIL).s())));
            }
        });
        return watches;
    }

    private Map<String, AttributeValue> item(String alarm) {
        GetItemResponse response;
        try {
            response = dynamoDb.getItem(request -> request
                    .tableName(table)
                    .key(Map.of(ALARM_NAME, AttributeValue.fromS(alarm)))
                    .consistentRead(true));
        } catch (SdkException error) {
            throw AwsErrors.translate("GetItem " + alarm + " in " + table, error);
        }
        return response.hasItem() ? response.item() : Map.of();
    }
}
