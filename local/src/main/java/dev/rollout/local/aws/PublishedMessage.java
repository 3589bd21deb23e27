package dev.rollout.local.aws;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** A message accepted by {@link InMemorySns#publish}; {@code subject} is null when none was given. */
public record PublishedMessage(String messageId, String topicArn, String subject, String message,
        Map<String, MessageAttributeValue> messageAttributes, Instant timestamp) {

    public PublishedMessage {
        messageAttributes = Map.copyOf(messageAttributes);
    }
}
