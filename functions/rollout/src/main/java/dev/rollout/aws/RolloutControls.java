package dev.rollout.aws;

import static dev.rollout.aws.ApprovalItems.s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.rollout.domain.Control;
import dev.rollout.domain.ControlLink;
import dev.rollout.domain.Reference;
import dev.rollout.domain.TaskToken;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The rollouts' controls in the ControlTable, two kinds of item under the key {@value #KEY}:
 * <ul>
 *   <li>{@code link#<reference>}: what a control link leads to ({@link ControlLink}), written once with the
 *   "started" notice;</li>
 *   <li>{@code rollout#<execution ARN>}: the wait the rollout is in (its task token and until when), written by each
 *   wait as it begins, and the rollout's one {@link Control} decision, with whether Step Functions has it.</li>
 * </ul>
 * A decision and a wait meet on the one rollout item, each written atomically with the item returned as written:
 * whichever comes second sees the other, so a decision finds the wait in progress, or the next wait finds the
 * decision, and none is missed between two waits.
 */
public final class RolloutControls {
    static final String KEY = "key";
    static final String DELIVERY = "delivery";
    static final String UNDELIVERED = "PENDING";
    static final String DELIVERED = "DELIVERED";
    private static final String EXECUTION = "executionArn";
    private static final String WAIT_TOKEN = "waitToken";
    private static final String WAIT_UNTIL = "waitUntil";
    private static final String CONTROL = "control";
    private static final String DECIDER = "decider";
    private static final String REASON = "reason";
    private static final String DECIDED_AT = "decidedAt";
    private static final String PURGE_AT = "purgeAt";

    /**
     * A rollout's controls as last written.
     *
     * @param waiting   the task token of the wait the rollout is in or was last in, and until when it waits
     * @param delivered whether Step Functions has received {@code decision}
     */
    public record State(String executionArn, Optional<Control> decision, boolean delivered,
                        Optional<TaskToken> waiting, Optional<Instant> waitUntil) {
        /** The token of a wait still in progress at {@code now}; a wait past its time has ended. */
        public Optional<TaskToken> waitingAt(Instant now) {
            return waitUntil.filter(now::isBefore).flatMap(until -> waiting);
        }

        public boolean awaitsDelivery() {
            return decision.isPresent() && !delivered;
        }
    }

    /** Someone decided this rollout's control before: their decision stands. */
    public static final class AlreadyDecided extends RuntimeException {
        private final transient State current;

        AlreadyDecided(State current, Throwable cause) {
            super("the rollout " + current.executionArn() + " was " + current.decision().map(Control::describe)
                    .orElse("decided") + " before", cause);
            this.current = current;
        }

        public State current() {
            return current;
        }
    }

    private final DynamoDbClient dynamoDb;
    private final String table;

    public RolloutControls(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = dynamoDb;
        this.table = table;
    }

    /** Stores where {@code link} leads. References are random, so one that exists already means a bug. */
    public void open(ControlLink link) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, s(linkKey(link.reference())));
        item.put(EXECUTION, s(link.executionArn()));
        item.put("target", s(TargetJson.write(link.target())));
        item.put("fromVersion", s(link.fromVersion()));
        item.put("toVersion", s(link.toVersion()));
        item.put("strategy", s(link.strategy()));
        item.put("startedAt", s(link.startedAt().toString()));
        item.put(PURGE_AT, AttributeValue.fromN(Long.toString(link.purgeAt().getEpochSecond())));
        try {
            dynamoDb.putItem(request -> request
                    .tableName(table)
                    .item(item)
                    .conditionExpression("attribute_not_exists(#key)")
                    .expressionAttributeNames(Map.of("#key", KEY))
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
        } catch (ConditionalCheckFailedException taken) {
            if (item.equals(taken.item())) {
                return; // this very write, re-sent by the SDK after its first response was lost
            }
            throw new IllegalStateException("control reference " + link.reference().abbreviated()
                    + " is already in use", taken);
        } catch (SdkException error) {
            throw AwsErrors.translate("PutItem in " + table, error);
        }
    }

    /** Where a link leads, if it leads anywhere. */
    public Optional<ControlLink> find(Reference reference) {
        return get(linkKey(reference)).map(item -> new ControlLink(reference, text(item, EXECUTION),
                TargetJson.read(text(item, "target")), text(item, "fromVersion"), text(item, "toVersion"),
                text(item, "strategy"), Instant.parse(text(item, "startedAt"))));
    }

    /** The rollout's controls now: no decision and no wait when nothing was written for it yet. */
    public State read(String executionArn) {
        return get(rolloutKey(executionArn)).map(RolloutControls::state)
                .orElseGet(() -> new State(executionArn, Optional.empty(), false, Optional.empty(), Optional.empty()));
    }

    /**
     * Records that the rollout waits for {@code token} until {@code until}, and returns its controls as written: a
     * decision already recorded is the wait's to act on.
     */
    public State waitFor(String executionArn, TaskToken token, Instant until, Instant purgeAt) {
        try {
            UpdateItemResponse response = dynamoDb.updateItem(request -> request
                    .tableName(table)
                    .key(Map.of(KEY, s(rolloutKey(executionArn))))
                    .updateExpression("SET #execution = :execution, #token = :token, #until = :until, #purge = :purge")
                    .expressionAttributeNames(Map.of("#execution", EXECUTION, "#token", WAIT_TOKEN,
                            "#until", WAIT_UNTIL, "#purge", PURGE_AT))
                    .expressionAttributeValues(Map.of(":execution", s(executionArn), ":token", s(token.value()),
                            ":until", s(until.toString()),
                            ":purge", AttributeValue.fromN(Long.toString(purgeAt.getEpochSecond()))))
                    .returnValues(ReturnValue.ALL_NEW));
            return state(response.attributes());
        } catch (SdkException error) {
            throw AwsErrors.translateHiding("UpdateItem in " + table, error, token.value());
        }
    }

    /**
     * Records {@code control} as the rollout's decision, not yet delivered, and returns its controls as written, with
     * the wait in progress to deliver it to. Recording the same decision twice is one recording (the SDK re-sends a
     * write whose response was lost): the re-sent write finds it and this returns it, to be delivered.
     *
     * @throws AlreadyDecided when someone else decided first
     */
    public State decide(String executionArn, Control control, Instant purgeAt) {
        try {
            UpdateItemResponse response = dynamoDb.updateItem(request -> request
                    .tableName(table)
                    .key(Map.of(KEY, s(rolloutKey(executionArn))))
                    .updateExpression("SET #execution = :execution, #control = :control, #decider = :decider,"
                            + " #reason = :reason, #decidedAt = :decidedAt, #delivery = :delivery, #purge = :purge")
                    .conditionExpression("attribute_not_exists(#control)")
                    .expressionAttributeNames(Map.of("#execution", EXECUTION, "#control", CONTROL,
                            "#decider", DECIDER, "#reason", REASON, "#decidedAt", DECIDED_AT, "#delivery", DELIVERY,
                            "#purge", PURGE_AT))
                    .expressionAttributeValues(Map.of(":execution", s(executionArn),
                            ":control", s(control.kind().wireName()), ":decider", s(control.by()),
                            ":reason", s(control.reason()), ":decidedAt", s(control.at().toString()),
                            ":delivery", s(UNDELIVERED),
                            ":purge", AttributeValue.fromN(Long.toString(purgeAt.getEpochSecond()))))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
            return state(response.attributes());
        } catch (ConditionalCheckFailedException taken) {
            State current = taken.hasItem() && !taken.item().isEmpty() ? state(taken.item()) : read(executionArn);
            if (current.decision().filter(control::equals).isPresent()) {
                return current;
            }
            throw new AlreadyDecided(current, taken);
        } catch (SdkException error) {
            throw AwsErrors.translate("UpdateItem in " + table, error);
        }
    }

    /** Records that Step Functions has received {@code control}. Someone else recording it first is fine. */
    public void delivered(String executionArn, Control control) {
        try {
            dynamoDb.updateItem(request -> request
                    .tableName(table)
                    .key(Map.of(KEY, s(rolloutKey(executionArn))))
                    .updateExpression("SET #delivery = :delivered")
                    .conditionExpression("#decidedAt = :decidedAt")
                    .expressionAttributeNames(Map.of("#delivery", DELIVERY, "#decidedAt", DECIDED_AT))
                    .expressionAttributeValues(Map.of(":delivered", s(DELIVERED),
                            ":decidedAt", s(control.at().toString()))));
        } catch (ConditionalCheckFailedException other) {
            throw new IllegalStateException("the rollout " + executionArn + " holds no decision made at "
                    + control.at(), other);
        } catch (SdkException error) {
            throw AwsErrors.translate("UpdateItem in " + table, error);
        }
    }

    /** The decisions Step Functions may not have yet: what the sweeper delivers. The table stays small (TTL). */
    public List<State> awaitingDelivery() {
        List<State> found = new ArrayList<>();
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
            page.items().forEach(item -> found.add(state(item)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return found;
    }

    private Optional<Map<String, AttributeValue>> get(String key) {
        GetItemResponse response;
        try {
            // Strongly consistent: a page read right after a decision must show it.
            response = dynamoDb.getItem(request -> request
                    .tableName(table)
                    .key(Map.of(KEY, s(key)))
                    .consistentRead(true));
        } catch (SdkException error) {
            throw AwsErrors.translate("GetItem in " + table, error);
        }
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }

    private static State state(Map<String, AttributeValue> item) {
        Optional<Control> decision = Optional.ofNullable(item.get(CONTROL)).map(kind -> new Control(
                Control.Kind.parse(kind.s()).orElseThrow(() -> new IllegalStateException(
                        "control item holds an unknown control " + kind.s())),
                text(item, DECIDER), text(item, REASON), Instant.parse(text(item, DECIDED_AT))));
        return new State(text(item, EXECUTION), decision,
                decision.isPresent() && item.containsKey(DELIVERY) && DELIVERED.equals(item.get(DELIVERY).s()),
                Optional.ofNullable(item.get(WAIT_TOKEN)).map(token -> new TaskToken(token.s())),
                Optional.ofNullable(item.get(WAIT_UNTIL)).map(until -> Instant.parse(until.s())));
    }

    private static String linkKey(Reference reference) {
        return "link#" + reference.value();
    }

    private static String rolloutKey(String executionArn) {
        return "rollout#" + executionArn;
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        if (value == null || value.s() == null) {
            throw new IllegalStateException("control item lacks the text attribute " + name);
        }
        return value.s();
    }
}
