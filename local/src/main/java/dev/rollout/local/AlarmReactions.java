package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.rollout.handlers.AlarmStateChanged;
import dev.rollout.local.aws.EventPattern;
import dev.rollout.local.aws.InMemoryStepFunctions;
import dev.rollout.local.time.VirtualClock;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The template's reaction to alarms, run locally as it runs in AWS: the in-memory CloudWatch sends each alarm state
 * change as the event CloudWatch sends EventBridge; the EventBridge rule's pattern (read from template.yaml) decides
 * whether AlarmStateChanged gets it; and AlarmStateChanged fails the waiting tasks through SendTaskFailure of an
 * in-memory Step Functions whose task answers reach the local executor. Delivery is asynchronous, as EventBridge's:
 * the event is handed over at the instant of the change and runs as the clock's next event. A failed delivery is
 * retried as Lambda retries an asynchronous invocation (twice, a minute and then two minutes later); after that the
 * event is lost, and the end of the wait judges the alarm from its history.
 */
public final class AlarmReactions {
    private static final String TARGET_HANDLER = AlarmStateChanged.class.getName() + "::handleRequest";

    private final EventPattern pattern;
    private final AlarmStateChanged target;
    private final List<JsonNode> delivered = new ArrayList<>();
    private final VirtualClock clock;

    private AlarmReactions(EventPattern pattern, AlarmStateChanged target, VirtualClock clock) {
        this.pattern = pattern;
        this.target = target;
        this.clock = clock;
    }

    /** Wires the rule of {@code projectRoot}'s template to {@code runtime}'s CloudWatch and executions. */
    static AlarmReactions attach(Path template, LocalAws aws, ExecutorCallbacks executor) throws IOException {
        EventPattern pattern = EventPattern.of(rulePattern(template));
        InMemoryStepFunctions stepFunctions = InMemoryStepFunctions.builder(aws.clock()).account(aws.account())
                .callbackTasks(executor)
                .sharingFaultsOf(aws.stepFunctions())
                .build();
        AlarmReactions reactions = new AlarmReactions(pattern,
                new AlarmStateChanged(aws.dynamoDbApi(), aws.watchTable(),
                        stepFunctions.faults().resending(SfnClient.class, stepFunctions), aws.clock()), aws.clock());
        aws.cloudWatch().onAlarmStateChange(event ->
                aws.clock().schedule(aws.clock().instant(), () -> reactions.deliver(event)));
        return reactions;
    }

    /** The event pattern of the EventBridge rule whose target is AlarmStateChanged, as template.yaml declares it. */
    public static JsonNode rulePattern(Path template) throws IOException {
        return CloudFormationYaml.eventRulePattern(template, TARGET_HANDLER);
    }

    /** Hands {@code event} to the rule, as EventBridge does: AlarmStateChanged sees it only when the pattern matches. */
    void deliver(JsonNode event) {
        if (pattern.matches(event)) {
            synchronized (delivered) {
                delivered.add(event);
            }
            attempt(event, 1);
        }
    }

    private void attempt(JsonNode event, int attempt) {
        try {
            target.handle(event);
        } catch (RuntimeException failed) {
            if (attempt <= AsyncInvocations.RETRIES.size()) {
                clock.after(AsyncInvocations.RETRIES.get(attempt - 1), () -> attempt(event, attempt + 1));
            }
        }
    }

    /** Every event the rule passed to AlarmStateChanged, oldest first. */
    public List<JsonNode> delivered() {
        synchronized (delivered) {
            return List.copyOf(delivered);
        }
    }
}
