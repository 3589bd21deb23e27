package dev.rollout.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What an "AWS API Call via CloudTrail" event, as EventBridge delivers it, says about a new version of a
 * Lambda function.
 *
 * <p>CloudTrail records Lambda's calls under versioned names. Two of them publish a version:
 * {@value #PUBLISH_VERSION} ({@code aws lambda publish-version}, and CloudFormation's
 * {@code AWS::Lambda::Version}, which SAM's {@code AutoPublishAlias} creates on every deploy that changes the
 * function) and {@value #UPDATE_FUNCTION_CODE} ({@code aws lambda update-function-code --publish}; without
 * {@code --publish} it changes only {@code $LATEST} and its response says version {@code $LATEST}).
 * The function and version are read from {@code responseElements}, which name what Lambda did, not from
 * {@code requestParameters}, which hold whatever the caller typed (a name, a full or a partial ARN).
 */
public sealed interface PublishEvent {
    String PUBLISH_VERSION = "PublishVersion20150331";
    String UPDATE_FUNCTION_CODE = "UpdateFunctionCode20150331v2";
    List<String> PUBLISHING_CALLS = List.of(PUBLISH_VERSION, UPDATE_FUNCTION_CODE);

    /** Reads {@code event}; never throws, since an event that publishes nothing is not an error. */
    static PublishEvent read(JsonNode event) {
        return PublishEventReader.read(event);
    }

    /**
     * A version was published.
     *
     * @param functionArn the function's unqualified ARN, which tags are read from
     * @param call        the CloudTrail event name, e.g. {@value PublishEvent#PUBLISH_VERSION}
     * @param publishedBy who published: the caller's ARN, or the AWS service that called on their behalf
     * @param eventId     CloudTrail's id of the call, the same in every copy of the event
     */
    record Published(String functionName, String functionArn, String version, String call, String publishedBy,
                     String eventId) implements PublishEvent {
    }

    /** The event publishes no version (another call, a failed call, a change to {@code $LATEST} only). */
    record Ignored(String reason) implements PublishEvent {
    }
}
