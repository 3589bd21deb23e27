package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.function.BiFunction;
import dev.rollout.handlers.Bake;
import dev.rollout.handlers.CheckHealth;
import dev.rollout.handlers.CloseApproval;
import dev.rollout.handlers.ClaimAlias;
import dev.rollout.handlers.Json;
import dev.rollout.handlers.Notify;
import dev.rollout.handlers.Prepare;
import dev.rollout.handlers.PrepareAndClaim;
import dev.rollout.handlers.Promote;
import dev.rollout.handlers.ReleaseAlias;
import dev.rollout.handlers.RequestApproval;
import dev.rollout.handlers.Rollback;
import dev.rollout.handlers.Settle;
import dev.rollout.handlers.ShiftTraffic;
import dev.rollout.handlers.TaskHandler;
import dev.rollout.domain.StackDefaults;
import dev.rollout.local.asl.TaskFailedException;
import dev.rollout.local.asl.TaskInvoker;

/**
 * The state machine's task functions, wired as SAM wires them: {@code DefinitionSubstitutions} in
 * template.yaml name each function (by its published alias), whose {@code Handler} names the class. Each gets a local ARN and
 * an instance built on the embedded AWS.
 */
public final class TaskFunctions implements TaskInvoker {
    /** How to build each handler class on the embedded AWS and stack defaults: the local runtime's composition root. */
    private static final Map<String, BiFunction<LocalAws, StackDefaults, TaskHandler>> FACTORIES = Map.ofEntries(
            Map.entry(PrepareAndClaim.class.getName(), (aws, defaults) -> prepareAndClaim(aws, defaults)),
            Map.entry(ShiftTraffic.class.getName(), (aws, defaults) -> new ShiftTraffic(aws.targets(), aws.cloudWatchApi(), aws.clock())),
            Map.entry(Bake.class.getName(), (aws, defaults) -> new Bake(aws.dynamoDbApi(), aws.watchTable(),
                    aws.controlTable(), aws.stepFunctionsApi(), aws.cloudWatchApi(), aws.clock())),
            Map.entry(CheckHealth.class.getName(), (aws, defaults) -> new CheckHealth(aws.targets(), aws.cloudWatchApi(), aws.dynamoDbApi(),
                    aws.leaseTable(), aws.controlTable(), aws.clock())),
            Map.entry(Promote.class.getName(), (aws, defaults) -> new Promote(aws.targets(), aws.cloudWatchApi(), aws.dynamoDbApi(),
                    aws.leaseTable(), aws.controlTable(), aws.clock())),
            Map.entry(Rollback.class.getName(), (aws, defaults) -> new Rollback(aws.targets(), aws.clock())),
            Map.entry(Settle.class.getName(), (aws, defaults) -> new Settle(aws.targets(), aws.clock())),
            Map.entry(ReleaseAlias.class.getName(), (aws, defaults) -> new ReleaseAlias(aws.dynamoDbApi(), aws.leaseTable())),
            Map.entry(Notify.class.getName(), (aws, defaults) -> new Notify(aws.snsApi(), aws.topicArn(), aws.dynamoDbApi(),
                    new Notify.Tables(aws.controlTable(), aws.noticeTable()), aws.approvalLinks(), aws.clock())),
            Map.entry(RequestApproval.class.getName(), (aws, defaults) -> new RequestApproval(aws.dynamoDbApi(),
                    new RequestApproval.Tables(aws.approvalTable(), aws.watchTable(), aws.controlTable()),
                    aws.stepFunctionsApi(), aws.snsApi(), aws.approvalTopicArn(), aws.cloudWatchApi(), aws.approvalLinks(),
                    aws.clock())),
            Map.entry(CloseApproval.class.getName(), (aws, defaults) -> new CloseApproval(aws.dynamoDbApi(),
                    aws.approvalTable(), aws.clock())));

    private static TaskHandler prepareAndClaim(LocalAws aws, StackDefaults defaults) {
        return new PrepareAndClaim(new Prepare(aws.targets(), aws.lambdaApi(), aws.cloudWatchApi(), aws.clock(), defaults),
                new ClaimAlias(aws.dynamoDbApi(), aws.leaseTable(), aws.stepFunctionsApi(), aws.clock()));
    }

    /**
     * The settings per environment of a stack deployed with the template's default parameters
     * ({@code EnvironmentStrategies}, {@code EnvironmentApprovals}), so that a scenario's chain runs as it would in
     * AWS. The other {@code Default*} parameters stay unset: a scenario sets its function's tags instead.
     */
    private static StackDefaults environmentDefaults(JsonNode parameters) {
        return StackDefaults.NONE.withEnvironments(parameters.at("/EnvironmentStrategies/Default").asText(""),
                parameters.at("/EnvironmentApprovals/Default").asText(""));
    }

    /** The simple class names of the task handlers the local runtime can build, e.g. {@code Rollback}. */
    public static Set<String> handlerNames() {
        return FACTORIES.keySet().stream().map(name -> name.substring(name.lastIndexOf('.') + 1))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private final Map<String, String> substitutions;
    private final Map<String, TaskHandler> byArn;
    private final Map<String, String> logicalIds;

    private TaskFunctions(Map<String, String> substitutions, Map<String, TaskHandler> byArn,
                          Map<String, String> logicalIds) {
        this.substitutions = substitutions;
        this.byArn = byArn;
        this.logicalIds = logicalIds;
    }

    /** Reads the state machine's substitutions from {@code template} and builds a handler for each. */
    public static TaskFunctions fromTemplate(Path template, LocalAws aws) throws IOException {
        JsonNode resources = CloudFormationYaml.read(template).path("Resources");
        StackDefaults defaults = environmentDefaults(CloudFormationYaml.read(template).path("Parameters"));
        JsonNode substitutionsNode = stateMachine(resources).at("/Properties/DefinitionSubstitutions");
        Map<String, String> substitutions = new LinkedHashMap<>();
        Map<String, TaskHandler> byArn = new LinkedHashMap<>();
        Map<String, String> logicalIds = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = substitutionsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String logicalId = functionOf(entry.getValue());
            String handler = resources.at("/" + logicalId + "/Properties/Handler").asText();
            if (logicalId.isEmpty() || handler.isEmpty()) {
                throw new IllegalStateException(template + ": substitution " + entry.getKey()
                        + " must be !Ref <Function>.Alias or !GetAtt <Function>.Arn of a function with a Handler");
            }
            String className = handler.substring(0, handler.indexOf("::") < 0 ? handler.length() : handler.indexOf("::"));
            BiFunction<LocalAws, StackDefaults, TaskHandler> factory = FACTORIES.get(className);
            if (factory == null) {
                throw new IllegalStateException(template + ": the local runtime cannot build " + className
                        + " (function " + logicalId + "); add it to " + TaskFunctions.class.getSimpleName());
            }
            String arn = "arn:aws:lambda:" + aws.account().region() + ":" + aws.account().accountId()
                    + ":function:rollout-" + logicalId;
            substitutions.put(entry.getKey(), arn);
            byArn.put(arn, factory.apply(aws, defaults));
            logicalIds.put(arn, logicalId);
        }
        return new TaskFunctions(substitutions, byArn, logicalIds);
    }

    /** The function of {@code !Ref F.Alias} (its AutoPublishAlias) or {@code !GetAtt F.Arn}; empty for anything else. */
    private static String functionOf(JsonNode substitution) {
        String alias = substitution.path("Ref").asText();
        if (alias.endsWith(".Alias")) {
            return alias.substring(0, alias.length() - ".Alias".length());
        }
        return substitution.at("/Fn::GetAtt/0").asText();
    }

    private static JsonNode stateMachine(JsonNode resources) {
        for (Iterator<JsonNode> it = resources.elements(); it.hasNext(); ) {
            JsonNode resource = it.next();
            if ("AWS::Serverless::StateMachine".equals(resource.path("Type").asText())) {
                return resource;
            }
        }
        throw new IllegalStateException("template.yaml holds no AWS::Serverless::StateMachine");
    }

    /** The {@code DefinitionSubstitutions}, with local function ARNs as values. */
    public Map<String, String> substitutions() {
        return Map.copyOf(substitutions);
    }

    /** The template's logical ID of the function behind a local ARN, e.g. {@code RollbackFunction}. */
    public String logicalId(String functionArn) {
        return logicalIds.getOrDefault(functionArn, functionArn);
    }

    /**
     * Invokes the handler as Lambda would: an exception becomes the task's error, named after its
     * class, with Lambda's error document as the cause.
     */
    @Override
    public JsonNode invoke(String functionName, JsonNode payload) throws TaskFailedException {
        TaskHandler handler = byArn.get(functionName);
        if (handler == null) {
            throw new TaskFailedException("Lambda.ResourceNotFoundException", "Function not found: " + functionName);
        }
        try {
            return handler.handle(payload);
        } catch (RuntimeException thrown) {
            // The class name is the error, as the Lambda Java runtime reports it (Rollout.Conflict included).
            String error = thrown.getClass().getName();
            ObjectNode document = Json.object();
            document.put("errorMessage", thrown.getMessage());
            document.put("errorType", error);
            document.putArray("stackTrace");
            throw new TaskFailedException(error, document.toString());
        }
    }
}
