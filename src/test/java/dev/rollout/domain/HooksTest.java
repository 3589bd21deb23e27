package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The input's {@code hooks}, the tags and stack defaults that fill it, and how a hook's failure reads. */
class HooksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("a name alone is a returning hook with a 15 minute timeout",
                        "{\"preTraffic\": \"orders-smoke\"}",
                        new Hooks(new Hook("orders-smoke", 900, false), null)),
                Arguments.of("an object sets timeout and callback",
                        "{\"postTraffic\": {\"function\": \"orders-e2e\", \"timeout\": \"2h\", \"callback\": true}}",
                        new Hooks(null, new Hook("orders-e2e", 7200, true))),
                Arguments.of("a timeout in seconds works too",
                        "{\"preTraffic\": {\"function\": \"orders-smoke\", \"timeout\": 60}}",
                        new Hooks(new Hook("orders-smoke", 60, false), null)),
                Arguments.of("a function may be qualified with an alias",
                        "{\"preTraffic\": \"orders-smoke:live\"}",
                        new Hooks(new Hook("orders-smoke:live", 900, false), null)),
                Arguments.of("a function may be an ARN",
                        "{\"preTraffic\": \"arn:aws:lambda:eu-west-1:123456789012:function:orders-smoke:3\"}",
                        new Hooks(new Hook("arn:aws:lambda:eu-west-1:123456789012:function:orders-smoke:3", 900, false),
                                null)),
                Arguments.of("an empty object means no hooks", "{}", Hooks.NONE),
                Arguments.of("null means no hooks", "null", Hooks.NONE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptsHooks(String sentence, String hooks, Hooks expected) {
        Problems problems = new Problems();
        assertEquals(expected, Hooks.parse(json(hooks), problems));
        assertEquals(List.of(), problems.list());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("a returning hook cannot wait longer than Lambda runs",
                        "{\"preTraffic\": {\"function\": \"smoke\", \"timeout\": \"20m\"}}",
                        "hooks.preTraffic.timeout: is 20m, but a hook that returns its answer runs at most 15m (Lambda's"
                                + " limit); set \"callback\": true to answer later through the task token"),
                Arguments.of("a moment other than preTraffic and postTraffic is a typo",
                        "{\"beforeTraffic\": \"smoke\"}",
                        "hooks.beforeTraffic: unknown field; expected one of postTraffic, preTraffic"),
                Arguments.of("a hook object needs its function", "{\"postTraffic\": {\"timeout\": \"5m\"}}",
                        "hooks.postTraffic.function: is required: the name of the hook function"),
                Arguments.of("a function name with a space is no function name", "{\"preTraffic\": \"my smoke\"}",
                        "hooks.preTraffic: expected a Lambda function name or ARN, optionally with :version or :alias,"
                                + " got the string \"my smoke\""),
                Arguments.of("callback is true or false",
                        "{\"preTraffic\": {\"function\": \"smoke\", \"callback\": \"yes\"}}",
                        "hooks.preTraffic.callback: expected true or false, got the string \"yes\""),
                Arguments.of("a zero timeout never lets a hook answer",
                        "{\"preTraffic\": {\"function\": \"smoke\", \"timeout\": 0}}",
                        "hooks.preTraffic.timeout: must be longer than 0s"),
                Arguments.of("hooks is an object", "[\"smoke\"]",
                        "hooks: expected an object such as {\"preTraffic\": \"my-smoke-test\"}, got a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesMalformedHooks(String sentence, String hooks, String problem) {
        Problems problems = new Problems();
        Hooks.parse(json(hooks), problems);
        assertEquals(List.of(problem), problems.list().stream().map(Problems.Problem::toString).toList());
    }

    @Test
    void tagsNameHooksThatTheInputLeavesOutAndStackDefaultsComeLast() {
        StackDefaults defaults = new StackDefaults("AllAtOnce", "", "", "stack-smoke", "stack-e2e");
        RolloutSettings.Resolved resolved = RolloutSettings.resolve(
                json("{\"functionName\": \"orders\", \"targetVersion\": \"7\"}"),
                Map.of("rollout:pre-traffic-hook", "orders-smoke"), defaults);
        assertEquals(new Hooks(new Hook("orders-smoke", 900, false), new Hook("stack-e2e", 900, false)),
                resolved.request().hooks());
        assertEquals("tag rollout:pre-traffic-hook", resolved.sources().get("hooks.preTraffic"));
        assertEquals("stack parameter DefaultPostTrafficHook", resolved.sources().get("hooks.postTraffic"));
    }

    @Test
    void aStageCanaryTakesNoneOfTheStacksDefaultHooks() {
        StackDefaults defaults = new StackDefaults("AllAtOnce", "", "", "stack-smoke", "stack-e2e");
        RolloutSettings.Resolved resolved = RolloutSettings.resolve(json("{\"target\": {\"type\": \"ApiGatewayCanary\","
                + " \"restApiId\": \"a1b2c3d4e5\", \"stage\": \"prod\", \"deploymentId\": \"x7y8z9\"}}"),
                Map.of(), defaults);
        assertEquals(Hooks.NONE, resolved.request().hooks());
    }

    @Test
    void hooksInTheInputWinWholeOverTagsAndDefaults() {
        StackDefaults defaults = new StackDefaults("AllAtOnce", "", "", "stack-smoke", "stack-e2e");
        RolloutSettings.Resolved resolved = RolloutSettings.resolve(
                json("{\"functionName\": \"orders\", \"targetVersion\": \"7\", \"hooks\": {\"postTraffic\": \"mine\"}}"),
                Map.of("rollout:pre-traffic-hook", "orders-smoke"), defaults);
        assertEquals(new Hooks(null, new Hook("mine", 900, false)), resolved.request().hooks());
    }

    @Test
    void aBadHookTagIsNamedAfterTheTag() {
        Rollout.InvalidInput refused = org.junit.jupiter.api.Assertions.assertThrows(Rollout.InvalidInput.class,
                () -> RolloutSettings.resolve(json("{\"functionName\": \"orders\", \"targetVersion\": \"7\","
                        + " \"strategy\": \"AllAtOnce\"}"), Map.of("rollout:post-traffic-hook", "two words"),
                        StackDefaults.NONE));
        assertEquals(List.of("tag rollout:post-traffic-hook: expected a Lambda function name or ARN, optionally with"
                + " :version or :alias, got the string \"two words\""), refused.problems());
    }

    @Test
    void aHookThatThrewReadsAsItsHookAndItsExceptionsMessage() {
        FailureReport report = FailureReport.of(json("{\"Error\": \"Rollout.HookFailed\","
                + " \"Cause\": \"pre-traffic hook smoke failed with java.lang.IllegalStateException\","
                + " \"detail\": {\"Error\": \"java.lang.IllegalStateException\","
                + " \"Cause\": \"{\\\"errorMessage\\\": \\\"connection refused\\\", \\\"errorType\\\": \\\"x\\\"}\"}}"));
        assertEquals("pre-traffic hook smoke failed with java.lang.IllegalStateException: connection refused",
                report.reason());
    }
}
