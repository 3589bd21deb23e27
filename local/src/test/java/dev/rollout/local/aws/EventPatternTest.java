package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** EventBridge's matching rules for the operators the project's rules use, as its user guide describes them. */
class EventPatternTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static final String EVENT = "{'source': 'aws.lambda', 'detail': {'eventName': 'PublishVersion20150331',"
            + " 'responseElements': {'version': '7', 'memorySize': 512, 'architectures': ['arm64']},"
            + " 'errorCode': null}}";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("an exact value matches the same string", "{'source': ['aws.lambda']}", true),
                Arguments.of("any value of a list may match", "{'source': ['aws.s3', 'aws.lambda']}", true),
                Arguments.of("another value does not match", "{'source': ['aws.s3']}", false),
                Arguments.of("matching is case-sensitive", "{'source': ['AWS.Lambda']}", false),
                Arguments.of("nested fields are matched inside their objects",
                        "{'detail': {'responseElements': {'version': ['7']}}}", true),
                Arguments.of("every field of a pattern must match",
                        "{'source': ['aws.lambda'], 'detail': {'eventName': ['UpdateAlias20150331']}}", false),
                Arguments.of("a number matches by value", "{'detail': {'responseElements': {'memorySize': [512.0]}}}", true),
                Arguments.of("a string does not match a number", "{'detail': {'responseElements': {'memorySize': ['512']}}}",
                        false),
                Arguments.of("a field missing from the event matches no value",
                        "{'detail': {'errorMessage': ['x']}}", false),
                Arguments.of("an array in the event matches when one element does",
                        "{'detail': {'responseElements': {'architectures': ['arm64']}}}", true),
                Arguments.of("a prefix matches the start of a string", "{'detail': {'eventName': [{'prefix': 'Publish'}]}}",
                        true),
                Arguments.of("anything-but matches other values",
                        "{'detail': {'responseElements': {'version': [{'anything-but': '$LATEST'}]}}}", true),
                Arguments.of("anything-but does not match the excluded value",
                        "{'detail': {'eventName': [{'anything-but': ['PublishVersion20150331', 'X']}]}}", false),
                Arguments.of("anything-but does not match a missing field",
                        "{'detail': {'requestParameters': {'version': [{'anything-but': '$LATEST'}]}}}", false),
                Arguments.of("anything-but a prefix excludes strings with that start",
                        "{'detail': {'eventName': [{'anything-but': {'prefix': 'Publish'}}]}}", false),
                Arguments.of("exists false matches a missing field", "{'detail': {'errorMessage': [{'exists': false}]}}",
                        true),
                Arguments.of("exists false matches a field missing with its parent",
                        "{'detail': {'userIdentity': {'invokedBy': [{'exists': false}]}}}", true),
                Arguments.of("a null value exists", "{'detail': {'errorCode': [{'exists': false}]}}", false),
                Arguments.of("exists true matches a present value",
                        "{'detail': {'responseElements': {'version': [{'exists': true}]}}}", true),
                Arguments.of("exists does not match an object, only leaves",
                        "{'detail': {'responseElements': [{'exists': true}]}}", false),
                Arguments.of("null matches a null value", "{'detail': {'errorCode': [null]}}", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void patternsMatchAsEventBridgeMatchesThem(String sentence, String pattern, boolean matches) {
        assertEquals(matches, EventPattern.of(json(pattern)).matches(json(EVENT)));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("an operator the local matcher does not implement is named",
                        "{'detail': {'memorySize': [{'numeric': ['>', 128]}]}}",
                        "detail.memorySize: operator numeric is not supported by the local matcher"),
                Arguments.of("$or is not implemented either", "{'$or': [{'source': ['a']}, {'source': ['b']}]}",
                        "$or: operator $or is not supported by the local matcher"),
                Arguments.of("a misspelt operator is not an operator", "{'source': [{'prefx': 'aws.'}]}",
                        "source: operator prefx is not an EventBridge operator"),
                Arguments.of("a bare value where a list belongs is refused, as PutRule refuses it",
                        "{'source': 'aws.lambda'}", "source: expected a non-empty list of values or a nested pattern"),
                Arguments.of("an empty list matches nothing and is refused", "{'source': []}",
                        "source: expected a non-empty list"),
                Arguments.of("exists takes a boolean", "{'source': [{'exists': 'yes'}]}",
                        "source: exists takes true or false"),
                Arguments.of("an empty pattern is refused", "{}", "an event pattern is a non-empty JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void patternsTheMatcherCannotHonourAreRefusedWhenRead(String sentence, String pattern, String problem) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> EventPattern.of(json(pattern)));
        assertTrue(refused.getMessage().contains(problem), refused.getMessage());
    }
}
