package dev.rollout.handlers;

import Rollout.AlarmTriggered;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import dev.rollout.aws.Clients;
import dev.rollout.aws.HealthWindows;
import dev.rollout.aws.RolloutControls;
import dev.rollout.aws.TaskCallbacks;
import dev.rollout.aws.Watches;
import dev.rollout.domain.Control;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.TaskToken;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Starts a bake that an alarm can interrupt. The state machine's Bake states wait for their task token until
 * their TimeoutSeconds (the bake time) pass; this lists the token under each watched alarm, so that the alarm's
 * state-change event fails the wait at once ({@link AlarmStateChanged}), and then refuses to start if a watched
 * alarm entered ALARM since the last health check ({@code since}), which no event would report any more. That entry
 * is read from the alarm's item, where its event recorded it before looking for watchers: the window check before
 * this wait saw the alarms up to {@code since} through CloudWatch, so the wait itself needs no DescribeAlarms call.
 * Input from a definition that does not pass {@code since} is checked through DescribeAlarms, as before. It also
 * records the token as the wait the rollout is in, so that a person's abort or promote-now ends it at once
 * ({@link ControlPage}); a decision recorded before the bake began ends it as it begins.
 *
 * <p>Input: {@code rollout}, {@code taskToken}, {@code executionId}, {@code seconds} (the bake time),
 * {@code enteredAt} (when the state was entered, which its timeout counts from) and {@code since} (the end of the last
 * health window). Output, which Step Functions ignores while it waits: the alarms watched and until when. The token
 * is never returned or logged.
 */
public final class Bake extends TaskHandler {
    private final Watches watches;
    private final ControlDelivery controls;
    private final HealthWindows health;
    private final Clock clock;

    public Bake() {
        this(Clients.dynamoDb(), Clients.environment("WATCH_TABLE"), Clients.environment("CONTROL_TABLE"),
                Clients.sfn(), Clients.cloudWatch(), Clock.systemUTC());
    }

    public Bake(DynamoDbClient dynamoDb, String watchTable, String controlTable, SfnClient sfn,
                CloudWatchClient cloudWatch, Clock clock) {
        this.watches = new Watches(dynamoDb, watchTable);
        this.controls = new ControlDelivery(new RolloutControls(dynamoDb, controlTable), new TaskCallbacks(sfn));
        this.health = new HealthWindows(cloudWatch);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        PreparedRollout rollout = Json.read(input, "rollout", PreparedRollout.class);
        TaskToken token = new TaskToken(Json.text(input, "taskToken"));
        long seconds = input.path("seconds").asLong(-1);
        if (seconds <= 0) {
            throw new IllegalArgumentException("task input \"seconds\" must be the bake's positive TimeoutSeconds, got "
                    + input.path("seconds") + "; check the state machine's Arguments");
        }
        Instant enteredAt = input.hasNonNull("enteredAt") ? Instant.parse(Json.text(input, "enteredAt")) : clock.instant();
        Instant until = enteredAt.plusSeconds(seconds);
        String executionArn = Json.text(input, "executionId");
        // A person's abort or promote-now recorded before this wait began ends it at once.
        Optional<Control> decided = controls.beginWait(executionArn, token, until, clock.instant());
        if (decided.isPresent()) {
            return Json.object().put("until", until.toString()).put("control", decided.get().kind().wireName())
                    .put("summary", "bake ended as it began: " + decided.get().describe());
        }
        // Listen first, then look: an alarm that fires in between is caught by one or the other.
        watches.register(rollout.alarms(), token, executionArn, until, clock.instant());
        if (input.hasNonNull("since")) {
            List<Watches.AlarmEntry> entered = watches.enteredAlarmSince(rollout.alarms(),
                    Instant.parse(Json.text(input, "since")));
            if (!entered.isEmpty()) {
                throw new AlarmTriggered(entered.stream().map(Watches.AlarmEntry::cause)
                        .collect(Collectors.joining("; ")));
            }
        } else {
            health.requireNoneAlarming(rollout.alarms());
        }

        ObjectNode output = Json.object();
        output.set("watching", Json.MAPPER.valueToTree(rollout.alarms()));
        output.put("until", until.toString());
        output.put("summary", rollout.alarms().isEmpty() ? "baking until " + until + ", watching no alarm"
                : "baking until " + until + ", interrupted if " + String.join(", ", rollout.alarms()) + " enters ALARM");
        return output;
    }
}
