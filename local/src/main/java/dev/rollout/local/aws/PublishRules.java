package dev.rollout.local.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishRequest;

/** What SNS checks in a Publish request before it looks the topic up, with SNS's own messages. */
final class PublishRules {

    /** 256 KB; the limit counts UTF-8 bytes, not characters. */
    static final int MAX_MESSAGE_BYTES = 262_144;
    /** Documented as "less than 100 characters"; taken as at most 100, the length callers truncate to. */
    static final int MAX_SUBJECT_LENGTH = 100;
    private static final int MAX_MESSAGE_ATTRIBUTES = 10;
    /** A type is one of these, optionally followed by a custom suffix such as {@code Number.float}. */
    private static final Set<String> ATTRIBUTE_BASE_TYPES = Set.of("String", "Number", "Binary");

    private PublishRules() {
    }

    static void check(PublishRequest r) {
        if (r.targetArn() != null || r.phoneNumber() != null) {
            throw new UnsupportedOperationException(
                    "publishing to TargetArn or PhoneNumber is not supported by the in-memory SNS");
        }
        if (r.topicArn() == null) {
            throw SnsErrors.invalidParameter(
                    "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter");
        }
        if (r.message() == null || r.message().isEmpty()) {
            throw SnsErrors.invalidParameter("Invalid parameter: Empty message");
        }
        if (r.subject() != null && !validSubject(r.subject())) {
            throw SnsErrors.invalidParameter("Invalid parameter: Subject");
        }
        if (r.message().getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES) {
            throw SnsErrors.invalidParameter("Invalid parameter: Message too long");
        }
        if ("json".equals(r.messageStructure()) && !hasDefaultEntry(r.message())) {
            throw SnsErrors.invalidParameter(
                    "Invalid parameter: Message Structure - No default entry in JSON message body");
        }
        checkAttributes(r.messageAttributes());
    }

    /** UTF-8 text of 1 to 100 characters with no line breaks or other control characters. */
    private static boolean validSubject(String subject) {
        return !subject.isEmpty()
                && subject.codePointCount(0, subject.length()) <= MAX_SUBJECT_LENGTH
                && subject.codePoints().noneMatch(Character::isISOControl);
    }

    private static boolean hasDefaultEntry(String message) {
        try {
            JsonNode body = Json.MAPPER.readTree(message);
            return body.isObject() && body.path("default").isTextual();
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static void checkAttributes(Map<String, MessageAttributeValue> attributes) {
        if (attributes.size() > MAX_MESSAGE_ATTRIBUTES) {
            throw SnsErrors.invalidParameter("Number of message attributes [" + attributes.size()
                    + "] exceeds the allowed maximum [" + MAX_MESSAGE_ATTRIBUTES + "].");
        }
        attributes.forEach((name, value) -> {
            String type = value.dataType();
            String baseType = type == null ? "" : type.split("\\.", 2)[0];
            if (!ATTRIBUTE_BASE_TYPES.contains(baseType)) {
                throw SnsErrors.invalidParameter("The message attribute '" + name + "' has an invalid message "
                        + "attribute type, the set of supported type prefixes is Binary, Number, and String.");
            }
            boolean hasValue = baseType.equals("Binary")
                    ? value.binaryValue() != null && value.binaryValue().asByteArray().length > 0
                    : value.stringValue() != null && !value.stringValue().isEmpty();
            if (!hasValue) {
                throw SnsErrors.invalidParameter("The message attribute '" + name + "' must contain non-empty "
                        + "message attribute value for message attribute type '" + type + "'.");
            }
        });
    }
}
