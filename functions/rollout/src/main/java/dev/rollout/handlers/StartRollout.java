package dev.rollout.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import dev.rollout.aws.Aliases;
import dev.rollout.aws.Clients;
import dev.rollout.aws.Executions;
import dev.rollout.aws.FunctionTags;
import dev.rollout.domain.PublishEvent;
import dev.rollout.domain.RolloutTrigger;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The target of the template's EventBridge rule: when a version of a managed function is published, starts its
 * rollout, once. Not a Task state, but built like one: JSON in (the CloudTrail event as EventBridge delivers it),
 * JSON out (what was decided), so the local runtime calls {@link #handle} with the same events.
 *
 * <p>Output: {@code outcome} ({@code started}, {@code alreadyStarted} or {@code skipped}), with the
 * {@code reason} for a skip, or the {@code executionName}, {@code executionArn} and {@code input} of the rollout.
 */
public final class StartRollout extends TaskHandler {
    private final RolloutTrigger trigger;
    private final FunctionTags tags;
    private final Aliases aliases;
    private final Executions executions;

    public StartRollout() {
        this(Clients.lambda(), Clients.sfn(), Clients.environment("STATE_MACHINE_ARN"),
                RolloutTrigger.managedFunctions(Clients.environment("MANAGED_FUNCTIONS")));
    }

    /** @param managedFunctions the names of the functions whose publications start rollouts */
    public StartRollout(LambdaClient lambda, SfnClient stepFunctions, String stateMachineArn,
                        Collection<String> managedFunctions) {
        this.trigger = new RolloutTrigger(managedFunctions);
        this.tags = new FunctionTags(lambda);
        this.aliases = new Aliases(lambda);
        this.executions = new Executions(stepFunctions, stateMachineArn);
    }

    @Override
    public JsonNode handle(JsonNode event) {
        PublishEvent screened = trigger.screen(event);
        if (screened instanceof PublishEvent.Ignored ignored) {
            return skipped(ignored.reason());
        }
        PublishEvent.Published published = (PublishEvent.Published) screened;
        RolloutTrigger.Decision decision = trigger.decide(published, tags.of(published.functionArn()),
                alias -> aliases.find(published.functionName(), alias));
        if (decision instanceof RolloutTrigger.Skip skip) {
            return skipped(skip.reason());
        }
        RolloutTrigger.Start start = (RolloutTrigger.Start) decision;
        Executions.Started started = executions.start(start.executionName(), text(start.input()));
        ObjectNode output = Json.object();
        output.put("outcome", started.alreadyStarted() ? "alreadyStarted" : "started");
        output.put("executionName", start.executionName());
        output.put("executionArn", started.executionArn());
        output.set("input", start.input());
        return output;
    }

    private static ObjectNode skipped(String reason) {
        return Json.object().put("outcome", "skipped").put("reason", reason);
    }

    private static String text(JsonNode input) {
        try {
            return Json.MAPPER.writeValueAsString(input);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("a tree of JSON nodes always serializes", impossible);
        }
    }
}
