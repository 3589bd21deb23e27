package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.InvalidInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CodeDeploy Lambda AppSpecs read as rollout inputs: the subset accepted, and every way one can be wrong. */
class AppSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The Lambda example of CodeDeploy's AppSpec reference, in YAML. */
    private static final String CODEDEPLOY_EXAMPLE = """
            version: 0.0
            Resources:
              - myLambdaFunction:
                  Type: AWS::Lambda::Function
                  Properties:
                    Name: "myLambdaFunction"
                    Alias: "myLambdaFunctionAlias"
                    CurrentVersion: "1"
                    TargetVersion: "2"
            Hooks:
              - BeforeAllowTraffic: "LambdaFunctionToValidateBeforeTrafficShift"
              - AfterAllowTraffic: "LambdaFunctionToValidateAfterTrafficShift"
            """;

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static ObjectNode wrapped(String appSpec) {
        ObjectNode input = JSON.createObjectNode();
        input.put("appSpec", appSpec);
        input.put("strategy", "Canary10Percent5Minutes");
        return input;
    }

    private static JsonNode expected(String function, String alias, String current, String target, String pre,
                                     String post) {
        ObjectNode input = JSON.createObjectNode();
        input.put("strategy", "Canary10Percent5Minutes");
        input.put("functionName", function).put("alias", alias).put("currentVersion", current).put("targetVersion", target);
        if (pre != null || post != null) {
            ObjectNode hooks = input.putObject("hooks");
            if (pre != null) {
                hooks.put("preTraffic", pre);
            }
            if (post != null) {
                hooks.put("postTraffic", post);
            }
        }
        return input;
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("CodeDeploy's own YAML example names function, alias, versions and both hooks",
                        wrapped(CODEDEPLOY_EXAMPLE), expected("myLambdaFunction", "myLambdaFunctionAlias", "1", "2",
                                "LambdaFunctionToValidateBeforeTrafficShift", "LambdaFunctionToValidateAfterTrafficShift")),
                Arguments.of("the same AppSpec as JSON text reads the same", wrapped("""
                        {"version": 0.0, "Resources": [{"myLambdaFunction": {"Type": "AWS::Lambda::Function",
                          "Properties": {"Name": "myLambdaFunction", "Alias": "myLambdaFunctionAlias",
                                         "CurrentVersion": "1", "TargetVersion": "2"}}}],
                         "Hooks": [{"BeforeAllowTraffic": "LambdaFunctionToValidateBeforeTrafficShift"},
                                   {"AfterAllowTraffic": "LambdaFunctionToValidateAfterTrafficShift"}]}"""),
                        expected("myLambdaFunction", "myLambdaFunctionAlias", "1", "2",
                                "LambdaFunctionToValidateBeforeTrafficShift", "LambdaFunctionToValidateAfterTrafficShift")),
                Arguments.of("lower-case keys, as CodeDeploy's structure reference spells them, and unquoted versions",
                        wrapped("""
                                version: 0.0
                                resources:
                                  - orders:
                                      type: AWS::Lambda::Function
                                      properties:
                                        name: orders
                                        alias: live
                                        currentversion: 6
                                        targetversion: 7
                                """), expected("orders", "live", "6", "7", null, null)),
                Arguments.of("the AppSpec object itself with a strategy beside its keys", json("""
                        {"version": "0.0", "strategy": "Canary10Percent5Minutes",
                         "Resources": [{"orders": {"Type": "AWS::Lambda::Function", "Properties":
                           {"Name": "orders", "Alias": "live", "CurrentVersion": "6", "TargetVersion": "7"}}}],
                         "Hooks": [{"AfterAllowTraffic": "orders-e2e"}]}"""),
                        expected("orders", "live", "6", "7", null, "orders-e2e")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void readsTheSubsetCodeDeployWrites(String sentence, JsonNode input, JsonNode expected) {
        assertTrue(AppSpec.isIn(input));
        assertEquals(expected, AppSpec.expand(input));
    }

    static Stream<Arguments> refused() {
        String resource = "Resources: [{orders: {Type: AWS::Lambda::Function, Properties: {Name: orders, Alias: live,"
                + " CurrentVersion: 1, TargetVersion: 2}}}]";
        return Stream.of(
                Arguments.of("an ECS service does not roll out here", wrapped("version: 0.0\nResources: [{svc: {Type:"
                        + " AWS::ECS::Service, Properties: {Name: a, Alias: b, CurrentVersion: 1, TargetVersion: 2}}}]"),
                        List.of("appSpec.Resources[0].svc.Type: expected AWS::Lambda::Function: only Lambda deployments"
                                + " roll out here, got the string \"AWS::ECS::Service\"")),
                Arguments.of("an ECS lifecycle event is named as such", wrapped("version: 0.0\n" + resource
                        + "\nHooks: [{AfterInstall: check}]"),
                        List.of("appSpec.Hooks[0].AfterInstall: is no lifecycle event of a Lambda deployment; expected"
                                + " BeforeAllowTraffic or AfterAllowTraffic")),
                Arguments.of("a hook listed twice", wrapped("version: 0.0\n" + resource
                        + "\nHooks: [{BeforeAllowTraffic: a}, {BeforeAllowTraffic: b}]"),
                        List.of("appSpec.Hooks[1].BeforeAllowTraffic: is listed twice; each hook runs once per deployment")),
                Arguments.of("every missing property is listed at once", wrapped("version: 0.0\nResources: [{orders:"
                        + " {Type: AWS::Lambda::Function, Properties: {Name: orders}}}]"),
                        List.of("appSpec.Resources[0].orders.Properties.Alias: is required, got nothing",
                                "appSpec.Resources[0].orders.Properties.CurrentVersion: is required, got nothing",
                                "appSpec.Resources[0].orders.Properties.TargetVersion: is required, got nothing")),
                Arguments.of("two functions in one AppSpec", wrapped("version: 0.0\nResources: [{a: {}}, {b: {}}]"),
                        List.of("appSpec.Resources: expected a list with the one Lambda function to deploy, got 2 entries")),
                Arguments.of("a version other than 0.0", wrapped("version: 1.0\n" + resource),
                        List.of("appSpec.version: expected 0.0, the AppSpec version CodeDeploy reads, got the number 1.0")),
                Arguments.of("a function name beside the AppSpec would contradict it", wrappedWith("functionName"),
                        List.of("functionName: cannot stand beside an AppSpec; expected only alarms, approval, comment,"
                                + " strategy beside appSpec")),
                Arguments.of("text that is no YAML", wrapped("version: [0.0"),
                        List.of("appSpec: is neither YAML nor JSON")),
                Arguments.of("an unknown property is a typo", wrapped("version: 0.0\nResources: [{orders: {Type:"
                        + " AWS::Lambda::Function, Properties: {Name: orders, Alias: live, CurrentVersion: 1,"
                        + " TargetVersions: 2}}}]"),
                        List.of("appSpec.Resources[0].orders.Properties.TargetVersions: is not part of a Lambda AppSpec;"
                                + " expected Alias, CurrentVersion, Name, TargetVersion",
                                "appSpec.Resources[0].orders.Properties.TargetVersion: is required, got nothing")),
                Arguments.of("a key given twice in different cases is ambiguous", wrapped("version: 0.0\nResources:"
                        + " [{orders: {Type: AWS::Lambda::Function, Properties: {Name: orders, Alias: live,"
                        + " CurrentVersion: 1, TargetVersion: 2, targetversion: 3}}}]"),
                        List.of("appSpec.Resources[0].orders.Properties.targetversion: is given twice, also as"
                                + " TargetVersion")));
    }

    private static ObjectNode wrappedWith(String field) {
        ObjectNode input = wrapped(CODEDEPLOY_EXAMPLE);
        input.put(field, "orders");
        return input;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWhatItCannotRollOutNamingThePlace(String sentence, JsonNode input, List<String> problems) {
        InvalidInput refused = assertThrows(InvalidInput.class, () -> AppSpec.expand(input));
        assertEquals(problems.size(), refused.problems().size(), refused.problems()::toString);
        for (int i = 0; i < problems.size(); i++) {
            assertTrue(refused.problems().get(i).startsWith(problems.get(i)), refused.problems().get(i));
        }
    }

    @Test
    void aPlainInputIsLeftAsItIs() {
        JsonNode plain = json("{\"functionName\": \"orders\", \"targetVersion\": \"7\", \"strategy\": \"AllAtOnce\"}");
        assertFalse(AppSpec.isIn(plain));
        assertSame(plain, AppSpec.expand(plain));
    }

    @Test
    void theExpandedInputIsARolloutRequestWithTheAppSpecsHooksAndCurrentVersion() {
        RolloutRequest request = RolloutRequest.parse(AppSpec.expand(wrapped(CODEDEPLOY_EXAMPLE)));
        assertEquals(new Target.LambdaAlias("myLambdaFunction", "myLambdaFunctionAlias"), request.target());
        assertEquals("1", request.currentVersion());
        assertEquals("2", request.targetVersion());
        assertEquals(new Hooks(new Hook("LambdaFunctionToValidateBeforeTrafficShift", 900, false),
                new Hook("LambdaFunctionToValidateAfterTrafficShift", 900, false)), request.hooks());
    }
}
