package dev.rollout.aws;

import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** Publishes rollout notices to the SNS topic people subscribe to. */
public final class Notifications {
    private final SnsClient sns;
    private final String topicArn;

    public Notifications(SnsClient sns, String topicArn) {
        this.sns = sns;
        this.topicArn = topicArn;
    }

    /**
     * @param attributes string message attributes, so subscribers can filter (e.g. only rollbacks)
     * @return the SNS message id
     */
    public String publish(String subject, String message, Map<String, String> attributes) {
        Map<String, MessageAttributeValue> values = attributes.entrySet().stream()
                // SNS refuses an attribute with an empty value, and the whole message with it.
                .filter(entry -> entry.getValue() != null && !entry.getValue().isEmpty())
                .collect(Collectors.toMap(
                Map.Entry::getKey,
                entry -> MessageAttributeValue.builder().dataType("String").stringValue(entry.getValue()).build()));
        try {
            return sns.publish(request -> request
                    .topicArn(topicArn)
                    .subject(subject)
                    .message(message)
                    .messageAttributes(values)).messageId();
        } catch (SdkException error) {
            throw AwsErrors.translate("Publish to " + topicArn, error);
        }
    }
}
