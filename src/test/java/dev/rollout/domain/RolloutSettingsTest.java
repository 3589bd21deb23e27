package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.InvalidInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Input first, then the function's tags, then the stack's defaults; problems named after where a value came from. */
class RolloutSettingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StackDefaults DEFAULTS = new StackDefaults("Canary10Percent10Minutes", "stack-a, stack-b", "true");

    private static ObjectNode input(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /** What a publication starts with: the function and version, nothing about how. */
    private static ObjectNode automatic() {
        return input("{\"functionName\":\"orders\",\"targetVersion\":\"7\"}");
    }

    private static RolloutSettings.Resolved resolve(JsonNode input, Map<String, String> tags, StackDefaults defaults) {
        return RolloutSettings.resolve(input, tags, defaults);
    }

    @Test
    void tagsSupplyWhatTheInputLeavesOut() {
        RolloutSettings.Resolved resolved = resolve(automatic(), Map.of(
                "rollout:alias", "prod",
                "rollout:strategy", "Linear10PercentEvery2Minutes",
                "rollout:alarms", "orders-errors  orders-latency",
                "rollout:approval", "true",
                "rollout:approval-timeout", "4h",
                "rollout:approval-on-timeout", "promote",
                "team", "payments"), StackDefaults.NONE);
        RolloutRequest request = resolved.request();
        assertEquals("prod", ((Target.LambdaAlias) request.target()).alias());
        assertEquals("Linear10PercentEvery2Minutes", request.plan().strategy());
        assertEquals(List.of("orders-errors", "orders-latency"), request.alarms());
        assertEquals(new Step.Approval(4 * 3600, OnTimeout.PROMOTE),
                request.plan().steps().get(request.plan().steps().size() - 1));
        assertEquals(Map.of("alias", "tag rollout:alias", "strategy", "tag rollout:strategy",
                "alarms", "tag rollout:alarms", "approval.beforePromote", "tag rollout:approval",
                "approval.timeout", "tag rollout:approval-timeout",
                "approval.onTimeout", "tag rollout:approval-on-timeout"), resolved.sources());
    }

    @Test
    void theMetricsTagSetsTheRulesForTheNewVersionsMetrics() {
        RolloutSettings.Resolved resolved = resolve(automatic(), Map.of(
                "rollout:strategy", "AllAtOnce",
                "rollout:metrics", "minInvocations=20  maxErrorRate=1.5 enabled=true"), StackDefaults.NONE);
        assertEquals(new MetricRules(true, 20, 1.5, 2, 2, 1, 0), resolved.request().metrics());
        assertEquals("tag rollout:metrics", resolved.sources().get("metrics"));
    }

    @Test
    void aBadMetricsTagIsRefusedNamingTheTag() {
        Rollout.InvalidInput refused = org.junit.jupiter.api.Assertions.assertThrows(Rollout.InvalidInput.class,
                () -> resolve(automatic(), Map.of("rollout:strategy", "AllAtOnce",
                        "rollout:metrics", "maxErrorRate=lots p95=3 loose"), StackDefaults.NONE));
        String problems = refused.problems().toString();
        assertTrue(problems.contains("tag rollout:metrics.maxErrorRate: expected a number from 0 to 100"), problems);
        assertTrue(problems.contains("tag rollout:metrics.p95"), problems);
        assertTrue(problems.contains("tag rollout:metrics: expected name=value pairs"), problems);
    }

    @Test
    void stackDefaultsSupplyWhatNeitherInputNorTagsSet() {
        RolloutSettings.Resolved resolved = resolve(automatic(), Map.of("rollout:alarms", "orders-errors"), DEFAULTS);
        assertEquals("Canary10Percent10Minutes", resolved.request().plan().strategy());
        assertEquals(List.of("orders-errors"), resolved.request().alarms());
        assertTrue(resolved.request().plan().steps().get(2) instanceof Step.Approval, resolved.request()::toString);
        assertEquals(Map.of("strategy", "stack parameter DefaultStrategy", "alarms", "tag rollout:alarms",
                "approval.beforePromote", "stack parameter DefaultApproval"), resolved.sources());
    }

    @Test
    void theStackDefaultAlarmsAreTheParametersCommaSeparatedList() {
        assertEquals(List.of("stack-a", "stack-b"), resolve(automatic(), Map.of(), DEFAULTS).request().alarms());
    }

    @Test
    void anExplicitInputWinsOverTagsAndDefaultsFieldByField() {
        ObjectNode console = input("{\"functionName\":\"orders\",\"targetVersion\":\"7\",\"alias\":\"live\","
                + "\"strategy\":\"AllAtOnce\",\"alarms\":[],\"approval\":{\"beforePromote\":false}}");
        RolloutSettings.Resolved resolved = resolve(console, Map.of("rollout:alias", "prod",
                "rollout:strategy", "Fast", "rollout:alarms", "x", "rollout:approval", "maybe"), DEFAULTS);
        assertEquals("live", ((Target.LambdaAlias) resolved.request().target()).alias());
        assertEquals("AllAtOnce", resolved.request().plan().strategy());
        assertEquals(List.of(), resolved.request().alarms());
        assertEquals(List.of(), resolved.request().plan().steps());
        assertEquals(Map.of(), resolved.sources());
    }

    @Test
    void anEmptyAlarmsTagWatchesNothingRatherThanFallingBackToTheDefault() {
        assertEquals(List.of(), resolve(automatic(), Map.of("rollout:alarms", ""), DEFAULTS).request().alarms());
    }

    static Stream<Arguments> invalidTags() {
        return Stream.of(
                Arguments.of("an unknown strategy in a tag is reported against the tag",
                        Map.of("rollout:strategy", "Fast"),
                        "tag rollout:strategy: unknown strategy \"Fast\"; expected one of Canary10Percent5Minutes"),
                Arguments.of("an alarm named twice in a tag is reported against the tag, by name",
                        Map.of("rollout:strategy", "AllAtOnce", "rollout:alarms", "a b a"),
                        "tag rollout:alarms: \"a\" is listed twice"),
                Arguments.of("an alias tag Lambda would refuse is reported against the tag",
                        Map.of("rollout:strategy", "AllAtOnce", "rollout:alias", "42"),
                        "tag rollout:alias: expected an alias name"),
                Arguments.of("approval must be true or false",
                        Map.of("rollout:strategy", "AllAtOnce", "rollout:approval", "yes"),
                        "tag rollout:approval: expected true or false, got the string \"yes\""),
                Arguments.of("an approval timeout must be a duration",
                        Map.of("rollout:strategy", "AllAtOnce", "rollout:approval", "true",
                                "rollout:approval-timeout", "soon"),
                        "tag rollout:approval-timeout: expected a duration"),
                Arguments.of("what happens on timeout must be rollback or promote",
                        Map.of("rollout:strategy", "AllAtOnce", "rollout:approval", "true",
                                "rollout:approval-on-timeout", "wait"),
                        "tag rollout:approval-on-timeout:"),
                Arguments.of("an approval timeout without approval does not quietly ask for approval",
                        Map.of("rollout:strategy", "AllAtOnce", "rollout:approval-timeout", "2h"),
                        "tag rollout:approval-timeout: takes effect only together with rollout:approval=true"),
                Arguments.of("a minimum of invocations must be a whole number",
                        Map.of("rollout:strategy", "AllAtOnce", "rollout:min-invocations", "many"),
                        "tag rollout:min-invocations: expected a whole number of invocations"),
                Arguments.of("a misspelt rollout tag is named, as a misspelt input field is",
                        Map.of("rollout:strategy", "AllAtOnce", "rollout:stratgey", "Canary10Percent5Minutes"),
                        "tag rollout:stratgey: unknown rollout tag; expected one of rollout:alias, rollout:strategy"),
                Arguments.of("without a strategy anywhere, the message says where one may come from",
                        Map.of(), "strategy (from the input, tag rollout:strategy or stack parameter DefaultStrategy):"
                                + " is required"));
    }

    @Test
    void theMinimumOfInvocationsComesFromItsTagUnlessTheInputSetsIt() {
        Map<String, String> tags = Map.of("rollout:strategy", "AllAtOnce", "rollout:min-invocations", "50");
        RolloutSettings.Resolved fromTag = resolve(automatic(), tags, StackDefaults.NONE);
        assertEquals(50, fromTag.request().minInvocations());
        assertEquals("tag rollout:min-invocations", fromTag.sources().get("minInvocations"));
        ObjectNode explicit = automatic().put("minInvocations", 5);
        assertEquals(5, resolve(explicit, tags, StackDefaults.NONE).request().minInvocations());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidTags")
    void invalidTagValuesFailNamingTheTag(String sentence, Map<String, String> tags, String expected) {
        InvalidInput refused = assertThrows(InvalidInput.class, () -> resolve(automatic(), tags, StackDefaults.NONE));
        assertTrue(refused.problems().stream().anyMatch(problem -> problem.startsWith(expected)),
                () -> "expected <" + expected + "> in " + refused.problems());
    }

    @Test
    void anInvalidStackDefaultIsReportedAgainstTheParameter() {
        InvalidInput refused = assertThrows(InvalidInput.class, () -> resolve(automatic(), Map.of(),
                new StackDefaults("AllAtOnce", "", "sometimes")));
        assertEquals(List.of("stack parameter DefaultApproval: expected true or false, got the string \"sometimes\""),
                refused.problems());
    }

    @Test
    void problemsInTheInputAndInTagsAreListedTogether() {
        ObjectNode bad = input("{\"functionName\":\"orders\",\"targetVersion\":\"$LATEST\"}");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> resolve(bad,
                Map.of("rollout:strategy", "Fast", "rollout:alarms", "a a"), StackDefaults.NONE));
        assertEquals(3, refused.problems().size(), refused.problems()::toString);
        assertTrue(refused.problems().get(0).startsWith("targetVersion: "), refused.problems()::toString);
        assertTrue(refused.problems().get(1).startsWith("tag rollout:strategy: "), refused.problems()::toString);
        assertTrue(refused.problems().get(2).startsWith("tag rollout:alarms: "), refused.problems()::toString);
    }

    @Test
    void aConsoleInputWithoutStrategyOrTagsIsStillRefusedAsBefore() {
        InvalidInput refused = assertThrows(InvalidInput.class, () -> resolve(
                input("{\"functionName\":\"orders\",\"targetVersion\":\"7\",\"alarms\":[]}"), Map.of(),
                StackDefaults.NONE));
        assertEquals(1, refused.problems().size(), refused.problems()::toString);
    }

    @Test
    void aNonObjectInputIsRefusedAsTheParserRefusesIt() {
        InvalidInput refused = assertThrows(InvalidInput.class, () -> resolve(JSON.createArrayNode(), Map.of(), DEFAULTS));
        assertTrue(refused.problems().get(0).startsWith("input: expected a JSON object"), refused.problems()::toString);
    }

    @Test
    void aFieldFromATagIsNamedAfterTheTagInLaterProblems() {
        RolloutSettings.Resolved resolved = resolve(automatic(),
                Map.of("rollout:strategy", "AllAtOnce", "rollout:alarms", "x y"), StackDefaults.NONE);
        assertEquals("tag rollout:alarms", resolved.name("alarms[1]"));
        assertEquals("alias", resolved.name("alias"));
        assertEquals("targetVersion", resolved.name("targetVersion"));
    }

    static Stream<Arguments> tagReads() {
        return Stream.of(
                Arguments.of("an input leaving a field out reads the tags of the function it names", automatic(),
                        Optional.of("orders")),
                Arguments.of("an input setting every field reads no tags", input("{\"functionName\":\"orders\","
                        + "\"alias\":\"live\",\"strategy\":\"AllAtOnce\",\"alarms\":[],\"approval\":{},\"metrics\":{},"
                        + "\"hooks\":{}}"),
                        Optional.empty()),
                Arguments.of("a function named by ARN is read by ARN",
                        input("{\"functionName\":\"arn:aws:lambda:us-east-1:123456789012:function:orders\"}"),
                        Optional.of("arn:aws:lambda:us-east-1:123456789012:function:orders")),
                Arguments.of("a malformed function name reads nothing: the input is refused first",
                        input("{\"functionName\":\"orders:live\"}"), Optional.empty()),
                Arguments.of("an input without a function reads nothing", input("{\"targetVersion\":\"7\"}"),
                        Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tagReads")
    void tagsAreReadOnlyWhenTheyCanFillSomething(String sentence, JsonNode input, Optional<String> function) {
        assertEquals(function, RolloutSettings.functionToRead(input));
    }

    @Test
    void thePublishedVersionsAliasIsTheTagsOrLive() {
        assertEquals(Optional.of("live"), RolloutSettings.alias(Map.of()));
        assertEquals(Optional.of("prod"), RolloutSettings.alias(Map.of("rollout:alias", " prod ")));
        assertEquals(Optional.empty(), RolloutSettings.alias(Map.of("rollout:alias", "blue green")));
    }
}
