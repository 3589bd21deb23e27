package dev.rollout.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.rollout.domain.PublishEvent.Ignored;
import dev.rollout.domain.PublishEvent.Published;

/** Reads CloudTrail's record of a Lambda call into a {@link PublishEvent}. */
final class PublishEventReader {
    private static final String DETAIL_TYPE = "AWS API Call via CloudTrail";
    private static final String EVENT_SOURCE = "lambda.amazonaws.com";
    private static final String LATEST = "$LATEST";
    private static final Pattern QUALIFIED_ARN = Pattern.compile(
            "(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:([a-zA-Z0-9_-]{1,64})):([^:]+)");

    private PublishEventReader() {
    }

    static PublishEvent read(JsonNode event) {
        if (event == null || !event.isObject()) {
            return new Ignored("expected an EventBridge event (a JSON object), got " + JsonFields.describe(event));
        }
        JsonNode detail = event.path("detail");
        String source = detail.path("eventSource").asText("");
        if (!DETAIL_TYPE.equals(event.path("detail-type").asText()) || !EVENT_SOURCE.equals(source)) {
            return new Ignored("not a Lambda API call recorded by CloudTrail: detail-type \""
                    + event.path("detail-type").asText("") + "\", detail.eventSource \"" + source + "\"");
        }
        String call = detail.path("eventName").asText("");
        if (!PublishEvent.PUBLISHING_CALLS.contains(call)) {
            return new Ignored(call + " publishes no version; only "
                    + String.join(" and ", PublishEvent.PUBLISHING_CALLS) + " do");
        }
        if (detail.hasNonNull("errorCode")) {
            return new Ignored(call + " failed with " + detail.path("errorCode").asText() + " ("
                    + detail.path("errorMessage").asText("no message") + "), so no version was published");
        }
        JsonNode response = detail.path("responseElements");
        String function = response.path("functionName").asText("");
        String version = response.path("version").asText("");
        if (LATEST.equals(version)) {
            return new Ignored(call + " changed only $LATEST of " + function
                    + " (it was not asked to publish), so there is no version to roll out");
        }
        if (!RolloutRequest.isVersionNumber(version)) {
            return new Ignored(call + " reports no published version: responseElements.version is "
                    + JsonFields.describe(response.get("version")));
        }
        Matcher arn = QUALIFIED_ARN.matcher(response.path("functionArn").asText(""));
        if (!arn.matches() || !arn.group(2).equals(function) || !arn.group(3).equals(version)) {
            return new Ignored(call + " reports a function ARN that does not name version " + version + " of \""
                    + function + "\": responseElements.functionArn is "
                    + JsonFields.describe(response.get("functionArn")));
        }
        return new Published(function, arn.group(1), version, call, caller(detail.path("userIdentity")),
                detail.path("eventID").asText(event.path("id").asText("")));
    }

    /** CloudFormation and other services call with the deployer's identity and say so in invokedBy. */
    private static String caller(JsonNode identity) {
        String who = identity.path("arn").asText(identity.path("principalId").asText("an unknown caller"));
        return identity.hasNonNull("invokedBy") ? who + " through " + identity.path("invokedBy").asText() : who;
    }
}
