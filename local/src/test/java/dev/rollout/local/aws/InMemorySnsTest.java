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
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class InMemorySnsTest {

    private static final Instant NOW = Instant.parse("2025-01-06T10:00:00Z");

    private final ManualClock clock = new ManualClock(NOW);
    private final InMemorySns sns = new InMemorySns(clock);
    private final String topic = sns.addTopic("rollouts");

    @Test
    void a_topic_arn_is_built_from_the_account_and_creating_it_again_returns_the_same_arn() {
        assertEquals("arn:aws:sns:us-east-1:123456789012:rollouts", topic);
        assertEquals(topic, sns.createTopic(r -> r.name("rollouts")).topicArn());
    }

    @Test
    void published_messages_reach_the_outbox_in_order_with_their_attributes_and_time() {
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
    void publishing_to_a_topic_that_does_not_exist_is_not_found() {
        NotFoundException error = assertAwsError(NotFoundException.class, 404, "NotFound",
                () -> sns.publish(r -> r.topicArn("arn:aws:sns:us-east-1:123456789012:missing").message("hi")));
        assertEquals("Topic does not exist", error.awsErrorDetails().errorMessage());
        assertTrue(sns.outbox().isEmpty());
    }

    @Test
    void a_malformed_topic_arn_is_an_invalid_parameter() {
        assertInvalid("Invalid parameter: TopicArn", () -> sns.publish(r -> r.topicArn("rollouts").message("hi")));
    }

    @Test
    void a_subject_with_a_line_break_is_refused() {
        assertInvalid("Invalid parameter: Subject",
                () -> sns.publish(r -> r.topicArn(topic).subject("Rollout\nfailed").message("hi")));
    }

    @Test
    void a_subject_may_have_100_characters_but_not_101() {
        sns.publish(r -> r.topicArn(topic).subject("s".repeat(100)).message("hi"));

        assertInvalid("Invalid parameter: Subject",
                () -> sns.publish(r -> r.topicArn(topic).subject("s".repeat(101)).message("hi")));
    }

    @Test
    void a_message_is_limited_to_256_kb_of_utf8_not_characters() {
        sns.publish(r -> r.topicArn(topic).message("a".repeat(PublishRules.MAX_MESSAGE_BYTES)));

        // Half as many characters, but each takes two bytes, plus one more byte.
        assertInvalid("Invalid parameter: Message too long", () -> sns.publish(r -> r.topicArn(topic)
                .message("é".repeat(PublishRules.MAX_MESSAGE_BYTES / 2) + "a")));
    }

    @Test
    void an_empty_message_is_refused() {
        assertInvalid("Invalid parameter: Empty message", () -> sns.publish(r -> r.topicArn(topic).message("")));
    }

    @Test
    void a_json_message_structure_needs_a_default_entry() {
        assertInvalid("Invalid parameter: Message Structure - No default entry in JSON message body",
                () -> sns.publish(r -> r.topicArn(topic).messageStructure("json").message("{\"email\":\"hi\"}")));
    }

    @Test
    void a_message_attribute_needs_a_known_type_and_a_value() {
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
    void published_messages_are_appended_to_the_journal_as_json_lines(@TempDir Path directory) throws Exception {
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
