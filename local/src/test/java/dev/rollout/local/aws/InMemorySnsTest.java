package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.rollout.local.aws.AwsAssertions.assertAwsError;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;

class InMemorySnsTest {

    private static final Instant NOW = Instant.parse("2025-01-06T10:00:00Z");

    private final ManualClock clock = new ManualClock(NOW);
    private final InMemorySns sns = new InMemorySns(clock);
    private final String topic = sns.addTopic("rollouts");

    @Test
    void aTopicArnIsBuiltFromTheAccountAndCreatingItAgainReturnsTheSameArn() {
        assertEquals("arn:aws:sns:us-east-1:123456789012:rollouts", topic);
        assertEquals(topic, sns.createTopic(r -> r.name("rollouts")).topicArn());
    }

    @Test
    void publishedMessagesReachTheOutboxInOrderWithTheirAttributesAndTime() {
        String other = sns.addTopic("audit");
        String first = sns.publish(r -> r.topicArn(topic).subject("Rollout started").message("orders 1 -> 2")
                .messageAttributes(Map.of("function", text("orders")))).messageId();
        clock.advance(Duration.ofMinutes(1));
        sns.publish(r -> r.topicArn(other).message("audit entry"));
        sns.publish(r -> r.topicArn(topic).message("orders rolled back"));

        List<PublishedMessage> outbox = sns.outbox();

        assertEquals(List.of("orders 1 -> 2", "audit entry", "orders rolled back"),
                outbox.stream().map(PublishedMessage::message).toList());
        assertEquals(first, outbox.get(0).messageId());
        assertEquals("Rollout started", outbox.get(0).subject());
        assertEquals(Map.of("function", text("orders")), outbox.get(0).messageAttributes());
        assertEquals(NOW, outbox.get(0).timestamp());
        assertNull(outbox.get(2).subject());
        assertEquals(NOW.plus(Duration.ofMinutes(1)), outbox.get(2).timestamp());
        assertEquals(List.of("orders 1 -> 2", "orders rolled back"),
                sns.outbox(topic).stream().map(PublishedMessage::message).toList());
    }

    @Test
    void publishingToATopicThatDoesNotExistIsNotFound() {
        NotFoundException error = assertAwsError(NotFoundException.class, 404, "NotFound",
                () -> sns.publish(r -> r.topicArn("arn:aws:sns:us-east-1:123456789012:missing").message("hi")));
        assertEquals("Topic does not exist", error.awsErrorDetails().errorMessage());
        assertTrue(sns.outbox().isEmpty());
    }

    @Test
    void aMalformedTopicArnIsAnInvalidParameter() {
        assertInvalid("Invalid parameter: TopicArn", () -> sns.publish(r -> r.topicArn("rollouts").message("hi")));
    }

    @Test
    void aSubjectWithALineBreakIsRefused() {
        assertInvalid("Invalid parameter: Subject",
                () -> sns.publish(r -> r.topicArn(topic).subject("Rollout\nfailed").message("hi")));
    }

    @Test
    void aSubjectMayHave100CharactersButNot101() {
        sns.publish(r -> r.topicArn(topic).subject("s".repeat(100)).message("hi"));

        assertInvalid("Invalid parameter: Subject",
                () -> sns.publish(r -> r.topicArn(topic).subject("s".repeat(101)).message("hi")));
    }

    @Test
    void aMessageIsLimitedTo256KbOfUtf8NotCharacters() {
        sns.publish(r -> r.topicArn(topic).message("a".repeat(PublishRules.MAX_MESSAGE_BYTES)));

        // Half as many characters, but each takes two bytes, plus one more byte.
        assertInvalid("Invalid parameter: Message too long", () -> sns.publish(r -> r.topicArn(topic)
                .message("é".repeat(PublishRules.MAX_MESSAGE_BYTES / 2) + "a")));
    }

    @Test
    void anEmptyMessageIsRefused() {
        assertInvalid("Invalid parameter: Empty message", () -> sns.publish(r -> r.topicArn(topic).message("")));
    }

    @Test
    void aJsonMessageStructureNeedsADefaultEntry() {
        assertInvalid("Invalid parameter: Message Structure - No default entry in JSON message body",
                () -> sns.publish(r -> r.topicArn(topic).messageStructure("json").message("{\"email\":\"hi\"}")));
    }

    @Test
    void aMessageAttributeNeedsAKnownTypeAndAValue() {
        assertInvalid("The message attribute 'function' has an invalid message attribute type, the set of "
                + "supported type prefixes is Binary, Number, and String.",
                () -> sns.publish(r -> r.topicArn(topic).message("hi").messageAttributes(Map.of("function",
                        MessageAttributeValue.builder().dataType("Text").stringValue("x").build()))));
        assertInvalid("The message attribute 'function' must contain non-empty message attribute value for "
                + "message attribute type 'String'.",
                () -> sns.publish(r -> r.topicArn(topic).message("hi").messageAttributes(
                        Map.of("function", MessageAttributeValue.builder().dataType("String").build()))));
    }

    @Test
    void publishedMessagesAreAppendedToTheJournalAsJsonLines(@TempDir Path directory) throws Exception {
        Path journal = directory.resolve("outbox.jsonl");
        InMemorySns journaled = new InMemorySns(clock, AwsAccount.DEFAULT, journal);
        String arn = journaled.addTopic("rollouts");

        journaled.publish(r -> r.topicArn(arn).subject("Rollout started").message("orders 1 -> 2")
                .messageAttributes(Map.of("function", text("orders"))));
        journaled.publish(r -> r.topicArn(arn).message("orders rolled back"));

        List<String> lines = Files.readAllLines(journal);
        assertEquals(2, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals("2025-01-06T10:00:00Z", first.get("timestamp").asText());
        assertEquals(arn, first.get("topicArn").asText());
        assertEquals("Rollout started", first.get("subject").asText());
        assertEquals("orders 1 -> 2", first.get("message").asText());
        assertEquals("orders", first.at("/messageAttributes/function/StringValue").asText());
        assertEquals("orders rolled back", new ObjectMapper().readTree(lines.get(1)).get("message").asText());
    }

    private static void assertInvalid(String message, org.junit.jupiter.api.function.Executable call) {
        InvalidParameterException error = assertAwsError(InvalidParameterException.class, 400, "InvalidParameter",
                call);
        assertEquals(message, error.awsErrorDetails().errorMessage());
    }

    private static MessageAttributeValue text(String value) {
        return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
    }
}
