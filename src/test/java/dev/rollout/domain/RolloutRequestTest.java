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
        assertEquals("live", request.alias());
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
}
