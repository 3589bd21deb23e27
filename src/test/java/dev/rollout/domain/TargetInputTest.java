package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The input's {@code target}: a stage canary named by API, stage and deployment; every mistake named. */
class TargetInputTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode input(String target) throws Exception {
        return MAPPER.readTree("{\"target\": " + target + ", \"strategy\": \"AllAtOnce\"}");
    }

    @Test
    void aStageCanaryTargetNamesTheApiTheStageAndTheDeploymentToRollOut() throws Exception {
        RolloutRequest request = RolloutRequest.parse(input("""
                {"type": "ApiGatewayCanary", "restApiId": "a1b2c3d4e5", "stage": "prod", "deploymentId": "x7y8z9",
                 "stageVariableOverrides": {"lambdaAlias": "next"}}"""));
        assertEquals(new Target.StageCanary("a1b2c3d4e5", "prod", Map.of("lambdaAlias", "next")), request.target());
        assertEquals("x7y8z9", request.targetVersion());
        assertEquals("stage a1b2c3d4e5/prod", request.target().describe());
        assertEquals("deployment", request.target().unit());
    }

    @Test
    void withoutADeploymentIdTheRolloutDeploysTheStagesApiItself() throws Exception {
        RolloutRequest request = RolloutRequest.parse(input(
                "{\"type\": \"ApiGatewayCanary\", \"restApiId\": \"a1b2c3d4e5\", \"stage\": \"prod\"}"));
        assertTrue(request.sideToCreate());
        assertFalse(RolloutRequest.parse(input("{\"type\": \"ApiGatewayCanary\", \"restApiId\": \"a1b2c3d4e5\","
                + " \"stage\": \"prod\", \"deploymentId\": \"x7y8z9\"}")).sideToCreate());
        Rollout.InvalidInput blank = assertThrows(Rollout.InvalidInput.class, () -> RolloutRequest.parse(input(
                "{\"type\": \"ApiGatewayCanary\", \"restApiId\": \"a1b2c3d4e5\", \"stage\": \"prod\","
                        + " \"deploymentId\": \"\"}")));
        assertTrue(blank.problems().get(0).startsWith("target.deploymentId:"), blank.problems()::toString);
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("a target beside a function names the function as the problem",
                        "{\"type\": \"ApiGatewayCanary\", \"restApiId\": \"a1b2c3d4e5\", \"stage\": \"prod\","
                                + " \"deploymentId\": \"x7y8z9\"}, \"functionName\": \"orders\"",
                        List.of("functionName: names a Lambda alias, which \"target\" replaces; give one or the other")),
                Arguments.of("hooks on a stage canary are refused, as they speak of a Lambda alias",
                        "{\"type\": \"ApiGatewayCanary\", \"restApiId\": \"a1b2c3d4e5\", \"stage\": \"prod\","
                                + " \"deploymentId\": \"x7y8z9\"}, \"hooks\": {\"preTraffic\": \"orders-smoke\"}",
                        List.of("hooks: apply to a Lambda alias rollout only (a hook is told the function, alias and"
                                + " versions); leave hooks out for a stage canary, or test the canary from a pipeline"
                                + " step")),
                Arguments.of("a currentVersion on a stage canary is refused, as a stage has no versions",
                        "{\"type\": \"ApiGatewayCanary\", \"restApiId\": \"a1b2c3d4e5\", \"stage\": \"prod\","
                                + " \"deploymentId\": \"x7y8z9\"}, \"currentVersion\": \"3\"",
                        List.of("currentVersion: names the version a Lambda alias must serve; a stage canary has no"
                                + " versions, so leave currentVersion out")),
                Arguments.of("an unknown type lists the known ones",
                        "{\"type\": \"Route66\"}",
                        List.of("target.type: unknown target type \"Route66\"; expected one of ApiGatewayCanary, Route53Weighted (a"
                                + " Lambda alias is named by functionName and alias instead)")),
                Arguments.of("a target that is not an object says what it should be",
                        "\"prod\"",
                        List.of("target: expected an object with a \"type\" (one of ApiGatewayCanary, Route53Weighted), got"
                                + " the string \"prod\"")),
                Arguments.of("every missing or malformed field is named at once",
                        "{\"type\": \"ApiGatewayCanary\", \"restApiId\": \"API-1\", \"stage\": \"prod\","
                                + " \"stageVariableOverrides\": {\"lambda-alias\": \"next\"}, \"canary\": 5}",
                        List.of("target.canary: unknown field; expected one of deploymentId, restApiId, stage,"
                                        + " stageVariableOverrides, type",
                                "target.restApiId: expected a REST API id such as \"a1b2c3d4e5\" (ten lower-case letters"
                                        + " and digits), got \"API-1\"",
                                "target.stageVariableOverrides.lambda-alias: a stage variable name has only letters,"
                                        + " digits and _")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void refusesWithEveryProblemNamed(String sentence, String target, List<String> problems) throws Exception {
        Rollout.InvalidInput refused = assertThrows(Rollout.InvalidInput.class, () -> RolloutRequest.parse(input(target)));
        assertEquals(problems, refused.problems());
    }
}
