package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.rollout.ProjectRoot;

/** CloudTrail events in the shape EventBridge delivers them, read into publications or reasons to ignore them. */
class PublishEventTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EVENTS = ProjectRoot.path()
            .resolve("events/automatic");

    static ObjectNode sample(String name) {
        try {
            return (ObjectNode) JSON.readTree(EVENTS.resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode publishVersion() {
        return sample("publish-version.cloudtrail.json");
    }

    static ObjectNode updateFunctionCode() {
        return sample("update-function-code-publish.cloudtrail.json");
    }

    private static ObjectNode changed(ObjectNode event, Consumer<ObjectNode> detail) {
        detail.accept((ObjectNode) event.get("detail"));
        return event;
    }

    @Test
    void aPublishVersionCallNamesTheFunctionAndVersionItPublished() {
        PublishEvent.Published published = assertInstanceOf(PublishEvent.Published.class,
                PublishEvent.read(publishVersion()));
        assertEquals(new PublishEvent.Published("lambda-rollout-greeter",
                "arn:aws:lambda:us-east-1:123456789012:function:lambda-rollout-greeter", "2", "PublishVersion20150331",
                "arn:aws:sts::123456789012:assumed-role/Deployer/alice through cloudformation.amazonaws.com",
                "7116c6a1-2b3c-4d5e-8f90-a1b2c3d4e5f6"), published);
    }

    @Test
    void updateFunctionCodeWithPublishIsAPublicationOfTheFunctionInTheResponse() {
        // The request names the function by ARN, as the caller typed it; the response names it plainly.
        PublishEvent.Published published = assertInstanceOf(PublishEvent.Published.class,
                PublishEvent.read(updateFunctionCode()));
        assertEquals("lambda-rollout-greeter", published.functionName());
        assertEquals("arn:aws:lambda:us-east-1:123456789012:function:lambda-rollout-greeter", published.functionArn());
        assertEquals("3", published.version());
        assertEquals("arn:aws:iam::123456789012:user/pipeline", published.publishedBy());
    }

    static Stream<Arguments> ignored() {
        return Stream.of(
                Arguments.of("update-function-code without --publish changed only $LATEST",
                        changed(updateFunctionCode(), detail -> {
                            ((ObjectNode) detail.get("requestParameters")).put("publish", false);
                            ((ObjectNode) detail.get("responseElements")).put("version", "$LATEST")
                                    .put("functionArn", "arn:aws:lambda:us-east-1:123456789012:function:lambda-rollout-greeter");
                        }),
                        "UpdateFunctionCode20150331v2 changed only $LATEST of lambda-rollout-greeter"),
                Arguments.of("a PublishVersion that failed published nothing",
                        changed(publishVersion(), detail -> detail.put("errorCode", "ResourceConflictException")
                                .put("errorMessage", "The operation cannot be performed at this time.")
                                .putNull("responseElements")),
                        "PublishVersion20150331 failed with ResourceConflictException (The operation cannot be performed"),
                Arguments.of("a failed call is ignored even when a response was recorded",
                        changed(publishVersion(), detail -> detail.put("errorCode", "ThrottlingException")),
                        "PublishVersion20150331 failed with ThrottlingException"),
                Arguments.of("other Lambda calls publish nothing",
                        changed(publishVersion(), detail -> detail.put("eventName", "UpdateAlias20150331")),
                        "UpdateAlias20150331 publishes no version; only PublishVersion20150331 and"
                                + " UpdateFunctionCode20150331v2 do"),
                Arguments.of("the unversioned event name is not what CloudTrail records",
                        changed(publishVersion(), detail -> detail.put("eventName", "PublishVersion")),
                        "PublishVersion publishes no version"),
                Arguments.of("calls to other services are not Lambda calls",
                        changed(publishVersion(), detail -> detail.put("eventSource", "s3.amazonaws.com")),
                        "not a Lambda API call recorded by CloudTrail: detail-type \"AWS API Call via CloudTrail\","
                                + " detail.eventSource \"s3.amazonaws.com\""),
                Arguments.of("other kinds of events are not API calls",
                        publishVersion().put("detail-type", "Scheduled Event"),
                        "not a Lambda API call recorded by CloudTrail: detail-type \"Scheduled Event\""),
                Arguments.of("a response without a version names no publication",
                        changed(publishVersion(), detail -> ((ObjectNode) detail.get("responseElements")).remove("version")),
                        "PublishVersion20150331 reports no published version: responseElements.version is nothing"),
                Arguments.of("an ARN that names another version than the response is not trusted",
                        changed(publishVersion(), detail -> ((ObjectNode) detail.get("responseElements")).put("functionArn",
                                "arn:aws:lambda:us-east-1:123456789012:function:lambda-rollout-greeter:3")),
                        "PublishVersion20150331 reports a function ARN that does not name version 2 of"
                                + " \"lambda-rollout-greeter\""),
                Arguments.of("an event that is not an object is ignored",
                        JSON.createArrayNode(), "expected an EventBridge event (a JSON object), got a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ignored")
    void eventsThatPublishNothingAreIgnoredWithAReason(String sentence, JsonNode event, String reason) {
        PublishEvent.Ignored ignored = assertInstanceOf(PublishEvent.Ignored.class, PublishEvent.read(event));
        assertTrue(ignored.reason().startsWith(reason), () -> "expected <" + reason + "> in " + ignored.reason());
    }
}
