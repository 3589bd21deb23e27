package dev.rollout.handlers;

import Rollout.AlarmTriggered;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.rollout.aws.Clients;
import dev.rollout.aws.TaskCallbacks;
import dev.rollout.aws.TaskClosed;
import dev.rollout.aws.Watches;
import dev.rollout.domain.AlarmStateChange;
import dev.rollout.domain.Watch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Target of the EventBridge rule on CloudWatch alarm state changes: when an alarm enters ALARM, every rollout
 * waiting while it watches that alarm (a bake, an approval) has its wait failed with {@code Rollout.AlarmTriggered},
 * which the state machine catches and rolls back. Waits already over are taken off the list; so are the ones
 * answered here. The entry is recorded under the alarm before the watchers are read, so a wait registering meanwhile
 * either is found here or finds the entry itself ({@link Bake}). Safe to repeat: EventBridge may deliver an event twice, and a second failure of a closed task is
 * refused by Step Functions and ignored here.
 */
public final class AlarmStateChanged extends TaskHandler {
    private static final String ERROR = AlarmTriggered.class.getName();

    private final Watches watches;
    private final TaskCallbacks tasks;
    private final Clock clock;

    public AlarmStateChanged() {
        this(Clients.dynamoDb(), Clients.environment("WATCH_TABLE"), Clients.sfn(), Clock.systemUTC());
    }

    public AlarmStateChanged(DynamoDbClient dynamoDb, String watchTable, SfnClient sfn, Clock clock) {
        this.watches = new Watches(dynamoDb, watchTable);
        this.tasks = new TaskCallbacks(sfn);
        this.clock = clock;
    }

    /**
     * When the alarm entered ALARM; if the event's time cannot be read, now: later than the entry, so a bake that
     * reads it refuses rather than misses it, and the waits listed already are failed all the same.
     */
    private Instant enteredAt(AlarmStateChange change) {
        try {
            return change.enteredAt();
        } catch (IllegalArgumentException unreadable) {
            return clock.instant();
        }
    }

    @Override
    public JsonNode handle(JsonNode event) {
        ObjectNode output = Json.object();
        Optional<AlarmStateChange> read = AlarmStateChange.read(event);
        if (read.isEmpty() || !read.get().entersAlarm()) {
            return output.put("ignored", read.map(change -> "alarm " + change.alarmName() + " entered "
                    + change.state() + ", not ALARM").orElse("not a CloudWatch alarm state change"));
        }
        AlarmStateChange change = read.get();
        watches.recordAlarm(new Watches.AlarmEntry(change.alarmName(), enteredAt(change), change.describe()));
        List<Watch> answered = new ArrayList<>();
        ArrayNode interrupted = output.put("alarm", change.alarmName()).putArray("interrupted");
        for (Watch watch : watches.watching(change.alarmName(), clock.instant())) {
            try {
                tasks.fail(watch.token(), ERROR, change.describe());
                interrupted.add(watch.executionArn());
            } catch (TaskClosed over) {
                // The wait ended meanwhile (its bake passed, a person answered): nothing left to interrupt.
            }
            answered.add(watch);
        }
        watches.release(change.alarmName(), answered);
        return output.put("summary", "alarm " + change.alarmName() + " entered ALARM: interrupted "
                + interrupted.size() + " waiting rollout" + (interrupted.size() == 1 ? "" : "s"));
    }
}
