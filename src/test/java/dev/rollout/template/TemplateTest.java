package dev.rollout.template;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.MINUTES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.domain.Durations;
import dev.rollout.domain.RolloutRequest;
import dev.rollout.domain.RolloutSettings;
import dev.rollout.domain.StackDefaults;
import dev.rollout.domain.Step;
import dev.rollout.domain.Strategies;
import dev.rollout.local.AlarmReactions;
import dev.rollout.local.AutomaticRollouts;
import dev.rollout.local.CloudFormationYaml;
import dev.rollout.local.ExecutionEndings;
import dev.rollout.local.aws.EventPattern;

/** Checks template.yaml for what cfn-lint cannot know: the rollout's own rules. */
class TemplateTest {

    private static final Path ROOT = ProjectRoot.path();
    private static final Path TEMPLATE = ROOT.resolve("template.yaml");
    private static final String CFN_LINT_MISSING = "cfn-lint is missing, so the template cannot be linted: install it"
            + " with python3 -m pip install cfn-lint (bin/test tries to)";

    private static final Map<String, String> TASK_HANDLERS = Map.ofEntries(
            Map.entry("PrepareFunction", "dev.rollout.handlers.PrepareAndClaim::handleRequest"),
            Map.entry("ShiftTrafficFunction", "dev.rollout.handlers.ShiftTraffic::handleRequest"),
            Map.entry("CheckHealthFunction", "dev.rollout.handlers.CheckHealth::handleRequest"),
            Map.entry("PromoteFunction", "dev.rollout.handlers.Promote::handleRequest"),
            Map.entry("RollbackFunction", "dev.rollout.handlers.Rollback::handleRequest"),
            Map.entry("NotifyFunction", "dev.rollout.handlers.Notify::handleRequest"),
            Map.entry("RequestApprovalFunction", "dev.rollout.handlers.RequestApproval::handleRequest"),
            Map.entry("BakeFunction", "dev.rollout.handlers.Bake::handleRequest"),
            Map.entry("ReleaseAliasFunction", "dev.rollout.handlers.ReleaseAlias::handleRequest"),
            Map.entry("CloseApprovalFunction", "dev.rollout.handlers.CloseApproval::handleRequest"),
            Map.entry("SettleFunction", "dev.rollout.handlers.Settle::handleRequest"));

    private static final Set<String> SHIFTS_TRAFFIC = Set.of("lambda:GetAlias", "lambda:UpdateAlias", "apigateway:GET",
            "apigateway:PATCH", "route53:ListResourceRecordSets", "route53:ChangeResourceRecordSets");
    /** Judging a window: the target, the alarms, their history, and the versions' own metrics. */
    private static final Set<String> CHECKS_ALIAS_AND_WINDOWS = Set.of("lambda:GetAlias", "apigateway:GET",
            "route53:ListResourceRecordSets", "route53:GetHealthCheckStatus", "cloudwatch:DescribeAlarms",
            "cloudwatch:DescribeAlarmHistory", "cloudwatch:GetMetricData", "dynamodb:GetItem", "dynamodb:UpdateItem");
    /** ShiftTraffic and Promote judge the window since the last check before they move traffic. */
    private static final Set<String> CHECKS_THEN_SHIFTS = Set.of("lambda:GetAlias", "lambda:UpdateAlias",
            "apigateway:GET", "apigateway:PATCH", "route53:ListResourceRecordSets", "route53:GetHealthCheckStatus",
            "route53:ChangeResourceRecordSets", "cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory",
            "cloudwatch:GetMetricData");
    /** Promote also releases the target when neither a post-traffic hook nor a final bake follows. */
    private static final Set<String> CHECKS_SHIFTS_AND_RELEASES = Set.of("lambda:GetAlias", "lambda:UpdateAlias",
            "apigateway:GET", "apigateway:PATCH", "route53:ListResourceRecordSets", "route53:GetHealthCheckStatus",
            "route53:ChangeResourceRecordSets", "cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory",
            "cloudwatch:GetMetricData", "dynamodb:GetItem", "dynamodb:UpdateItem");
    private static final Map<String, Set<String>> TASK_ACTIONS = Map.ofEntries(
            Map.entry("PrepareFunction", Set.of("lambda:GetAlias", "lambda:GetFunction", "lambda:ListTags",
                    "cloudwatch:DescribeAlarms", "apigateway:GET", "apigateway:POST", "route53:ListResourceRecordSets",
                    "dynamodb:GetItem", "dynamodb:PutItem")),
            Map.entry("ShiftTrafficFunction", CHECKS_THEN_SHIFTS),
            Map.entry("CheckHealthFunction", CHECKS_ALIAS_AND_WINDOWS),
            Map.entry("PromoteFunction", CHECKS_SHIFTS_AND_RELEASES),
            Map.entry("BakeFunction", Set.of("dynamodb:GetItem", "dynamodb:UpdateItem", "cloudwatch:DescribeAlarms")),
            Map.entry("RollbackFunction", SHIFTS_TRAFFIC),
            Map.entry("NotifyFunction", Set.of("sns:Publish", "dynamodb:PutItem", "dynamodb:UpdateItem")),
            Map.entry("RequestApprovalFunction", Set.of("dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem",
                    "sns:Publish", "cloudwatch:DescribeAlarms")),
            Map.entry("ReleaseAliasFunction", Set.of("dynamodb:UpdateItem")),
            Map.entry("CloseApprovalFunction", Set.of("dynamodb:Scan", "dynamodb:UpdateItem")),
            Map.entry("SettleFunction", Set.of("route53:GetChange")));
    /**
     * StartRollout reads a managed function's tags and alias, and starts the rollout state machine; AlarmStateChanged
     * finds the waits watching an alarm and fails their tasks.
     */
    private static final Map<String, Set<String>> FUNCTION_ACTIONS = withEventTargets();

    private static Map<String, Set<String>> withEventTargets() {
        Map<String, Set<String>> actions = new HashMap<>(TASK_ACTIONS);
        actions.put("StartRolloutFunction", Set.of("lambda:GetAlias", "lambda:GetFunction",
                "lambda:ListTags", "states:StartExecution"));
        actions.put("ContinueChainFunction", Set.of("lambda:GetFunction", "lambda:ListTags",
                "states:GetExecutionHistory", "states:StartExecution", "sns:Publish"));
        actions.put("AlarmStateChangedFunction", Set.of("dynamodb:GetItem", "dynamodb:UpdateItem",
                "states:SendTaskFailure"));
        actions.put("RestoreFunction", Set.of("lambda:GetAlias", "lambda:UpdateAlias", "apigateway:GET",
                "apigateway:PATCH", "route53:ListResourceRecordSets", "route53:ChangeResourceRecordSets",
                "states:GetExecutionHistory",
                "states:DescribeExecution", "dynamodb:GetItem", "dynamodb:UpdateItem", "sns:Publish"));
        actions.put("SweepFunction", Set.of("dynamodb:Scan", "dynamodb:UpdateItem", "states:SendTaskSuccess",
                "states:SendTaskFailure", "lambda:GetAlias", "lambda:UpdateAlias", "apigateway:GET", "apigateway:PATCH",
                "route53:ListResourceRecordSets", "route53:ChangeResourceRecordSets",
                "states:GetExecutionHistory", "states:DescribeExecution", "dynamodb:GetItem", "sns:Publish"));
        return Map.copyOf(actions);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode template;
    private static JsonNode resources;

    @BeforeAll
    static void readTemplate() throws IOException {
        template = CloudFormationYaml.read(TEMPLATE);
        resources = template.path("Resources");
    }

    @Test
    void cfnLintFindsNoErrors() throws Exception {
        assertLintClean();
    }

    @Test
    void cfnLintFindsNoErrorsWithEveryOptionalParameterSet() throws Exception {
        assertLintClean("--parameters", "ManagedFunctionNames=orders,payments",
                "ManagedRestApiIds=a1b2c3d4e5,f6g7h8i9j0", "ManagedHostedZoneIds=Z0123456789ABCDEFGHIJ",
                "ManagedRecordNames=api.example.com", "DefaultAlarms=orders-errors",
                "NotificationEmail=ops@example.com", "ApproverEmail=lead@example.com");
    }

    static void assertLintClean(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("cfn-lint", TEMPLATE.toString()));
        command.addAll(List.of(options));
        Process lint;
        try {
            lint = new ProcessBuilder(command)
                    .directory(ROOT.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException notFound) {
            fail(CFN_LINT_MISSING + " (" + notFound.getMessage() + ")");
            return;
        }
        String output = new String(lint.getInputStream().readAllBytes(), UTF_8);
        assertTrue(lint.waitFor(2, MINUTES), "cfn-lint did not finish");
        int exit = lint.exitValue();
        if (exit == 127) {
            fail(CFN_LINT_MISSING + "\n" + output);
        }
        // A bit mask: 2 errors, 4 warnings, 8 informational; 1 means cfn-lint itself failed.
        assertEquals(0, exit & 0b11, () -> "cfn-lint found errors (exit code " + exit + "):\n" + output);
    }

    @Test
    void greeterIsServedThroughItsLiveAlias() {
        JsonNode greeter = resource("GreeterFunction", "AWS::Serverless::Function");
        assertEquals("dev.rollout.serving.Greeter::handleRequest", greeter.at("/Properties/Handler").asText());

        JsonNode live = liveAlias();
        assertEquals(ref("GreeterFunction"), live.at("/Properties/FunctionName"));

        JsonNode permission = resourcesOfType("AWS::Lambda::Permission").stream()
                .filter(p -> p.at("/Properties/FunctionName").equals(ref("GreeterLiveAlias")))
                .findFirst()
                .orElseGet(() -> fail("no AWS::Lambda::Permission on the live alias"));
        assertEquals("apigateway.amazonaws.com", permission.at("/Properties/Principal").asText());
    }

    @Test
    void deploysNeverMoveTheLiveAlias() {
        String published = resource("GreeterFunction", "AWS::Serverless::Function")
                .at("/Properties/AutoPublishAlias").asText();
        assertFalse(published.isEmpty(), "deploys must publish a version for rollouts to roll out");
        assertFalse(published.equals("live"), "AutoPublishAlias moves its alias on every deploy");

        JsonNode version = liveAlias().at("/Properties/FunctionVersion");
        assertTrue(version.isTextual(),
                "a FunctionVersion that depends on other resources changes with deploys and moves traffic: " + version);
        assertTrue(liveAlias().at("/Properties/RoutingConfig").isMissingNode(),
                "routing weights belong to rollouts, and any alias update resets them");
    }

    @Test
    void apiInvokesTheLiveAlias() {
        List<JsonNode> integrations = resource("GreeterApi", "AWS::Serverless::Api")
                .at("/Properties/DefinitionBody").findValues("x-amazon-apigateway-integration");
        assertFalse(integrations.isEmpty(), "the API has no Lambda integration");
        for (JsonNode integration : integrations) {
            String uri = integration.path("uri").path("Fn::Sub").asText();
            assertTrue(uri.contains("/functions/${GreeterLiveAlias}/invocations"),
                    "the integration must invoke the live alias, not the function: " + integration);
        }
    }

    // ---- Environments: stages dev, test, prod, each on its own alias ----

    private static final List<String> ENVIRONMENTS = List.of("dev", "test", "prod");

    private static String capitalized(String environment) {
        return Character.toUpperCase(environment.charAt(0)) + environment.substring(1);
    }

    @Test
    void eachEnvironmentStageInvokesTheAliasItsStageVariableNames() {
        List<JsonNode> integrations = resource("GreeterEnvironmentsApi", "AWS::ApiGateway::RestApi")
                .at("/Properties/Body").findValues("x-amazon-apigateway-integration");
        assertFalse(integrations.isEmpty(), "the environments' API has no Lambda integration");
        for (JsonNode integration : integrations) {
            String uri = integration.path("uri").path("Fn::Sub").asText();
            assertTrue(uri.endsWith(":function:${GreeterFunction}:${!stageVariables.lambdaAlias}/invocations"),
                    "the integration must invoke the alias the stage variable names: " + integration);
        }
        for (String environment : ENVIRONMENTS) {
            JsonNode stage = resource("Greeter" + capitalized(environment) + "Stage", "AWS::ApiGateway::Stage");
            assertEquals(environment, stage.at("/Properties/StageName").asText());
            assertEquals(JSON.createObjectNode().put("lambdaAlias", environment), stage.at("/Properties/Variables"));
            JsonNode alias = resource("Greeter" + capitalized(environment) + "Alias", "AWS::Lambda::Alias");
            assertEquals(environment, alias.at("/Properties/Name").asText());
            assertTrue(alias.at("/Properties/FunctionVersion").isTextual(),
                    "a deploy must never move an environment's alias: " + alias);
            assertTrue(alias.at("/Properties/RoutingConfig").isMissingNode(), "weights belong to rollouts: " + alias);
        }
    }

    @Test
    void eachAliasLetsOnlyItsOwnStageInvokeIt() {
        Map<String, String> stageByAlias = new HashMap<>();
        for (JsonNode permission : resourcesOfType("AWS::Lambda::Permission")) {
            String alias = permission.at("/Properties/FunctionName/Ref").asText();
            String source = permission.at("/Properties/SourceArn/Fn::Sub").asText();
            if (!source.contains("${GreeterEnvironmentsApi}")) {
                continue;
            }
            assertEquals("apigateway.amazonaws.com", permission.at("/Properties/Principal").asText());
            String prefix = "${GreeterEnvironmentsApi}/";
            String stage = source.substring(source.indexOf(prefix) + prefix.length(), source.indexOf("/GET/"));
            assertTrue(stageByAlias.put(alias, stage) == null, alias + " has two permissions");
        }
        Map<String, String> expected = new HashMap<>();
        ENVIRONMENTS.forEach(environment -> expected.put("Greeter" + capitalized(environment) + "Alias", environment));
        assertEquals(expected, stageByAlias, "each alias may be invoked by its own stage, and by no other");
    }

    @Test
    void outputsGiveEachEnvironmentsUrl() {
        for (String environment : ENVIRONMENTS) {
            String url = template.at("/Outputs/" + capitalized(environment) + "Endpoint/Value/Fn::Sub").asText();
            assertTrue(url.endsWith("${GreeterEnvironmentsApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/"
                    + environment + "/"), url);
        }
    }

    @Test
    void stateMachineRunsTheTaskFunctions() {
        JsonNode stateMachine = resource("RolloutStateMachine", "AWS::Serverless::StateMachine");
        assertEquals("STANDARD", stateMachine.at("/Properties/Type").asText());

        TASK_HANDLERS.forEach((function, handler) -> assertEquals(handler,
                resource(function, "AWS::Serverless::Function").at("/Properties/Handler").asText(), function));

        Set<String> substituted = new TreeSet<>();
        stateMachine.at("/Properties/DefinitionSubstitutions").fields().forEachRemaining(substitution -> {
            substituted.add(substitution.getKey());
            String function = substitution.getKey().replaceFirst("Arn$", "");
            // The published alias, so that SnapStart applies: it never applies to $LATEST.
            assertEquals(ref(function + ".Alias"), substitution.getValue(), substitution.getKey());
        });
        assertEquals(new TreeSet<>(TASK_HANDLERS.keySet()),
                substituted.stream().map(key -> key.replaceFirst("Arn$", "")).collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void definitionUsesExactlyTheSubstitutions() throws IOException {
        JsonNode properties = resource("RolloutStateMachine", "AWS::Serverless::StateMachine").path("Properties");
        String definition = Files.readString(ROOT.resolve(properties.path("DefinitionUri").asText()));

        Set<String> used = new TreeSet<>();
        Matcher placeholder = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}").matcher(definition);
        while (placeholder.find()) {
            used.add(placeholder.group(1));
        }
        Set<String> substituted = new TreeSet<>();
        properties.path("DefinitionSubstitutions").fieldNames().forEachRemaining(substituted::add);
        assertEquals(substituted, used, "DefinitionSubstitutions keys versus ${...} used in the definition");
    }

    @Test
    void stateMachineMayInvokeOnlyItsTaskFunctionsAndTheHookFunctionsNamed() {
        Set<JsonNode> invocable = new HashSet<>();
        List<JsonNode> hookStatements = new ArrayList<>();
        for (JsonNode statement : policyStatements("RolloutStateMachine")) {
            if (actions(statement).contains("lambda:InvokeFunction")) {
                assertEquals(Set.of("lambda:InvokeFunction"), actions(statement), statement.toString());
                if (statement.path("Resource").isArray()) {
                    statement.path("Resource").forEach(invocable::add);
                } else {
                    hookStatements.add(statement);
                }
            }
        }
        assertEquals(TASK_HANDLERS.keySet().stream().map(f -> ref(f + ".Alias")).collect(Collectors.toSet()), invocable);
        assertEquals(1, hookStatements.size(), "one statement for the hooks");
        assertOnlyHookFunctions(hookStatements.get(0));
        assertEquals("InvokesHookFunctions", conditionOf("RolloutStateMachine", "InvokeHookFunctions"));
    }

    @Test
    void prepareChecksOnlyTheHookFunctionsNamed() {
        JsonNode check = policyStatements("PrepareFunction").stream()
                .filter(statement -> statement.path("Sid").asText().equals("CheckHookFunctionsExist"))
                .findFirst().orElseThrow();
        assertEquals(Set.of("lambda:GetFunction"), actions(check));
        assertOnlyHookFunctions(check);
        assertEquals("InvokesHookFunctions", conditionOf("PrepareFunction", "CheckHookFunctionsExist"));
        JsonNode variables = resource("PrepareFunction", "AWS::Serverless::Function").at("/Properties/Environment/Variables");
        assertEquals(ref("DefaultPreTrafficHook"), variables.path("DEFAULT_PRE_TRAFFIC_HOOK"));
        assertEquals(ref("DefaultPostTrafficHook"), variables.path("DEFAULT_POST_TRAFFIC_HOOK"));
    }

    /** Names from HookFunctionNames, and their versions and aliases, in this account and Region: never every function. */
    private static void assertOnlyHookFunctions(JsonNode statement) {
        String resourceText = statement.path("Resource").toString();
        assertTrue(resourceText.contains("\"Ref\":\"HookFunctionNames\""), statement.toString());
        assertFalse(resourceText.contains("ManagedFunctionNames") || resourceText.contains("function:*")
                || resourceText.contains("\"*\""), statement.toString());
        JsonNode pinned = statement.at("/Condition/StringEquals");
        assertEquals(ref("AWS::AccountId"), pinned.path("aws:ResourceAccount"), statement.toString());
        assertEquals(ref("AWS::Region"), pinned.path("aws:RequestedRegion"), statement.toString());
    }

    /** The condition of the Fn::If around the statement {@code sid} in a resource's inline policies. */
    private static String conditionOf(String logicalId, String sid) {
        for (JsonNode policy : resources.path(logicalId).at("/Properties/Policies")) {
            for (JsonNode statement : policy.path("Statement")) {
                JsonNode branches = statement.path("Fn::If");
                if (branches.isArray() && branches.get(1).path("Sid").asText().equals(sid)) {
                    assertEquals(ref("AWS::NoValue"), branches.get(2), sid + " has no statement otherwise");
                    return branches.get(0).asText();
                }
            }
        }
        throw new AssertionError(logicalId + " has no conditional statement " + sid);
    }

    @Test
    void everyRolloutFunctionStartsFromASnapshotOfItsPublishedAlias() {
        Set<String> functions = new TreeSet<>(TASK_HANDLERS.keySet());
        functions.addAll(List.of("ApprovalPageFunction", "StartRolloutFunction"));
        for (String function : functions) {
            JsonNode properties = resource(function, "AWS::Serverless::Function").path("Properties");
            assertEquals("PublishedVersions", properties.at("/SnapStart/ApplyOn").asText(), function);
            // SAM points the function's Events (the API, the EventBridge rule) at this alias.
            assertEquals("current", properties.path("AutoPublishAlias").asText(), function);
        }
        assertTrue(resource("GreeterFunction", "AWS::Serverless::Function").at("/Properties/SnapStart").isMissingNode(),
                "the serving sample stays as it was");
    }

    @Test
    void functionsMayDoOnlyWhatTheirStepNeeds() {
        FUNCTION_ACTIONS.forEach((function, expected) -> {
            Set<String> granted = policyStatements(function).stream()
                    .flatMap(statement -> actions(statement).stream())
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(new TreeSet<>(expected), granted, function);
        });
        assertTrue(resource("GreeterFunction", "AWS::Serverless::Function").at("/Properties/Policies").isMissingNode(),
                "the serving function calls no AWS API");
    }

    @Test
    void lambdaPermissionsReachOnlyTheManagedFunctions() {
        for (String function : FUNCTION_ACTIONS.keySet()) {
            for (JsonNode statement : policyStatements(function)) {
                if (actions(statement).stream().noneMatch(action -> action.startsWith("lambda:"))) {
                    continue;
                }
                String resourceText = statement.path("Resource").toString();
                if (statement.path("Sid").asText().equals("CheckHookFunctionsExist")) {
                    continue; // prepareChecksOnlyTheHookFunctionsNamed
                }
                assertTrue(resourceText.contains("GreeterFunction") || resourceText.contains("ManagedFunctionNames"),
                        function + " reaches functions other than the managed ones: " + statement);
                assertFalse(resourceText.contains("function:*") || resourceText.contains("\"*\""),
                        function + " reaches every function: " + statement);
                if (resourceText.contains("arn:*:")) {
                    JsonNode pinned = statement.at("/Condition/StringEquals");
                    assertEquals(ref("AWS::AccountId"), pinned.path("aws:ResourceAccount"), statement.toString());
                    assertEquals(ref("AWS::Region"), pinned.path("aws:RequestedRegion"), statement.toString());
                }
            }
        }
    }

    @Test
    void apiGatewayPermissionsReachOnlyTheManagedApisStagesAndDeployments() {
        for (String function : FUNCTION_ACTIONS.keySet()) {
            for (JsonNode statement : policyStatements(function)) {
                if (actions(statement).stream().noneMatch(action -> action.startsWith("apigateway:"))) {
                    continue;
                }
                String resourceText = statement.path("Resource").toString();
                assertTrue(resourceText.contains("GreeterApi") || resourceText.contains("ManagedRestApiIds"),
                        function + " reaches APIs other than the managed ones: " + statement);
                assertFalse(resourceText.contains("restapis/*") || resourceText.contains("\"*\""),
                        function + " reaches every API: " + statement);
                if (actions(statement).contains("apigateway:POST")) {
                    // CreateDeployment of a canary: on the API's deployments, never on a stage (which would move it).
                    assertEquals(Set.of("apigateway:POST"), actions(statement), statement.toString());
                    assertFalse(resourceText.contains("/stages"), function + " may deploy to a stage: " + statement);
                    assertTrue(resourceText.contains("/deployments\""), statement.toString());
                } else {
                    assertTrue(resourceText.contains("/stages/*") || resourceText.contains("/deployments/*"),
                            statement.toString());
                }
                if (actions(statement).contains("apigateway:PATCH")) {
                    assertFalse(resourceText.contains("/deployments/"), function + " may change deployments: " + statement);
                }
                if (resourceText.contains("arn:*:")) {
                    assertEquals(ref("AWS::Region"), statement.at("/Condition/StringEquals/aws:RequestedRegion"),
                            statement.toString());
                }
            }
        }
    }

    @Test
    void route53PermissionsReachOnlyTheManagedHostedZonesAndOnlyWhenThereAreAny() {
        for (String policy : List.of("WeightedRecordsInspectionPolicy", "WeightedRecordsCheckingPolicy",
                "WeightedRecordsShiftingPolicy")) {
            assertEquals("RollsOutManagedRecords", resource(policy, "AWS::IAM::ManagedPolicy").path("Condition")
                    .asText(), policy);
        }
        for (String function : FUNCTION_ACTIONS.keySet()) {
            for (JsonNode attached : resources.path(function).at("/Properties/Policies")) {
                if (attached.toString().contains("WeightedRecords")) {
                    assertEquals(JSON.createArrayNode().add("RollsOutManagedRecords")
                                    .add(ref(attached.path("Fn::If").get(1).path("Ref").asText()))
                                    .add(ref("AWS::NoValue")), attached.path("Fn::If"),
                            function + " attaches a Route 53 policy only when hosted zones are managed");
                }
            }
            for (JsonNode statement : policyStatements(function)) {
                Set<String> route53 = actions(statement).stream().filter(action -> action.startsWith("route53:"))
                        .collect(Collectors.toSet());
                if (route53.isEmpty()) {
                    continue;
                }
                String resourceText = statement.path("Resource").toString();
                if (route53.contains("route53:ListResourceRecordSets")
                        || route53.contains("route53:ChangeResourceRecordSets")) {
                    assertTrue(resourceText.contains("hostedzone/") && resourceText.contains("ManagedHostedZoneIds"),
                            function + " reaches hosted zones other than the managed ones: " + statement);
                    assertFalse(resourceText.contains("hostedzone/*"), statement.toString());
                }
                if (route53.contains("route53:ChangeResourceRecordSets")) {
                    JsonNode limited = statement.at("/Condition/Fn::If");
                    assertEquals("LimitsManagedRecordNames", limited.get(0).asText(), statement.toString());
                    JsonNode named = limited.get(1).path("ForAllValues:StringEquals");
                    JsonNode anyName = limited.get(2).path("ForAllValues:StringEquals");
                    assertEquals(ref("ManagedRecordNames"),
                            named.path("route53:ChangeResourceRecordSetsNormalizedRecordNames"), statement.toString());
                    for (JsonNode condition : List.of(named, anyName)) {
                        assertEquals(JSON.createArrayNode().add("CREATE").add("DELETE"),
                                condition.path("route53:ChangeResourceRecordSetsActions"),
                                "DELETE + CREATE only: an UPSERT would overwrite someone else's change");
                    }
                }
            }
        }
    }

    @Test
    void notificationsGoToTheRolloutTopic() {
        resource("RolloutTopic", "AWS::SNS::Topic");
        JsonNode notify = resource("NotifyFunction", "AWS::Serverless::Function");
        assertEquals(ref("RolloutTopic"), notify.at("/Properties/Environment/Variables/TOPIC_ARN"));
        assertEquals(ref("RolloutTopic"), statementWith("NotifyFunction", "sns:Publish").path("Resource"));
        assertEquals("SubscribesEmail",
                resource("RolloutEmailSubscription", "AWS::SNS::Subscription").path("Condition").asText());
    }

    @Test
    void requestApprovalLinksToTheApprovalApiAndMailsOnlyApprovers() {
        JsonNode variables = resource("RequestApprovalFunction", "AWS::Serverless::Function")
                .at("/Properties/Environment/Variables");
        String stage = resource("ApprovalApi", "AWS::Serverless::Api").at("/Properties/StageName").asText();
        assertEquals("https://${ApprovalApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/" + stage,
                variables.at("/APPROVAL_URL/Fn::Sub").asText());
        assertEquals(ref("ApprovalTable"), variables.path("APPROVAL_TABLE"));
        assertEquals(ref("ApprovalTopic"), variables.path("TOPIC_ARN"),
                "approval links decide rollouts: they go to the approvers' topic, not to every rollout subscriber");
        assertEquals(ref("ApprovalTopic"), statementWith("RequestApprovalFunction", "sns:Publish").path("Resource"));

        JsonNode subscription = resource("ApprovalEmailSubscription", "AWS::SNS::Subscription");
        assertEquals("SubscribesApprover", subscription.path("Condition").asText());
        assertEquals(ref("ApprovalTopic"), subscription.at("/Properties/TopicArn"));
    }

    @Test
    void theApprovalPageHasItsOwnApiAndOnlyItsRoutes() {
        JsonNode page = resource("ApprovalPageFunction", "AWS::Serverless::Function");
        assertEquals("dev.rollout.handlers.ApprovalPage::handleRequest", page.at("/Properties/Handler").asText());
        assertEquals(ref("ApprovalTable"), page.at("/Properties/Environment/Variables/APPROVAL_TABLE"));
        Set<String> routes = new TreeSet<>();
        page.at("/Properties/Events").forEach(event -> {
            assertEquals("Api", event.path("Type").asText(), event.toString());
            assertEquals(ref("ApprovalApi"), event.at("/Properties/RestApiId"),
                    "the approval page must not share the serving app's API: " + event);
            routes.add(event.at("/Properties/Method").asText() + " " + event.at("/Properties/Path").asText());
        });
        assertEquals(Set.of("get /approvals/{reference}", "head /approvals/{reference}",
                "post /approvals/{reference}"), routes);
    }

    @Test
    void theApprovalPageMayAnswerTasksOfTheRolloutStateMachineOnly() {
        // Beside the approval page, the control page and the waits that answer themselves with a control.
        Map<List<JsonNode>, JsonNode> answering = new HashMap<>();
        for (JsonNode policy : resourcesOfType("AWS::IAM::Policy")) {
            for (JsonNode statement : policy.at("/Properties/PolicyDocument/Statement")) {
                if (actions(statement).stream().anyMatch(action -> action.startsWith("states:SendTask"))) {
                    answering.put(jsonList(policy.at("/Properties/Roles")), statement);
                }
            }
        }
        assertEquals(Set.of(List.of(ref("ApprovalPageFunctionRole")), List.of(ref("ControlPageFunctionRole")),
                List.of(ref("BakeFunctionRole"), ref("RequestApprovalFunctionRole"))), answering.keySet(),
                "who may answer task tokens outside the functions' own policies");
        for (JsonNode statement : answering.values()) {
            assertEquals(Set.of("states:SendTaskSuccess", "states:SendTaskFailure"), actions(statement));
            assertEquals(ref("RolloutStateMachine"), statement.path("Resource"),
                    "task tokens may be answered for the rollout state machine only");
        }
        // A task found closed: the page reads whether that execution received the decision (its history).
        JsonNode reading = resource("ApprovalPageAnswersTasksPolicy", "AWS::IAM::Policy")
                .at("/Properties/PolicyDocument/Statement/1");
        assertEquals(Set.of("states:GetExecutionHistory", "states:DescribeExecution"), actions(reading));
        assertTrue(reading.path("Resource").toString().contains(":execution:${RolloutStateMachine.Name}:*"),
                reading.toString());
        assertEquals(Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                actions(statementWith("ApprovalPageFunction", "dynamodb:GetItem")));
        assertEquals(1, policyStatements("ApprovalPageFunction").size(), "the page needs only its table otherwise");
    }

    @Test
    void theControlPageIsOnTheApprovalApiAndDecidesOnlyInItsTable() {
        JsonNode page = resource("ControlPageFunction", "AWS::Serverless::Function");
        assertEquals("dev.rollout.handlers.ControlPage::handleRequest", page.at("/Properties/Handler").asText());
        assertEquals(ref("ControlTable"), page.at("/Properties/Environment/Variables/CONTROL_TABLE"));
        Set<String> routes = new TreeSet<>();
        page.at("/Properties/Events").forEach(event -> {
            assertEquals(ref("ApprovalApi"), event.at("/Properties/RestApiId"), event.toString());
            routes.add(event.at("/Properties/Method").asText() + " " + event.at("/Properties/Path").asText());
        });
        assertEquals(Set.of("get /controls/{reference}", "head /controls/{reference}", "post /controls/{reference}"),
                routes);
        assertEquals(Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                actions(statementWith("ControlPageFunction", "dynamodb:GetItem")));
        assertEquals(getAtt("ControlTable", "Arn"), statementWith("ControlPageFunction", "dynamodb:GetItem")
                .path("Resource"));
        assertEquals(1, policyStatements("ControlPageFunction").size(), "the page needs only its table otherwise");
        JsonNode describe = resource("ControlPageAnswersTasksPolicy", "AWS::IAM::Policy")
                .at("/Properties/PolicyDocument/Statement/1");
        assertEquals(Set.of("states:DescribeExecution"), actions(describe));
        assertEquals("arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${RolloutStateMachine.Name}:*",
                describe.at("/Resource/Fn::Sub").asText());
    }

    @Test
    void controlLinksWaitsAndDecisionsLiveInTheirOwnTable() {
        JsonNode table = resource("ControlTable", "AWS::DynamoDB::Table").path("Properties");
        // The key dev.rollout.aws.RolloutControls reads and writes, and its TTL attribute.
        assertEquals("key", table.at("/KeySchema/0/AttributeName").asText());
        assertEquals("purgeAt", table.at("/TimeToLiveSpecification/AttributeName").asText());
        for (String function : List.of("BakeFunction", "RequestApprovalFunction", "NotifyFunction", "SweepFunction")) {
            assertEquals(ref("ControlTable"), resource(function, "AWS::Serverless::Function")
                    .at("/Properties/Environment/Variables/CONTROL_TABLE"), function);
        }
        assertEquals(getAtt("ControlTable", "Arn"), statementWithId("NotifyFunction", "StoreControlLinks")
                .path("Resource"));
        JsonNode waits = resource("WaitsTakeControlsPolicy", "AWS::IAM::Policy")
                .at("/Properties/PolicyDocument/Statement/0");
        assertEquals(Set.of("dynamodb:UpdateItem"), actions(waits));
        assertEquals(getAtt("ControlTable", "Arn"), waits.path("Resource"));
    }

    @Test
    void theSweeperRunsEveryFiveMinutesAndDeliversOnlyToTheRolloutStateMachine() {
        JsonNode properties = resource("SweepFunction", "AWS::Serverless::Function").path("Properties");
        assertEquals("dev.rollout.handlers.Sweep::handleRequest", properties.path("Handler").asText());
        assertEquals("PublishedVersions", properties.at("/SnapStart/ApplyOn").asText());
        JsonNode schedule = properties.at("/Events/EveryFiveMinutes");
        assertEquals("Schedule", schedule.path("Type").asText());
        assertEquals("rate(5 minutes)", schedule.at("/Properties/Schedule").asText());
        assertEquals(ref("ApprovalTable"), properties.at("/Environment/Variables/APPROVAL_TABLE"));
        assertEquals(ref("RolloutStateMachine"), statementWith("SweepFunction", "states:SendTaskFailure")
                .path("Resource"), "the sweeper answers tasks of the rollout state machine only");
        // It scans the approvals and controls for undelivered decisions, the notices for unsent ones, and the claims
        // for targets left by ended rollouts.
        assertEquals(Set.of(List.of(getAtt("ApprovalTable", "Arn"), getAtt("ControlTable", "Arn"),
                                getAtt("NoticeTable", "Arn")),
                        List.of(getAtt("LeaseTable", "Arn"))),
                policyStatements("SweepFunction").stream().filter(statement -> actions(statement).contains("dynamodb:Scan"))
                        .map(statement -> statement.path("Resource").isArray() ? jsonList(statement.path("Resource"))
                                : List.of(statement.path("Resource")))
                        .collect(Collectors.toSet()));
        assertEquals(ref("ControlTable"), properties.at("/Environment/Variables/CONTROL_TABLE"));
        assertEquals(getAtt("LeaseTable", "Arn"), statementWith("SweepFunction", "dynamodb:GetItem").path("Resource"));
    }

    @Test
    void stuckRolloutsRaiseAnAlarmOnTheSweepersMetric() {
        JsonNode alarm = resource("StuckRolloutsAlarm", "AWS::CloudWatch::Alarm").path("Properties");
        // The namespace, metric and dimension dev.rollout.handlers.Sweep writes in embedded metric format.
        assertEquals("LambdaRollout", alarm.path("Namespace").asText());
        assertEquals("StuckRollouts", alarm.path("MetricName").asText());
        assertEquals("Service", alarm.at("/Dimensions/0/Name").asText());
        assertEquals("lambda-rollout", alarm.at("/Dimensions/0/Value").asText());
        assertEquals("GreaterThanOrEqualToThreshold", alarm.path("ComparisonOperator").asText());
        assertEquals(1, alarm.path("Threshold").asInt());
        assertEquals("notBreaching", alarm.path("TreatMissingData").asText());
        // The topic, and an OpsItem, which reaches people when SNS is what fails.
        assertEquals(List.of(ref("RolloutTopic"), opsItem(2)), jsonList(alarm.path("AlarmActions")));
    }

    /** The alarm action that opens an OpsItem of {@code severity} in Systems Manager OpsCenter (PutMetricAlarm). */
    private static JsonNode opsItem(int severity) {
        return JSON.createObjectNode().put("Fn::Sub", "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}"
                + ":opsitem:" + severity + "#CATEGORY=Availability");
    }

    @Test
    void endingsSnsRefusedAreKeptInTheirOwnTableForTheSweeperAndTheirAlarmsNeedNoSns() {
        JsonNode table = resource("NoticeTable", "AWS::DynamoDB::Table").path("Properties");
        // The key and TTL attribute dev.rollout.aws.UnsentNotices writes.
        assertEquals("key", table.at("/KeySchema/0/AttributeName").asText());
        assertEquals("purgeAt", table.at("/TimeToLiveSpecification/AttributeName").asText());
        for (String function : List.of("NotifyFunction", "SweepFunction")) {
            assertEquals(ref("NoticeTable"), resource(function, "AWS::Serverless::Function")
                    .at("/Properties/Environment/Variables/NOTICE_TABLE"), function);
        }
        JsonNode keep = statementWithId("NotifyFunction", "KeepUnsentNotices");
        assertEquals(Set.of("dynamodb:PutItem", "dynamodb:UpdateItem"), actions(keep));
        assertEquals(getAtt("NoticeTable", "Arn"), keep.path("Resource"));
        assertEquals(List.of(opsItem(3)), jsonList(resource("NoticesFailingAlarm", "AWS::CloudWatch::Alarm")
                .at("/Properties/AlarmActions")));
    }

    @Test
    void approvalsLiveInTheirTableUntilSomeDaysAfterTheyExpire() {
        JsonNode table = resource("ApprovalTable", "AWS::DynamoDB::Table").path("Properties");
        assertEquals("PAY_PER_REQUEST", table.path("BillingMode").asText());
        assertEquals("reference", table.at("/KeySchema/0/AttributeName").asText());
        assertEquals("S", table.at("/AttributeDefinitions/0/AttributeType").asText());
        // The attribute dev.rollout.aws.ApprovalItems writes the purge time to, in epoch seconds.
        assertEquals("purgeAt", table.at("/TimeToLiveSpecification/AttributeName").asText());
        assertTrue(table.at("/TimeToLiveSpecification/Enabled").asBoolean());
        assertEquals(getAtt("ApprovalTable", "Arn"),
                statementWith("RequestApprovalFunction", "dynamodb:PutItem").path("Resource"));
        for (JsonNode statement : policyStatements("ApprovalPageFunction")) {
            if (actions(statement).stream().anyMatch(action -> action.startsWith("dynamodb:"))) {
                assertEquals(getAtt("ApprovalTable", "Arn"), statement.path("Resource"), statement.toString());
            }
        }
    }

    // ---- Reacting to alarms during waits ----

    private static ObjectNode alarmEvent() throws IOException {
        return (ObjectNode) JSON.readTree(ROOT.resolve("events/alarms/alarm-state-change.json").toFile());
    }

    @Test
    void theAlarmRulePatternIsPlainJsonThatMatchesARealAlarmEnteringAlarm() throws IOException {
        JsonNode declared = AlarmReactions.rulePattern(TEMPLATE);
        assertFalse(declared.toString().contains("\"Ref\"") || declared.toString().contains("\"Fn::"),
                "the local runtime reads the pattern as it is written: " + declared);
        assertTrue(EventPattern.of(declared).matches(alarmEvent()));
    }

    @Test
    void theAlarmRulePatternLetsNoOtherStateOrEventThrough() throws IOException {
        EventPattern pattern = EventPattern.of(AlarmReactions.rulePattern(TEMPLATE));
        ObjectNode backToOk = alarmEvent();
        ((ObjectNode) backToOk.at("/detail/state")).put("value", "OK");
        ObjectNode insufficient = alarmEvent();
        ((ObjectNode) insufficient.at("/detail/state")).put("value", "INSUFFICIENT_DATA");
        ObjectNode configurationChange = alarmEvent().put("detail-type", "CloudWatch Alarm Configuration Change");
        ObjectNode otherSource = alarmEvent().put("source", "aws.events");
        for (JsonNode event : List.of(backToOk, insufficient, configurationChange, otherSource)) {
            assertFalse(pattern.matches(event), event.toString());
        }
    }

    @Test
    void waitsAreListedInTheirOwnTableThatOnlyTheWaitsAndTheAlarmTargetUse() {
        JsonNode table = resource("WatchTable", "AWS::DynamoDB::Table").path("Properties");
        assertEquals("PAY_PER_REQUEST", table.path("BillingMode").asText());
        // The key dev.rollout.aws.Watches reads and writes.
        assertEquals("alarmName", table.at("/KeySchema/0/AttributeName").asText());
        assertEquals("HASH", table.at("/KeySchema/0/KeyType").asText());
        for (String function : List.of("BakeFunction", "RequestApprovalFunction", "AlarmStateChangedFunction")) {
            assertEquals(ref("WatchTable"), resource(function, "AWS::Serverless::Function")
                    .at("/Properties/Environment/Variables/WATCH_TABLE"), function);
            assertEquals(getAtt("WatchTable", "Arn"), statementWith(function, "dynamodb:UpdateItem").path("Resource"),
                    function);
        }
    }

    @Test
    void theAlarmTargetMayFailTasksOfTheRolloutStateMachineOnly() {
        JsonNode function = resource("AlarmStateChangedFunction", "AWS::Serverless::Function");
        assertEquals("dev.rollout.handlers.AlarmStateChanged::handleRequest",
                function.at("/Properties/Handler").asText());
        assertEquals(ref("RolloutStateMachine"),
                statementWith("AlarmStateChangedFunction", "states:SendTaskFailure").path("Resource"));
        assertEquals(Set.of("states:SendTaskFailure"),
                actions(statementWith("AlarmStateChangedFunction", "states:SendTaskFailure")),
                "interrupting a wait is a failure; nothing here may let a rollout succeed");
    }

    @Test
    void outputsTellWhereToWatchAndWhereToStart() {
        Set<String> outputs = new TreeSet<>();
        template.path("Outputs").fieldNames().forEachRemaining(outputs::add);
        assertTrue(outputs.containsAll(Set.of("LiveEndpoint", "RolloutStateMachineArn", "RolloutTopicArn",
                "ServingFunctionName", "ServingApiId")), outputs::toString);
        assertTrue(template.at("/Outputs/LiveEndpoint/Value/Fn::Sub").asText().contains("${GreeterApi}"));
    }

    @Test
    void noStatementAllowsEveryActionOfAService() {
        for (JsonNode statement : template.findParents("Effect")) {
            for (String action : actions(statement)) {
                assertFalse(action.equals("*") || action.endsWith(":*"), "wildcard action in " + statement);
            }
            assertTrue(statement.path("NotAction").isMissingNode(), "NotAction grants nearly everything: " + statement);
        }
    }

    @Test
    void everyResourceWildcardSaysWhy() throws IOException {
        List<String> lines = Files.readAllLines(TEMPLATE);
        Pattern wildcard = Pattern.compile("^\\s*(Resource:\\s*|-\\s*)[\"']?\\*[\"']?\\s*$");
        List<String> unexplained = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (wildcard.matcher(lines.get(i)).matches() && !commentedAbove(lines, i)) {
                unexplained.add((i + 1) + ": " + lines.get(i).strip());
            }
        }
        assertEquals(List.of(), unexplained, "Resource \"*\" needs a comment on the line above saying why");
    }

    // ---- Automatic rollouts ----

    private static ObjectNode sampleEvent(String name) throws IOException {
        return (ObjectNode) JSON.readTree(ROOT.resolve("events/automatic").resolve(name).toFile());
    }

    @Test
    void theRulePatternIsPlainJsonThatMatchesRealPublicationEvents() throws IOException {
        JsonNode declared = AutomaticRollouts.rulePattern(TEMPLATE);
        assertFalse(declared.toString().contains("\"Ref\"") || declared.toString().contains("\"Fn::"),
                "the local runtime reads the pattern as it is written: " + declared);
        EventPattern pattern = EventPattern.of(declared);
        assertTrue(pattern.matches(sampleEvent("publish-version.cloudtrail.json")));
        assertTrue(pattern.matches(sampleEvent("update-function-code-publish.cloudtrail.json")));
    }

    @Test
    void theRulePatternLetsNoCallThroughThatPublishedNothing() throws IOException {
        EventPattern pattern = EventPattern.of(AutomaticRollouts.rulePattern(TEMPLATE));
        ObjectNode failed = sampleEvent("publish-version.cloudtrail.json");
        ((ObjectNode) failed.get("detail")).put("errorCode", "ResourceConflictException").putNull("responseElements");
        ObjectNode latestOnly = sampleEvent("update-function-code-publish.cloudtrail.json");
        ((ObjectNode) latestOnly.get("detail")).withObjectProperty("responseElements").put("version", "$LATEST");
        ObjectNode aliasUpdate = sampleEvent("publish-version.cloudtrail.json");
        ((ObjectNode) aliasUpdate.get("detail")).put("eventName", "UpdateAlias20150331");
        ObjectNode unversionedName = sampleEvent("publish-version.cloudtrail.json");
        ((ObjectNode) unversionedName.get("detail")).put("eventName", "PublishVersion");
        for (JsonNode event : List.of(failed, latestOnly, aliasUpdate, unversionedName)) {
            assertFalse(pattern.matches(event), event.path("detail").toString());
        }
    }

    @Test
    void startRolloutStartsOnlyTheRolloutStateMachineForTheManagedFunctions() {
        JsonNode function = resource("StartRolloutFunction", "AWS::Serverless::Function");
        assertEquals("dev.rollout.handlers.StartRollout::handleRequest", function.at("/Properties/Handler").asText());
        JsonNode variables = function.at("/Properties/Environment/Variables");
        assertEquals(ref("RolloutStateMachine"), variables.path("STATE_MACHINE_ARN"));
        String managed = variables.path("MANAGED_FUNCTIONS").toString();
        assertTrue(managed.contains(ref("GreeterFunction").toString())
                && managed.contains(ref("ManagedFunctionNames").toString()), managed);
        for (JsonNode statement : policyStatements("StartRolloutFunction")) {
            if (actions(statement).contains("states:StartExecution")) {
                assertEquals(ref("RolloutStateMachine"), statement.path("Resource"), statement.toString());
            }
        }
    }

    // ---- Restore on every ending ----

    private static EventPattern restorePattern(String stateMachineArn) throws IOException {
        return EventPattern.of(ExecutionEndings.resolveRefs(ExecutionEndings.rulePattern(TEMPLATE),
                Map.of(ExecutionEndings.stateMachineLogicalId(TEMPLATE), stateMachineArn)));
    }

    private static ObjectNode statusSample(String name) throws IOException {
        return (ObjectNode) JSON.readTree(ROOT.resolve("events/execution-status").resolve(name).toFile());
    }

    @Test
    void theRestoreRuleMatchesRealStatusChangeEventsOfEveryEndingWithoutACatch() throws IOException {
        JsonNode declared = ExecutionEndings.rulePattern(TEMPLATE);
        assertEquals(ref("RolloutStateMachine"), declared.at("/detail/stateMachineArn/0"),
                "the rule must name this stack's state machine, not every state machine in the account");
        ObjectNode aborted = statusSample("aborted.json");
        EventPattern pattern = restorePattern(aborted.at("/detail/stateMachineArn").asText());
        for (String sample : List.of("aborted.json", "timed-out.json", "failed.json")) {
            assertTrue(pattern.matches(statusSample(sample)), sample);
        }
        assertFalse(pattern.matches(statusSample("succeeded.json")), "a promoted rollout needs no restore");
        ObjectNode running = statusSample("aborted.json");
        ((ObjectNode) running.get("detail")).put("status", "RUNNING");
        assertFalse(pattern.matches(running));
        assertFalse(restorePattern(aborted.at("/detail/stateMachineArn").asText() + "-other").matches(aborted),
                "executions of other state machines are not ours to restore");
    }

    @Test
    void restoreReadsOnlyTheRolloutsHistoriesAndTellsTheRolloutTopic() {
        JsonNode restore = resource("RestoreFunction", "AWS::Serverless::Function");
        assertEquals("dev.rollout.handlers.Restore::handleRequest", restore.at("/Properties/Handler").asText());
        JsonNode variables = restore.at("/Properties/Environment/Variables");
        assertEquals(ref("RolloutStateMachine"), variables.path("STATE_MACHINE_ARN"));
        assertEquals(ref("RolloutTopic"), variables.path("TOPIC_ARN"));
        assertEquals(ref("RolloutTopic"), statementWith("RestoreFunction", "sns:Publish").path("Resource"));
        assertEquals("arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${RolloutStateMachine.Name}:*",
                statementWith("RestoreFunction", "states:GetExecutionHistory").at("/Resource/Fn::Sub").asText());
    }

    // ---- Environment chains ----

    @Test
    void theChainRuleMatchesEveryEndingOfThisStateMachineAndNoOther() throws IOException {
        JsonNode declared = ExecutionEndings.chainRulePattern(TEMPLATE);
        assertEquals(ref("RolloutStateMachine"), declared.at("/detail/stateMachineArn/0"));
        String arn = statusSample("succeeded.json").at("/detail/stateMachineArn").asText();
        EventPattern pattern = EventPattern.of(ExecutionEndings.resolveRefs(declared,
                Map.of(ExecutionEndings.stateMachineLogicalId(TEMPLATE), arn)));
        for (String sample : List.of("succeeded.json", "aborted.json", "timed-out.json", "failed.json")) {
            assertTrue(pattern.matches(statusSample(sample)), sample);
        }
        ObjectNode running = statusSample("succeeded.json");
        ((ObjectNode) running.get("detail")).put("status", "RUNNING");
        assertFalse(pattern.matches(running));
        ObjectNode other = statusSample("succeeded.json");
        ((ObjectNode) other.get("detail")).put("stateMachineArn", arn + "-other");
        assertFalse(pattern.matches(other), "executions of other state machines start no chain");
    }

    @Test
    void continueChainStartsOnlyTheRolloutStateMachineReadsOnlyItsHistoriesAndTellsTheRolloutTopic() {
        JsonNode function = resource("ContinueChainFunction", "AWS::Serverless::Function");
        assertEquals("dev.rollout.handlers.ContinueChain::handleRequest", function.at("/Properties/Handler").asText());
        JsonNode variables = function.at("/Properties/Environment/Variables");
        assertEquals(ref("RolloutStateMachine"), variables.path("STATE_MACHINE_ARN"));
        assertEquals(ref("RolloutTopic"), variables.path("TOPIC_ARN"));
        assertEquals(ref("RolloutStateMachine"),
                statementWith("ContinueChainFunction", "states:StartExecution").path("Resource"));
        assertEquals(ref("RolloutTopic"), statementWith("ContinueChainFunction", "sns:Publish").path("Resource"));
        assertEquals("arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${RolloutStateMachine.Name}:*",
                statementWith("ContinueChainFunction", "states:GetExecutionHistory").at("/Resource/Fn::Sub").asText());
        assertEquals(getAtt("LostStartsQueue", "Arn"),
                function.at("/Properties/EventInvokeConfig/DestinationConfig/OnFailure/Destination"));
    }

    @Test
    void theServingFunctionMovesThroughTheStacksEnvironmentsWithTheirDefaultSettings() {
        JsonNode tag = resource("GreeterFunction", "AWS::Serverless::Function")
                .at("/Properties/Tags/rollout:environments/Fn::Join");
        assertEquals(" ", tag.path(0).asText());
        assertEquals(ref("EnvironmentChain"), tag.path(1));
        JsonNode parameters = template.path("Parameters");
        assertEquals("dev,test,prod", parameters.at("/EnvironmentChain/Default").asText());
        for (String environment : parameters.at("/EnvironmentChain/Default").asText().split(",")) {
            assertEquals(environment, resourcesOfType("AWS::Lambda::Alias").stream()
                    .map(alias -> alias.at("/Properties/Name").asText())
                    .filter(environment::equals).findFirst().orElse("no alias"), "the chain's aliases exist");
        }
        JsonNode variables = resource("PrepareFunction", "AWS::Serverless::Function")
                .at("/Properties/Environment/Variables");
        assertEquals(ref("EnvironmentStrategies"), variables.at("/ENVIRONMENT_STRATEGIES/Fn::Join/1"));
        assertEquals(ref("EnvironmentApprovals"), variables.at("/ENVIRONMENT_APPROVALS/Fn::Join/1"));
        StackDefaults stack = StackDefaults.NONE.withEnvironments(
                parameters.at("/EnvironmentStrategies/Default").asText(),
                parameters.at("/EnvironmentApprovals/Default").asText());
        Map<String, String> tags = Map.of(RolloutSettings.STRATEGY_TAG, "Canary10Percent5Minutes",
                "rollout:environments", "dev test prod");
        Map<String, String> strategies = new java.util.LinkedHashMap<>();
        Map<String, Boolean> approvedFirst = new java.util.LinkedHashMap<>();
        for (String environment : List.of("dev", "test", "prod")) {
            ObjectNode input = JSON.createObjectNode().put("functionName", "lambda-rollout-greeter")
                    .put("alias", environment).put("targetVersion", "2");
            RolloutRequest request = RolloutSettings.resolve(input, tags, stack).request();
            strategies.put(environment, request.plan().strategy());
            approvedFirst.put(environment, request.plan().steps().stream().findFirst()
                    .filter(Step.Approval.class::isInstance).isPresent());
        }
        assertEquals(Map.of("dev", "AllAtOnce", "test", "Canary10Percent5Minutes", "prod", "Canary10Percent5Minutes"),
                strategies);
        assertEquals(Map.of("dev", false, "test", false, "prod", true), approvedFirst);
    }

    @Test
    void aliasClaimsLiveInTheirTableAndOnlyPrepareSeesWhetherTheirHoldersRun() {
        JsonNode table = resource("LeaseTable", "AWS::DynamoDB::Table").path("Properties");
        assertEquals("target", table.at("/KeySchema/0/AttributeName").asText());
        assertEquals("purgeAt", table.at("/TimeToLiveSpecification/AttributeName").asText());
        for (String function : List.of("PrepareFunction", "PromoteFunction", "CheckHealthFunction",
                "ReleaseAliasFunction", "RestoreFunction")) {
            JsonNode variables = resource(function, "AWS::Serverless::Function").at("/Properties/Environment/Variables");
            assertEquals(ref("LeaseTable"), variables.path("LEASE_TABLE"), function);
            for (JsonNode statement : policyStatements(function)) {
                if (statement.path("Sid").asText().equals("ActOnAbortsSinceTheLastWait")) {
                    // Promote and the last CheckHealth read a person's abort that no wait has acted on, and no more.
                    assertTrue(Set.of("PromoteFunction", "CheckHealthFunction").contains(function), function);
                    assertEquals(getAtt("ControlTable", "Arn"), statement.path("Resource"), statement.toString());
                    assertEquals(Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"), actions(statement));
                } else if (actions(statement).stream().anyMatch(action -> action.startsWith("dynamodb:"))) {
                    assertEquals(getAtt("LeaseTable", "Arn"), statement.path("Resource"), statement.toString());
                }
            }
        }
        JsonNode describe = resource("PrepareReadsExecutionsPolicy", "AWS::IAM::Policy").path("Properties");
        assertEquals(List.of(ref("PrepareFunctionRole")), jsonList(describe.path("Roles")));
        JsonNode statement = describe.at("/PolicyDocument/Statement/0");
        assertEquals(Set.of("states:DescribeExecution"), actions(statement));
        assertEquals("arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${RolloutStateMachine.Name}:*",
                statement.at("/Resource/Fn::Sub").asText());
    }

    @Test
    void failedStartsAndRestoresAreKeptAndAlarmedAndFailingNoticesToo() {
        Map<String, String> queues = Map.of("StartRolloutFunction", "LostStartsQueue",
                "RestoreFunction", "FailedRestoresQueue");
        queues.forEach((function, queue) -> {
            JsonNode onFailure = resource(function, "AWS::Serverless::Function")
                    .at("/Properties/EventInvokeConfig/DestinationConfig/OnFailure");
            assertEquals("SQS", onFailure.path("Type").asText(), function);
            assertEquals(getAtt(queue, "Arn"), onFailure.path("Destination"), function);
            resource(queue, "AWS::SQS::Queue");
            JsonNode alarm = resourcesOfType("AWS::CloudWatch::Alarm").stream()
                    .filter(a -> a.at("/Properties/Dimensions/0/Value").equals(getAtt(queue, "QueueName")))
                    .findFirst().orElseGet(() -> fail("no alarm on " + queue));
            assertEquals("ApproximateNumberOfMessagesVisible", alarm.at("/Properties/MetricName").asText());
            assertEquals(1, alarm.at("/Properties/Threshold").asInt());
        });
        JsonNode notices = resource("NoticesFailingAlarm", "AWS::CloudWatch::Alarm").path("Properties");
        assertEquals("Errors", notices.path("MetricName").asText());
        assertEquals(ref("NotifyFunction"), notices.at("/Dimensions/0/Value"));
    }

    @Test
    void theFunctionsThatPutTrafficBackHaveConcurrencyOfTheirOwnUnlessTheStackSaysNone() {
        for (String function : List.of("RollbackFunction", "RestoreFunction", "SweepFunction")) {
            JsonNode reserved = resource(function, "AWS::Serverless::Function")
                    .at("/Properties/ReservedConcurrentExecutions/Fn::If");
            assertEquals("ReservesRestoringConcurrency", reserved.path(0).asText(), function);
            assertEquals(ref("RestoringConcurrency"), reserved.path(1), function);
        }
        assertTrue(template.at("/Parameters/RestoringConcurrency/Default").asInt() > 0);
    }

    @Test
    void theExecutionLogsHoldNoExecutionDataSoNoTaskToken() {
        JsonNode logging = resource("RolloutStateMachine", "AWS::Serverless::StateMachine").at("/Properties/Logging");
        assertFalse(logging.path("IncludeExecutionData").asBoolean(true),
                "with execution data, RequestApproval's task token would be in CloudWatch Logs: " + logging);
    }

    @Test
    void theStateMachineTimesOutAndPlansMustFinishBeforeIt() throws IOException {
        JsonNode definition = JSON.readTree(ROOT.resolve("statemachine/rollout.asl.json").toFile());
        assertEquals(Durations.EXECUTION_TIMEOUT.getSeconds(), definition.path("TimeoutSeconds").asLong(),
                "the definition's TimeoutSeconds is the one plan validation keeps plans inside");
        assertTrue(Durations.PLAN_BUDGET.compareTo(Durations.EXECUTION_TIMEOUT) < 0);
    }

    @Test
    void prepareFallsBackToTheStacksDefaults() {
        JsonNode variables = resource("PrepareFunction", "AWS::Serverless::Function")
                .at("/Properties/Environment/Variables");
        assertEquals(ref("DefaultStrategy"), variables.path("DEFAULT_STRATEGY"));
        assertTrue(variables.path("DEFAULT_ALARMS").toString().contains(ref("DefaultAlarms").toString()));
        assertEquals(ref("DefaultApproval"), variables.path("DEFAULT_APPROVAL"));
    }

    @Test
    void theDefaultStrategyParameterOffersExactlyThePredefinedStrategies() {
        Set<String> allowed = new TreeSet<>();
        template.at("/Parameters/DefaultStrategy/AllowedValues").forEach(value -> allowed.add(value.asText()));
        Set<String> expected = new TreeSet<>(Strategies.predefinedNames());
        expected.add("");
        assertEquals(expected, allowed);
    }

    @Test
    void theServingFunctionsRolloutTagsAreValidAndWatchItsErrorsAlarm() {
        JsonNode tags = resource("GreeterFunction", "AWS::Serverless::Function").at("/Properties/Tags");
        String alarm = tags.at("/rollout:alarms/Fn::Sub").asText();
        assertEquals(resource("GreeterErrorsAlarm", "AWS::CloudWatch::Alarm").at("/Properties/AlarmName/Fn::Sub").asText(),
                alarm);
        ObjectNode automatic = JSON.createObjectNode().put("functionName", "lambda-rollout-greeter").put("targetVersion", "2");
        RolloutRequest request = RolloutSettings.resolve(automatic, Map.of(
                RolloutSettings.STRATEGY_TAG, tags.path(RolloutSettings.STRATEGY_TAG).asText(),
                RolloutSettings.ALARMS_TAG, alarm.replace("${AWS::StackName}", "lambda-rollout")),
                StackDefaults.NONE).request();
        assertEquals(List.of("lambda-rollout-greeter-errors"), request.alarms());
    }

    private static boolean commentedAbove(List<String> lines, int line) {
        for (int i = line - 1; i >= 0; i--) {
            String above = lines.get(i).strip();
            if (above.startsWith("#")) {
                return true;
            }
            if (!above.equals("Resource:")) {
                return false;
            }
        }
        return false;
    }

    private static JsonNode liveAlias() {
        JsonNode alias = resource("GreeterLiveAlias", "AWS::Lambda::Alias");
        assertEquals("live", alias.at("/Properties/Name").asText());
        return alias;
    }

    private static JsonNode resource(String logicalId, String type) {
        JsonNode resource = resources.path(logicalId);
        assertEquals(type, resource.path("Type").asText(), logicalId);
        return resource;
    }

    private static List<JsonNode> resourcesOfType(String type) {
        List<JsonNode> found = new ArrayList<>();
        resources.forEach(resource -> {
            if (resource.path("Type").asText().equals(type)) {
                found.add(resource);
            }
        });
        return found;
    }

    /**
     * The statements of a SAM function's or state machine's Policies: inline ones and those of the
     * customer managed policies it attaches, both branches of an Fn::If included.
     */
    private static List<JsonNode> policyStatements(String logicalId) {
        List<JsonNode> statements = new ArrayList<>();
        for (JsonNode attached : resources.path(logicalId).at("/Properties/Policies")) {
            // A policy attached under a condition: !If [Condition, !Ref Policy, !Ref AWS::NoValue].
            JsonNode policy = attached.has("Fn::If") ? attached.path("Fn::If").get(1) : attached;
            JsonNode document = policy;
            if (policy.has("Ref")) {
                document = resource(policy.path("Ref").asText(), "AWS::IAM::ManagedPolicy").at("/Properties/PolicyDocument");
            }
            assertTrue(document.has("Statement"), logicalId + ": expected statements, not " + policy);
            for (JsonNode statement : document.path("Statement")) {
                if (statement.has("Fn::If")) {
                    statement.path("Fn::If").forEach(branch -> {
                        if (branch.has("Effect")) {
                            statements.add(branch);
                        }
                    });
                } else {
                    statements.add(statement);
                }
            }
        }
        return statements;
    }

    /** The one statement of {@code logicalId}'s policies that allows {@code action}. */
    private static JsonNode statementWith(String logicalId, String action) {
        List<JsonNode> matching = policyStatements(logicalId).stream()
                .filter(statement -> actions(statement).contains(action))
                .toList();
        assertEquals(1, matching.size(), logicalId + ": statements allowing " + action + ": " + matching);
        return matching.get(0);
    }

    /** The statement of {@code logicalId}'s policies whose {@code Sid} is {@code sid}. */
    private static JsonNode statementWithId(String logicalId, String sid) {
        return policyStatements(logicalId).stream().filter(statement -> sid.equals(statement.path("Sid").asText()))
                .findFirst().orElseGet(() -> fail(logicalId + " has no statement " + sid));
    }

    private static List<JsonNode> jsonList(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private static Set<String> actions(JsonNode statement) {
        JsonNode action = statement.path("Action");
        Set<String> actions = new TreeSet<>();
        if (action.isArray()) {
            action.forEach(a -> actions.add(a.asText()));
        } else if (!action.isMissingNode()) {
            actions.add(action.asText());
        }
        return actions;
    }

    private static JsonNode ref(String name) {
        return json("{\"Ref\": \"" + name + "\"}");
    }

    private static JsonNode getAtt(String resource, String attribute) {
        return json("{\"Fn::GetAtt\": [\"" + resource + "\", \"" + attribute + "\"]}");
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
