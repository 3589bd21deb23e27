package dev.rollout.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.DependencyFailed;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import dev.rollout.domain.ApprovalLinks;
import dev.rollout.local.aws.InMemoryDynamoDb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.rollout.domain.MetricRules;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Target;
import dev.rollout.handlers.Json;
import dev.rollout.handlers.Notify;
import software.amazon.awssdk.services.sns.model.NotFoundException;

/**
 * Notify publishing to moto's SNS. What arrived is read back from moto's backend state
 * ({@code GET /moto-api/data.json}: each topic's {@code sent_notifications}, as
 * {@code [messageId, message, subject, attributes, groupId]}).
 *
 * <p>No Lambda function exists in this account on purpose: without Docker, moto's data.json fails
 * (HTTP 500, DockerException) as soon as one does, so the rollout is written here rather than prepared.
 */
class NotifyOverHttpTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();

    private String topicArn;
    private Notify notify;

    @BeforeEach
    void topic() {
        topicArn = MOTO.sns().createTopic(request -> request.name("rollouts")).topicArn();
        notify = notify(topicArn);
    }

    /**
     * Notify on moto's SNS; the endings published here store no control links and keep no unsent notices, so no
     * DynamoDB call is made.
     */
    private static Notify notify(String topic) {
        InMemoryDynamoDb unused = new InMemoryDynamoDb();
        unused.addTable("rollout-controls", "key");
        unused.addTable("rollout-notices", "key");
        return new Notify(MOTO.sns(), topic, unused, new Notify.Tables("rollout-controls", "rollout-notices"),
                new ApprovalLinks("https://abc123.execute-api.us-east-1.amazonaws.com/v1"), Clock.systemUTC());
    }

    private static ObjectNode promoted() {
        PreparedRollout rollout = new PreparedRollout(new Target.LambdaAlias(MotoWorld.FUNCTION, MotoWorld.ALIAS), "1", "2",
                "Canary10Percent5Minutes", List.of(), List.of(MotoWorld.ALARM), null, "2026-11-22T10:00:00Z", 0,
                MetricRules.DEFAULTS);
        ObjectNode input = Json.object();
        input.put("phase", "PROMOTED");
        input.set("rollout", Json.MAPPER.valueToTree(rollout));
        input.put("executionId", MotoWorld.EXECUTION);
        return input;
    }

    /** The notifications moto's SNS accepted for {@code topicArn}, oldest first. */
    private List<JsonNode> sent(String topicArn) throws IOException {
        JsonNode topics = Json.MAPPER.readTree(MOTO.motoApi("/moto-api/data.json")).path("sns").path("Topic");
        List<JsonNode> messages = new ArrayList<>();
        for (JsonNode topic : topics) {
            if (topic.path("arn").asText().equals(topicArn)) {
                topic.path("sent_notifications").forEach(messages::add);
            }
        }
        return messages;
    }

    @Test
    void aPromotionIsPublishedWithItsSubjectBodyAndFilterAttributes() throws IOException {
        JsonNode output = notify.handle(promoted());
        List<JsonNode> sent = sent(topicArn);
        assertEquals(1, sent.size(), sent::toString);
        JsonNode message = sent.get(0);
        assertEquals(output.path("messageId").asText(), message.get(0).asText(), "Publish returns the MessageId");
        assertFalse(output.path("messageId").asText().isBlank());
        assertTrue(message.get(1).asText().contains("details/" + MotoWorld.EXECUTION), message.get(1).asText());
        assertEquals("Rollout promoted: orders:live 1 -> 2", message.get(2).asText());
        JsonNode attributes = message.get(3);
        assertEquals("PROMOTED", attributes.at("/phase/Value").asText(), attributes.toString());
        assertEquals("String", attributes.at("/phase/Type").asText(), attributes.toString());
        assertEquals("orders", attributes.at("/function/Value").asText(), attributes.toString());
        assertEquals("live", attributes.at("/alias/Value").asText(), attributes.toString());
    }

    @Test
    void aSubjectLongerThanSnsAllowsIsShortenedAndAccepted() throws IOException {
        // moto, like SNS, refuses a Subject over 100 characters; an alias name may be up to 128.
        ObjectNode input = promoted();
        ((ObjectNode) input.at("/rollout/target")).put("alias", "a".repeat(128));
        notify.handle(input);
        String subject = sent(topicArn).get(0).get(2).asText();
        assertEquals(100, subject.length(), subject);
        assertTrue(subject.endsWith("..."), subject);
    }

    @Test
    void aRefusalOfARequestWithAnEmptyFunctionNameIsStillPublished() throws IOException {
        // SNS (and moto) refuse a message attribute with an empty value with 400 InvalidParameter.
        ObjectNode input = Json.object();
        input.put("phase", "REFUSED");
        input.set("request", Json.MAPPER.readTree("{\"functionName\": \"\", \"targetVersion\": \"2\"}"));
        input.putObject("failure").put("Error", "Rollout.InvalidInput")
                .put("Cause", "{\"errorMessage\":\"Invalid rollout input: functionName: must not be empty\"}");
        input.put("executionId", MotoWorld.EXECUTION);
        notify.handle(input);
        JsonNode message = sent(topicArn).get(0);
        assertTrue(message.get(1).asText().contains("functionName: must not be empty"), message.get(1).asText());
        assertEquals("REFUSED", message.get(3).at("/phase/Value").asText(), message.toString());
        assertEquals("(no functionName)", message.get(3).at("/function/Value").asText(), message.toString());
    }

    @Test
    void publishingToATopicThatDoesNotExistFailsForGoodWithSnsNotFoundAsCause() {
        Notify nowhere = notify(topicArn + "-deleted");
        DependencyFailed failed = assertThrows(DependencyFailed.class, () -> nowhere.handle(promoted()));
        assertTrue(failed.getMessage().startsWith("Publish to " + topicArn + "-deleted failed"),
                failed.getMessage());
        NotFoundException notFound = assertInstanceOf(NotFoundException.class, failed.getCause());
        assertEquals(404, notFound.statusCode());
        assertEquals("NotFound", notFound.awsErrorDetails().errorCode());
    }
}
