package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.AlarmTriggered;
import Rollout.Conflict;
import Rollout.InvalidInput;
import Rollout.Throttled;
import Rollout.Transient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import dev.rollout.aws.HookFunctions;
import dev.rollout.domain.HookAvailability;
import dev.rollout.domain.Routing;
import dev.rollout.domain.StackDefaults;
import dev.rollout.local.aws.AwsAccount;
import dev.rollout.local.aws.CloudWatchErrors;
import dev.rollout.local.aws.LambdaErrors;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;

class PrepareTest {
    private final World world = new World();
    private final Prepare prepare = new Prepare(world.lambda, world.apiGateway, world.cloudWatch, world.clock);

    @Test
    void recordsTheStartingVersionAndRevisionWithoutMovingTraffic() {
        Routing before = world.alias();
        JsonNode output = prepare.handle(World.request("Linear10PercentEvery1Minute"));
        assertEquals("1", output.at("/rollout/fromVersion").asText());
        assertEquals("2", output.at("/rollout/toVersion").asText());
        assertEquals(18, output.at("/rollout/steps").size());
        assertEquals("Shift", output.at("/rollout/steps/0/type").asText());
        assertEquals(before.revision(), output.path("revisionId").asText());
        assertEquals("2026-11-22T10:00:00Z", output.at("/rollout/preparedAt").asText());
        assertEquals(before, world.alias());
    }

    @Test
    void listsEveryProblemWithTheAccountAtOnce() {
        ObjectNode input = World.request("AllAtOnce");
        input.put("alias", "blue");
        input.put("targetVersion", "9");
        input.putArray("alarms").add("orders-latency").add(World.ALARM);
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertEquals(3, refused.problems().size(), refused.problems()::toString);
        assertTrue(refused.problems().get(0).startsWith("alias: function orders has no alias \"blue\""));
        assertTrue(refused.problems().get(1).startsWith("targetVersion: version 9 of orders does not exist"));
        assertTrue(refused.problems().get(2).startsWith("alarms[0]: no CloudWatch alarm named \"orders-latency\""));
    }

    @Test
    void carriesTheHooksIntoThePreparedRollout() {
        world.lambda.addFunction("orders-smoke");
        ObjectNode input = World.request("AllAtOnce");
        input.putObject("hooks").put("preTraffic", "orders-smoke");
        JsonNode output = prepare.handle(input);
        assertEquals("orders-smoke", output.at("/rollout/hooks/preTraffic/function").asText());
        assertEquals(900, output.at("/rollout/hooks/preTraffic/timeoutSeconds").asInt());
        assertTrue(output.at("/rollout/hooks/postTraffic").isMissingNode(), "an absent hook is left out");
    }

    @Test
    void refusesAHookFunctionThatDoesNotExistBeforeAnythingMoves() {
        Routing before = world.alias();
        ObjectNode input = World.request("AllAtOnce");
        input.putObject("hooks").put("postTraffic", "orders-e2e");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertEquals(List.of("hooks.postTraffic: no Lambda function named \"orders-e2e\" exists in this account and"
                + " region"), refused.problems());
        assertEquals(before, world.alias());
    }

    @Test
    void aHookOutsideTheStacksHookFunctionNamesIsRefusedNamingTheParameter() {
        // The stack grants GetFunctionConfiguration on HookFunctionNames only: any other function is access denied.
        LambdaClient denying = new LambdaClient() {
            @Override
            public GetFunctionResponse getFunction(GetFunctionRequest request) {
                throw (LambdaException) LambdaException.builder().statusCode(403)
                        .message("User is not authorized to perform: lambda:GetFunction").build();
            }

            @Override
            public String serviceName() {
                return "lambda";
            }

            @Override
            public void close() {
            }
        };
        assertEquals(HookAvailability.NOT_ALLOWED, new HookFunctions(denying).check("payments-smoke"));
        assertEquals(HookAvailability.MISSING, new HookFunctions(world.lambda).check("payments-smoke"));
        world.lambda.addFunction("payments-smoke");
        assertEquals(HookAvailability.READY, new HookFunctions(world.lambda).check("payments-smoke"));
    }

    @Test
    void anAppSpecWhoseCurrentVersionTheAliasNoLongerServesIsRefusedNamingBoth() {
        Routing before = world.alias();
        ObjectNode input = Json.object();
        input.put("appSpec", "version: 0.0\nResources:\n  - orders:\n      Type: AWS::Lambda::Function\n"
                + "      Properties: {Name: " + World.FUNCTION + ", Alias: live, CurrentVersion: 3, TargetVersion: 2}\n");
        input.put("strategy", "AllAtOnce");
        Conflict refused = assertThrows(Conflict.class, () -> prepare.handle(input));
        assertTrue(refused.getMessage().startsWith("currentVersion is 3, but alias orders:live serves version 1"),
                refused.getMessage());
        assertEquals(before, world.alias());
    }

    @Test
    void anAppSpecMatchingTheAliasPreparesItsRollout() {
        ObjectNode input = Json.object();
        input.put("appSpec", "version: 0.0\nResources:\n  - orders:\n      Type: AWS::Lambda::Function\n"
                + "      Properties: {Name: " + World.FUNCTION + ", Alias: live, CurrentVersion: 1, TargetVersion: 2}\n");
        input.put("strategy", "AllAtOnce");
        JsonNode output = prepare.handle(input);
        assertEquals("1", output.at("/rollout/fromVersion").asText());
        assertEquals("2", output.at("/rollout/toVersion").asText());
    }

    @Test
    void refusesAFunctionThatDoesNotExist() {
        ObjectNode input = World.request("AllAtOnce");
        input.put("functionName", "payments");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertTrue(refused.getMessage().contains("functionName: no Lambda function named \"payments\""),
                refused.getMessage());
    }

    @Test
    void refusesToRollOutTheVersionAlreadyServed() {
        ObjectNode input = World.request("AllAtOnce");
        input.put("targetVersion", "1");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertTrue(refused.getMessage().contains("alias live already serves version 1"), refused.getMessage());
    }

    @Test
    void asksAwsNothingAboutAFunctionNameLambdaWouldRefuse() {
        ObjectNode input = World.request("Canary99Percent");
        input.put("functionName", "orders/../billing");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertTrue(refused.problems().get(0).startsWith("functionName: expected a function name"), refused::toString);
        for (String call : List.of("GetFunction", "GetAlias", "ListTags")) {
            assertEquals(0, world.lambda.faults().calls(call), call);
        }
    }

    @Test
    void reportsInputProblemsAndMissingAlarmsAndVersionsInOneRefusal() {
        Routing before = world.alias();
        ObjectNode input = World.request("AllAtOnce");
        input.put("targetVersion", "9");
        ObjectNode strategy = input.putObject("strategy").put("type", "Steps");
        strategy.putArray("steps").add(Json.object().put("setWeight", 30)).add(Json.object().put("setWeight", 20));
        input.putArray("alarms").add(World.ALARM).add("orders-latency");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertEquals(List.of(
                "strategy.steps[1].setWeight: weights must increase: 20 does not exceed the previous weight 30",
                "targetVersion: version 9 of orders does not exist; publish it first (aws lambda publish-version)",
                "alarms[1]: no CloudWatch alarm named \"orders-latency\" exists in this account and region"),
                refused.problems());
        assertEquals(before, world.alias());
        assertEquals(0, world.lambda.faults().calls("UpdateAlias"), "the alias is only read, never written");
    }

    @Test
    void anInvalidInputIsRefusedForItsOwnProblemsWhenTheLookupsFail() {
        world.lambda.faults().failNext("GetAlias", 1, LambdaErrors::serviceError);
        ObjectNode input = World.request("Canary99Percent");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(input));
        assertEquals(1, refused.problems().size(), refused::toString);
        assertTrue(refused.problems().get(0).startsWith("strategy: unknown strategy \"Canary99Percent\""),
                refused::toString);
    }

    @Test
    void refusesAnAliasAlreadySplitAndLeavesItAlone() {
        world.routeByHand("1", Map.of("3", 0.3));
        Routing split = world.alias();
        Conflict conflict = assertThrows(Conflict.class, () -> prepare.handle(World.request("AllAtOnce")));
        assertTrue(conflict.getMessage().contains("already routes version 1 70%, version 3 30%"), conflict.getMessage());
        assertEquals(split, world.alias());
    }

    @Test
    void refusesToStartWhileAWatchedAlarmFires() {
        world.breakVersion("1");
        world.serveAMinute(10);
        AlarmTriggered firing = assertThrows(AlarmTriggered.class, () -> prepare.handle(World.request("AllAtOnce")));
        assertTrue(firing.getMessage().startsWith("alarm orders-errors is already in ALARM"), firing.getMessage());
    }

    @Test
    void throttlingBecomesARetriableError() {
        world.lambda.faults().failNext("GetAlias", 1, LambdaErrors::throttled);
        Throttled error = assertThrows(Throttled.class, () -> prepare.handle(World.request("AllAtOnce")));
        assertEquals("Rollout.Throttled", error.errorName());
    }

    @Test
    void theAlarmsTheInputNamesAreReadFirstSoAThrottledReadHasSpentNoOtherCall() {
        world.cloudWatch.faults().failNext("DescribeAlarms", 1, CloudWatchErrors::throttled);
        int functionReads = world.lambda.faults().calls("GetFunction");
        int aliasReads = world.lambda.faults().calls("GetAlias");
        // The input leaves approval, metrics and hooks to the function's tags: Prepare reads them with GetFunction.
        ObjectNode input = World.request("AllAtOnce");
        assertThrows(Throttled.class, () -> prepare.handle(input));
        assertEquals(functionReads, world.lambda.faults().calls("GetFunction"));
        assertEquals(aliasReads, world.lambda.faults().calls("GetAlias"));
        assertEquals("1", prepare.handle(input).path("rollout").path("fromVersion").asText());
    }

    // ---- Settings from the function's tags and the stack's defaults ----

    /** What StartRollout passes: the function and version, nothing about how to roll out. */
    private static ObjectNode automatic() {
        ObjectNode input = Json.object();
        input.put("functionName", World.FUNCTION);
        input.put("targetVersion", "2");
        return input;
    }

    private void tag(Map<String, String> tags) {
        world.lambda.tagResource(request -> request.resource(AwsAccount.DEFAULT.arn("lambda", "function:" + World.FUNCTION))
                .tags(tags));
    }

    @Test
    void settingsTheInputLeavesOutComeFromTheFunctionsTags() {
        tag(Map.of("rollout:strategy", "Linear10PercentEvery1Minute", "rollout:alarms", World.ALARM));
        JsonNode output = prepare.handle(automatic());
        assertEquals("Linear10PercentEvery1Minute", output.at("/rollout/strategy").asText());
        assertEquals(List.of(World.ALARM), Json.MAPPER.convertValue(output.at("/rollout/alarms"), List.class));
        assertEquals("tag rollout:strategy", output.at("/settingsFrom/strategy").asText());
        assertEquals("tag rollout:alarms", output.at("/settingsFrom/alarms").asText());
    }

    @Test
    void stackDefaultsFillWhatNeitherInputNorTagsSet() {
        tag(Map.of("rollout:alarms", World.ALARM));
        Prepare withDefaults = new Prepare(world.lambda, world.apiGateway, world.cloudWatch, world.clock,
                new StackDefaults("Canary10Percent5Minutes", "", "false"));
        JsonNode output = withDefaults.handle(automatic());
        assertEquals("Canary10Percent5Minutes", output.at("/rollout/strategy").asText());
        assertEquals("stack parameter DefaultStrategy", output.at("/settingsFrom/strategy").asText());
        assertEquals(2, output.at("/rollout/steps").size(), "no approval step: DefaultApproval is false");
    }

    @Test
    void anInvalidTagFailsNamingTheTagBeforeAnyTrafficMoves() {
        tag(Map.of("rollout:strategy", "Fast"));
        Routing before = world.alias();
        int aliasWrites = world.lambda.faults().calls("UpdateAlias");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(automatic()));
        assertTrue(refused.problems().get(0).startsWith("tag rollout:strategy: unknown strategy \"Fast\"; expected one of"),
                refused.problems()::toString);
        assertEquals(aliasWrites, world.lambda.faults().calls("UpdateAlias"), "the alias is only read, never written");
        assertEquals(before, world.alias());
    }

    @Test
    void anAlarmATagNamesThatDoesNotExistIsReportedAgainstTheTag() {
        tag(Map.of("rollout:strategy", "AllAtOnce", "rollout:alarms", "orders-latency " + World.ALARM));
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(automatic()));
        assertEquals(List.of("tag rollout:alarms: no CloudWatch alarm named \"orders-latency\" exists in this account"
                + " and region"), refused.problems());
    }

    @Test
    void anAliasATagNamesThatDoesNotExistIsReportedAgainstTheTag() {
        tag(Map.of("rollout:strategy", "AllAtOnce", "rollout:alias", "blue"));
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(automatic()));
        assertTrue(refused.getMessage().contains("tag rollout:alias: function orders has no alias \"blue\""),
                refused.getMessage());
    }

    @Test
    void anExplicitInputWinsOverTagsAndReadsNoTagsWhenItSetsEverything() {
        tag(Map.of("rollout:strategy", "Fast", "rollout:alias", "blue"));
        ObjectNode console = World.request("AllAtOnce");
        console.put("alias", "live");
        console.putObject("approval").put("beforePromote", false);
        console.putObject("metrics");
        console.putObject("hooks");
        JsonNode output = prepare.handle(console);
        assertEquals("AllAtOnce", output.at("/rollout/strategy").asText());
        assertEquals("live", output.at("/rollout/target/alias").asText());
        assertTrue(output.path("settingsFrom").isEmpty(), output::toString);
        assertEquals(1, world.lambda.faults().calls("GetFunction"), "only the target version is looked up");
    }

    @Test
    void anAliasServingLatestCannotBeSplitButCanBeMovedAllAtOnce() {
        world.lambda.addFunction("reports");
        world.lambda.publishNewVersion("reports");
        world.lambda.createAlias(request -> request.functionName("reports").name("live").functionVersion("$LATEST"));
        ObjectNode canary = World.request("Canary10Percent5Minutes");
        canary.put("functionName", "reports");
        canary.put("targetVersion", "1");
        canary.remove("alarms");
        InvalidInput refused = assertThrows(InvalidInput.class, () -> prepare.handle(canary));
        assertEquals(List.of("alias: alias live serves $LATEST, and Lambda splits traffic only between published"
                + " versions; point it at a published version first, or roll out with AllAtOnce"), refused.problems());

        canary.put("strategy", "AllAtOnce");
        assertEquals("$LATEST", prepare.handle(canary).at("/rollout/fromVersion").asText());
    }

    @Test
    void aThrottledTagReadIsRetriableAndNamesTheCallThatFailed() {
        world.lambda.faults().failNext("GetFunction", 1, LambdaErrors::throttled);
        Throttled lookup = assertThrows(Throttled.class, () -> prepare.handle(automatic()));
        assertTrue(lookup.getMessage().startsWith("GetFunction orders was throttled"), lookup.getMessage());
    }

    @Test
    void aRolloutTakesOneCallFromLambdasSharedControlPlaneQuota() {
        tag(Map.of("rollout:strategy", "Canary10Percent5Minutes"));
        prepare.handle(automatic());
        assertEquals(1, world.lambda.faults().calls("GetAlias"));
        for (String shared : List.of("GetFunctionConfiguration", "ListTags", "ListVersionsByFunction")) {
            assertEquals(0, world.lambda.faults().calls(shared), shared);
        }
    }
}
