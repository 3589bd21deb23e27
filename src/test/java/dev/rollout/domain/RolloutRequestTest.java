package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.InvalidInput;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RolloutRequest parse(String text) throws Exception {
        return RolloutRequest.parse(JSON.readTree(text));
    }

    @Test
    void aMinimalRequestRollsOutToTheLiveAliasWithoutApproval() throws Exception {
        RolloutRequest request = parse("{\"functionName\":\"orders\",\"targetVersion\":\"7\",\"strategy\":\"AllAtOnce\"}");
        assertEquals("live", ((Target.LambdaAlias) request.target()).alias());
        assertEquals("7", request.targetVersion());
        assertEquals(List.of(), request.plan().steps());
        assertEquals(List.of(), request.alarms());
    }

    @Test
    void aFinalBakeInTheInputReplacesTheStrategysDefault() throws Exception {
        String request = "{\"functionName\":\"orders\",\"targetVersion\":\"7\",\"strategy\":\"Canary10Percent5Minutes\"";
        assertEquals(300, parse(request + "}").plan().finalBakeSeconds());
        assertEquals(1800, parse(request + ",\"finalBake\":\"30m\"}").plan().finalBakeSeconds());
        assertEquals(0, parse(request + ",\"finalBake\":0}").plan().finalBakeSeconds());
    }

    @Test
    void anIntegerTargetVersionIsReadAsTheVersionNumber() throws Exception {
        assertEquals("12", parse("{\"functionName\":\"orders\",\"targetVersion\":12,\"strategy\":\"AllAtOnce\"}")
                .targetVersion());
    }

    @Test
    void approvalBeforePromoteAppendsAGateWithTheRequestedTimeout() throws Exception {
        RolloutRequest request = parse("{\"functionName\":\"orders\",\"targetVersion\":\"7\","
                + "\"strategy\":\"Canary10Percent5Minutes\",\"approval\":{\"timeout\":\"2h\",\"onTimeout\":\"promote\"}}");
        assertEquals(List.of(new Step.Shift(10), new Step.Bake(300), new Step.Approval(7200, OnTimeout.PROMOTE)),
                request.plan().steps());
    }

    static Stream<Arguments> outOfRange() {
        String base = "\"functionName\":\"orders\",\"targetVersion\":\"7\",";
        return Stream.of(
                Arguments.of("a pause of sixteen digits of days overflows no arithmetic and names its field",
                        "{" + base + "\"strategy\":{\"type\":\"Steps\",\"steps\":[{\"setWeight\":10},"
                                + "{\"pause\":{\"duration\":\"9999999999999999d\"}}]}}",
                        "strategy.steps[1].pause.duration: is far longer than 365d"),
                Arguments.of("twenty digits of seconds as text is too long, not a malformed number",
                        "{" + base + "\"strategy\":{\"type\":\"Steps\",\"steps\":[{\"setWeight\":10},"
                                + "{\"pause\":{\"duration\":\"99999999999999999999\"}}]}}",
                        "strategy.steps[1].pause.duration: is far longer than 365d"),
                Arguments.of("twenty digits of seconds as a number is too long too",
                        "{" + base + "\"strategy\":{\"type\":\"Steps\",\"steps\":[{\"setWeight\":10},"
                                + "{\"pause\":{\"duration\":99999999999999999999}}]}}",
                        "strategy.steps[1].pause.duration: is far longer than 365d"),
                Arguments.of("a percentage beyond a long never wraps into range",
                        "{" + base + "\"strategy\":{\"type\":\"TimeBasedCanary\",\"percentage\":18446744073709551626,"
                                + "\"intervalMinutes\":5}}",
                        "strategy.percentage: expected a whole percentage from 1 to 99"),
                Arguments.of("an approval wait that would outlast the execution's time-out is refused",
                        "{" + base + "\"strategy\":{\"type\":\"Steps\",\"steps\":[{\"setWeight\":10},"
                                + "{\"pause\":{\"duration\":\"300d\"}}]},\"approval\":{\"timeout\":\"65d\"}}",
                        "approval.timeout: waits up to 365d in total"),
                Arguments.of("a comment longer than a thousand characters is refused before it reaches any payload",
                        "{" + base + "\"strategy\":\"AllAtOnce\",\"comment\":\"" + "x".repeat(1001) + "\"}",
                        "comment: holds 1001 characters; at most 1000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void valuesOutOfRangeAreRefusedNamingTheirField(String sentence, String input, String expected) {
        InvalidInput refused = assertThrows(InvalidInput.class, () -> parse(input));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }

    @Test
    void aMinimumOfInvocationsIsReadAndRangeChecked() throws Exception {
        String base = "{\"functionName\":\"orders\",\"targetVersion\":\"7\",\"strategy\":\"AllAtOnce\"";
        assertEquals(0, parse(base + "}").minInvocations());
        assertEquals(50, parse(base + ",\"minInvocations\":50}").minInvocations());
        InvalidInput refused = assertThrows(InvalidInput.class, () -> parse(base + ",\"minInvocations\":-1}"));
        assertTrue(refused.getMessage().contains("minInvocations: expected a whole number of invocations from 0"),
                refused.getMessage());
    }

    @Test
    void aHugeListOfProblemsStaysAShortMessage() throws Exception {
        StringBuilder input = new StringBuilder("{\"functionName\":\"orders\",\"targetVersion\":\"7\",\"strategy\":\"AllAtOnce\"");
        for (int i = 0; i < 5000; i++) {
            input.append(",\"unknown").append(i).append("\":1");
        }
        input.append(",\"").append("y".repeat(40_000)).append("\":1}");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> parse(input.toString()));
        assertEquals(5001, refused.problems().size());
        assertTrue(refused.getMessage().length() < 32_768, () -> "message of " + refused.getMessage().length());
        assertTrue(refused.getMessage().endsWith("and 4951 more"), refused.getMessage());
    }

    static Stream<Arguments> invalid() {
        String base = "\"functionName\":\"orders\",\"targetVersion\":\"7\",\"strategy\":\"AllAtOnce\"";
        return Stream.of(
                Arguments.of("a request that is not an object is refused", "[1]", "input: expected a JSON object"),
                Arguments.of("a missing function name is refused",
                        "{\"targetVersion\":\"7\",\"strategy\":\"AllAtOnce\"}", "functionName: is required"),
                Arguments.of("a qualified function name is refused",
                        "{\"functionName\":\"orders:live\",\"targetVersion\":\"7\",\"strategy\":\"AllAtOnce\"}",
                        "functionName: expected a function name"),
                Arguments.of("$LATEST cannot be rolled out",
                        "{\"functionName\":\"orders\",\"targetVersion\":\"$LATEST\",\"strategy\":\"AllAtOnce\"}",
                        "targetVersion: expected a published version number such as \"7\"; $LATEST"),
                Arguments.of("version zero does not exist",
                        "{\"functionName\":\"orders\",\"targetVersion\":\"0\",\"strategy\":\"AllAtOnce\"}",
                        "targetVersion: expected a published version number"),
                Arguments.of("an all-digit alias is refused as Lambda refuses it",
                        "{" + base + ",\"alias\":\"123\"}", "alias: expected an alias name"),
                Arguments.of("alarms must be a list", "{" + base + ",\"alarms\":\"errors\"}",
                        "alarms: expected a list of CloudWatch alarm names"),
                Arguments.of("an alarm listed twice is refused", "{" + base + ",\"alarms\":[\"a\",\"a\"]}",
                        "alarms[1]: \"a\" is listed twice"),
                Arguments.of("a misspelt top-level field is named", "{" + base + ",\"targetversion\":\"8\"}",
                        "targetversion: unknown field"),
                Arguments.of("approval must be an object", "{" + base + ",\"approval\":true}",
                        "approval: expected an object"),
                Arguments.of("approval timeout must be a duration", "{" + base + ",\"approval\":{\"timeout\":\"soon\"}}",
                        "approval.timeout: expected a duration"),
                Arguments.of("a final bake must be a duration", "{" + base + ",\"finalBake\":\"a while\"}",
                        "finalBake: expected a duration"),
                Arguments.of("a final bake must not make the rollout outlast a Step Functions execution",
                        "{" + base + ",\"finalBake\":\"366d\"}", "finalBake: "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesNamingTheField(String sentence, String input, String expected) {
        InvalidInput refused = assertThrows(InvalidInput.class, () -> parse(input));
        assertTrue(refused.problems().stream().anyMatch(problem -> problem.startsWith(expected)),
                () -> "expected <" + expected + "> in " + refused.problems());
    }

    @Test
    void everyProblemIsListedInOneError() {
        InvalidInput refused = assertThrows(InvalidInput.class, () -> parse(
                "{\"alias\":\"9\",\"targetVersion\":\"$LATEST\",\"strategy\":\"Fast\",\"alarms\":[1]}"));
        assertEquals(5, refused.problems().size(), refused.problems()::toString);
        assertTrue(refused.getMessage().startsWith("Invalid rollout input (5 problems): functionName: is required"),
                refused.getMessage());
    }

    @Test
    void anApprovalBeforeStartComesBeforeTheFirstShiftAndAloneAsksForNoApprovalBeforePromotion() throws Exception {
        String canary = "{\"functionName\":\"orders\",\"targetVersion\":\"7\",\"strategy\":\"Canary10Percent5Minutes\","
                + "\"approval\":";
        List<Step> first = parse(canary + "{\"beforeStart\":true,\"timeout\":\"2h\"}}").plan().steps();
        assertEquals(List.of(new Step.Approval(7200, OnTimeout.ROLLBACK), new Step.Shift(10), new Step.Bake(300)), first);
        List<Step> both = parse(canary + "{\"beforeStart\":true,\"beforePromote\":true}}").plan().steps();
        assertEquals(new Step.Approval(86400, OnTimeout.ROLLBACK), both.get(0));
        assertEquals(new Step.Approval(86400, OnTimeout.ROLLBACK), both.get(both.size() - 1));
        Rollout.InvalidInput refused = org.junit.jupiter.api.Assertions.assertThrows(Rollout.InvalidInput.class,
                () -> parse(canary + "{\"beforeStart\":\"yes\"}}"));
        assertEquals(List.of("approval.beforeStart: expected true or false, got the string \"yes\""),
                refused.problems());
    }
}
