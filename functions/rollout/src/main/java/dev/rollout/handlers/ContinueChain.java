package dev.rollout.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import dev.rollout.aws.Clients;
import dev.rollout.aws.ExecutionRecords;
import dev.rollout.aws.Executions;
import dev.rollout.aws.FunctionTags;
import dev.rollout.aws.Notifications;
import dev.rollout.domain.EnvironmentChain;
import dev.rollout.domain.ExecutionEnding;
import dev.rollout.domain.Notice;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.RolloutTrigger;
import dev.rollout.domain.Target;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The target of the template's EventBridge rule on every ending of a rollout execution: moves a version along its
 * function's environment chain ({@link EnvironmentChain}, tag {@code rollout:environments}). A rollout that promoted
 * in one environment starts the rollout of the same version in the next; one that ended any other way stops the chain
 * there, and a notice says where, why, and which environments the version never reached.
 *
 * <p>The next rollout's execution is named after function, alias and version, as StartRollout names them, so a
 * duplicated or redelivered event starts nothing twice: StartExecution answers the same name with the running
 * execution, or with {@code ExecutionAlreadyExists} once it has ended ({@code alreadyStarted}).
 *
 * <p>Output: {@code outcome} ({@code started}, {@code alreadyStarted}, {@code complete}, {@code stopped} or
 * {@code skipped}) with the {@code reason}, and for a start the {@code executionName}, {@code executionArn} and
 * {@code input}.
 */
public final class ContinueChain extends TaskHandler {
    private final ExecutionRecords records;
    private final FunctionTags tags;
    private final Executions executions;
    private final Notifications notifications;
    private final String stateMachineArn;

    public ContinueChain() {
        this(Clients.lambda(), Clients.sfn(), Clients.sns(), Clients.environment("STATE_MACHINE_ARN"),
                Clients.environment("TOPIC_ARN"));
    }

    public ContinueChain(LambdaClient lambda, SfnClient stepFunctions, SnsClient sns, String stateMachineArn,
                         String topicArn) {
        this.records = new ExecutionRecords(stepFunctions);
        this.tags = new FunctionTags(lambda);
        this.executions = new Executions(stepFunctions, stateMachineArn);
        this.notifications = new Notifications(sns, topicArn);
        this.stateMachineArn = stateMachineArn;
    }

    @Override
    public JsonNode handle(JsonNode event) {
        ExecutionEnding announced = ExecutionEnding.of(event);
        ObjectNode output = Json.object();
        output.put("executionArn", announced.executionArn());
        output.put("status", announced.status());
        if (!announced.stateMachineArn().equals(stateMachineArn)) {
            return skipped(output, "not an execution of " + stateMachineArn);
        }
        ExecutionRecords.Recorded recorded = records.read(announced.executionArn(), Restore.PREPARE_STATE);
        Optional<Rolled> rolled = rolled(recorded);
        if (rolled.isEmpty()) {
            return skipped(output, "the execution did not name a Lambda function, alias and version");
        }
        Rolled rollout = rolled.get();
        Map<String, String> functionTags = tags.of(rollout.function());
        Optional<EnvironmentChain> chain = EnvironmentChain.of(functionTags)
                .filter(environments -> environments.contains(rollout.alias()));
        if (chain.isEmpty()) {
            return skipped(output, "alias " + rollout.alias() + " of " + rollout.function()
                    + " is not an environment of a chain (tag " + EnvironmentChain.TAG + ")");
        }
        output.put("chain", chain.get().describe());
        if (announced.status().equals("SUCCEEDED")) {
            return promoted(chain.get(), rollout, announced, output);
        }
        ExecutionEnding ending = announced.withFailure(recorded.endError(), recorded.endCause());
        Notice notice = chain.get().stopped(rollout.function(), rollout.alias(), rollout.version(), ending.describe(),
                Notice.consoleUrl(ending.executionArn()));
        output.put("outcome", "stopped");
        output.put("stoppedAt", rollout.alias());
        output.put("reason", "the chain " + chain.get().describe() + " stopped at " + rollout.alias() + " ("
                + (ending.error().isEmpty() ? ending.status() : ending.error()) + "); not started: "
                + (chain.get().after(rollout.alias()).isEmpty() ? "none"
                : String.join(", ", chain.get().after(rollout.alias()))));
        output.put("messageId", notifications.publish(notice.subject(), notice.body(), notice.attributes()));
        return output;
    }

    private ObjectNode promoted(EnvironmentChain chain, Rolled rollout, ExecutionEnding ending, ObjectNode output) {
        Optional<String> next = chain.next(rollout.alias());
        if (next.isEmpty()) {
            output.put("outcome", "complete");
            return output.put("reason", "version " + rollout.version() + " of " + rollout.function()
                    + " is promoted in " + rollout.alias() + ", the last environment of " + chain.describe());
        }
        ObjectNode input = chain.nextInput(rollout.function(), rollout.alias(), rollout.version(),
                ending.executionName());
        String name = RolloutTrigger.executionName(rollout.function(), next.get(), rollout.version());
        Executions.Started started = executions.start(name, text(input));
        output.put("outcome", started.alreadyStarted() ? "alreadyStarted" : "started");
        output.put("reason", "version " + rollout.version() + " promoted in " + rollout.alias() + "; next: "
                + next.get());
        output.put("executionName", name);
        output.put("executionArn", started.executionArn());
        output.set("input", input);
        return output;
    }

    /** Function, alias and version of the rollout. */
    private record Rolled(String function, String alias, String version) {
    }

    /**
     * What the execution rolled out: from what Prepare recorded, else (refused before it recorded anything) from the
     * input as given. Empty for another kind of target, or an input that names no alias rollout.
     */
    private static Optional<Rolled> rolled(ExecutionRecords.Recorded recorded) {
        Optional<PreparedRollout> rollout = Restore.prepared(recorded);
        if (rollout.isPresent()) {
            PreparedRollout prepared = rollout.get();
            return prepared.target() instanceof Target.LambdaAlias alias
                    ? Optional.of(new Rolled(alias.functionName(), alias.alias(), prepared.toVersion()))
                    : Optional.empty();
        }
        JsonNode input = recorded.input().map(ContinueChain::parse).orElse(Json.object());
        JsonNode function = input.path("functionName");
        JsonNode alias = input.path("alias");
        JsonNode version = input.path("targetVersion");
        if (!function.isTextual() || !alias.isTextual() || !(version.isTextual() || version.isIntegralNumber())) {
            return Optional.empty();
        }
        String name = function.asText();
        return Optional.of(new Rolled(name.substring(name.lastIndexOf(':') + 1), alias.asText(), version.asText()));
    }

    private static ObjectNode skipped(ObjectNode output, String reason) {
        return output.put("outcome", "skipped").put("reason", reason);
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException unreadable) {
            throw new IllegalArgumentException("the execution history holds malformed JSON: " + unreadable.getMessage(),
                    unreadable);
        }
    }

    private static String text(JsonNode input) {
        try {
            return Json.MAPPER.writeValueAsString(input);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("a tree of JSON nodes always serializes", impossible);
        }
    }
}
