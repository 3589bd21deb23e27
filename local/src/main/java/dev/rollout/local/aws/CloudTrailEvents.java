package dev.rollout.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

/**
 * The events CloudTrail hands EventBridge for the in-memory services' API calls, in the shape AWS delivers them: an
 * EventBridge envelope ({@code detail-type} "AWS API Call via CloudTrail") around the CloudTrail record, whose
 * {@code responseElements} are the call's response with camel-cased member names, as CloudTrail writes them.
 * Ids derive from the call, so a simulation's events are the same on every run.
 */
public final class CloudTrailEvents {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CloudTrailEvents() {
    }

    /**
     * A successful PublishVersion, recorded as {@code PublishVersion20150331}.
     *
     * @param published the call's response: a PublishVersionResponse, or any shape with its members, such as the
     *                  published version's GetFunctionConfiguration response
     * @param caller    the IAM ARN of who published, e.g. {@code arn:aws:iam::123456789012:user/alice}
     */
    public static ObjectNode publishVersion(AwsAccount account, SdkPojo published, String caller, Instant at) {
        ObjectNode response = members(published);
        ObjectNode request = NODES.objectNode().put("functionName", response.path("functionName").asText());
        return apiCall(account, "PublishVersion20150331", request, response, caller, at);
    }

    private static ObjectNode apiCall(AwsAccount account, String eventName, ObjectNode request, ObjectNode response,
                                      String caller, Instant at) {
        Instant time = at.truncatedTo(ChronoUnit.SECONDS);
        String seed = eventName + " " + response.path("functionArn").asText() + " " + time;
        ObjectNode detail = NODES.objectNode();
        detail.put("eventVersion", "1.09");
        detail.set("userIdentity", identity(account, caller));
        detail.put("eventTime", time.toString());
        detail.put("eventSource", "lambda.amazonaws.com");
        detail.put("eventName", eventName);
        detail.put("awsRegion", account.region());
        detail.put("sourceIPAddress", "127.0.0.1");
        detail.put("userAgent", "lambda-rollout/local-runtime");
        detail.set("requestParameters", request);
        detail.set("responseElements", response);
        detail.put("requestID", id("request " + seed));
        detail.put("eventID", id("event " + seed));
        detail.put("readOnly", false);
        detail.put("eventType", "AwsApiCall");
        detail.put("managementEvent", true);
        detail.put("recipientAccountId", account.accountId());
        detail.put("eventCategory", "Management");

        ObjectNode event = NODES.objectNode();
        event.put("version", "0");
        event.put("id", id("delivery " + seed));
        event.put("detail-type", "AWS API Call via CloudTrail");
        event.put("source", "aws.lambda");
        event.put("account", account.accountId());
        event.put("time", time.toString());
        event.put("region", account.region());
        event.putArray("resources");
        event.set("detail", detail);
        return event;
    }

    private static ObjectNode identity(AwsAccount account, String caller) {
        String type = caller.contains(":assumed-role/") ? "AssumedRole"
                : caller.endsWith(":root") ? "Root" : "IAMUser";
        ObjectNode identity = NODES.objectNode();
        identity.put("type", type);
        identity.put("principalId", id(caller).replace("-", "").substring(0, 21).toUpperCase(Locale.ROOT));
        identity.put("arn", caller);
        identity.put("accountId", account.accountId());
        if (type.equals("IAMUser")) {
            identity.put("userName", caller.substring(caller.lastIndexOf('/') + 1));
        }
        return identity;
    }

    /** Every member that is set, named as CloudTrail names it: the API's member name with a lower-case start. */
    private static ObjectNode members(SdkPojo shape) {
        ObjectNode members = NODES.objectNode();
        for (SdkField<?> field : shape.sdkFields()) {
            JsonNode value = value(field.getValueOrDefault(shape));
            if (value != null) {
                String name = field.memberName();
                members.set(Character.toLowerCase(name.charAt(0)) + name.substring(1), value);
            }
        }
        return members;
    }

    /** The JSON of a member's value, or null for one that is unset (the SDK's empty auto-constructed collections). */
    private static JsonNode value(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof SdkPojo pojo) {
            return members(pojo);
        }
        if (value instanceof Collection<?> list) {
            ArrayNode array = NODES.arrayNode();
            list.stream().map(CloudTrailEvents::value).forEach(array::add);
            return array.isEmpty() ? null : array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            map.forEach((key, item) -> object.set(String.valueOf(key), value(item)));
            return object.isEmpty() ? null : object;
        }
        if (value instanceof Boolean bool) {
            return NODES.booleanNode(bool);
        }
        if (value instanceof Integer number) {
            return NODES.numberNode(number);
        }
        if (value instanceof Number number) {
            return NODES.numberNode(new BigDecimal(number.toString()));
        }
        return NODES.textNode(value.toString());
    }

    private static String id(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
