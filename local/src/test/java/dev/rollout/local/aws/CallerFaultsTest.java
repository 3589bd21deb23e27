package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import Rollout.Throttled;
import Rollout.Transient;
import dev.rollout.domain.ApprovalLinks;
import dev.rollout.handlers.Json;
import dev.rollout.handlers.Notify;
import software.amazon.awssdk.services.sns.SnsClient;

/** Faults that strike the calls of one function only, lost responses the SDK re-sends, and who calls what. */
class CallerFaultsTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-06T10:00:00Z"));
    private final InMemorySns sns = new InMemorySns(clock);
    private final String topic = sns.addTopic("rollout-notifications");
    private final Notify notify;

    CallerFaultsTest() {
        // A refusal stores no control links: the tables are there because Notify needs them, not for this test.
        InMemoryDynamoDb controls = new InMemoryDynamoDb();
        controls.addTable("rollout-controls", "key");
        controls.addTable("rollout-notices", "key");
        notify = new Notify(sns.faults().resending(SnsClient.class, sns), topic, controls,
                new Notify.Tables("rollout-controls", "rollout-notices"),
                new ApprovalLinks("https://abc123.execute-api.us-east-1.amazonaws.com/v1"), clock);
    }

    private JsonNode refusal() {
        JsonNode input = Json.object().put("phase", "refused")
                .put("executionId", "arn:aws:states:eu-west-1:123456789012:execution:rollout:orders-live-2")
                .set("request", Json.object().put("functionName", "orders"));
        return notify.handle(input);
    }

    private void publishOutsideAnyFunction() {
        sns.publish(request -> request.topicArn(topic).subject("by hand").message("hello"));
    }

    @Test
    void aFaultMeantForOneFunctionStrikesOnlyTheCallsThatFunctionMakes() {
        sns.faults().failCallsBy("Notify", "Publish", 1, SnsErrors::throttled);
        publishOutsideAnyFunction();
        assertThrows(Throttled.class, this::refusal);
        refusal();
        assertEquals(2, sns.outbox().size());
    }

    @Test
    void aPersistentFaultStrikesEveryCallOfThatFunctionAndNoOtherCall() {
        sns.faults().failCallsBy("Notify", "Publish", Integer.MAX_VALUE, SnsErrors::internalError);
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThrows(Transient.class, this::refusal);
        }
        publishOutsideAnyFunction();
        assertEquals(1, sns.outbox().size());
    }

    @Test
    void aLostResponseIsSentAgainSoTheWorkIsDoneTwiceAndTheCallerSeesTheSecondAnswer() {
        sns.faults().loseResponsesTo("Notify", "Publish", 1);
        JsonNode answer = refusal();
        assertEquals(2, sns.outbox().size());
        assertEquals(sns.outbox().get(1).messageId(), answer.path("messageId").asText());
        refusal();
        assertEquals(3, sns.outbox().size());
    }

    @Test
    void theFunctionsThatMakeEachCallAreRecordedByTheirHandlersName() {
        sns.faults().recordCallers();
        refusal();
        publishOutsideAnyFunction();
        assertEquals(Map.of("Notify", Set.of("Publish"), CallingFunction.NONE, Set.of("Publish")),
                sns.faults().callers());
    }
}
