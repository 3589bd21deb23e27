package dev.rollout.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import dev.rollout.handlers.Json;
import dev.rollout.handlers.StartRollout;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.aws.CloudTrailEvents;
import dev.rollout.local.aws.EventPattern;
import dev.rollout.local.aws.InMemoryStepFunctions;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The template's automatic start, run locally as it runs in AWS: a published version becomes the CloudTrail event
 * AWS would deliver, the EventBridge rule's pattern (read from template.yaml) decides whether StartRollout gets it,
 * and StartRollout starts the rollout through StartExecution of an in-memory Step Functions whose executions run on
 * the local runtime.
 */
public final class AutomaticRollouts {
    private static final String TARGET_HANDLER = StartRollout.class.getName() + "::handleRequest";

    private final LocalAws aws;
    private final EventPattern pattern;
    private final StartRollout target;
    private final InMemoryStepFunctions stepFunctions;

    private AutomaticRollouts(LocalAws aws, EventPattern pattern, StartRollout target,
                              InMemoryStepFunctions stepFunctions) {
        this.aws = aws;
        this.pattern = pattern;
        this.target = target;
        this.stepFunctions = stepFunctions;
    }

    /**
     * Wires the rule of {@code projectRoot}'s template to {@code runtime}: executions StartRollout starts run there.
     *
     * @param managedFunctions the functions whose publications start rollouts, as the template's
     *                         {@code MANAGED_FUNCTIONS}
     */
    public static AutomaticRollouts attach(Path projectRoot, LocalRuntime runtime, Collection<String> managedFunctions)
            throws IOException {
        EventPattern pattern = EventPattern.of(rulePattern(projectRoot.resolve("template.yaml")));
        LocalAws aws = runtime.aws();
        InMemoryStepFunctions stepFunctions = aws.metered(InMemoryStepFunctions.builder(aws.clock()).account(aws.account())
                .executionRunner(started -> {
                    ExecutionHandle execution = runtime.start(started.name(), parse(started.input()));
                    return () -> ExecutionStatus.fromValue(execution.status().name());
                })
                .build());
        String stateMachineArn = runtime.stepFunctions().stateMachineArn();
        String name = stateMachineArn.substring(stateMachineArn.lastIndexOf(':') + 1);
        String registered = stepFunctions.addStateMachine(name);
        if (!registered.equals(stateMachineArn)) {
            throw new IllegalStateException("the runtime's state machine " + stateMachineArn
                    + " is not in the embedded account, which names it " + registered);
        }
        StartRollout target = new StartRollout(aws.lambdaApi(), stepFunctions, stateMachineArn, managedFunctions);
        return new AutomaticRollouts(aws, pattern, target, stepFunctions);
    }

    /**
     * The event pattern of the EventBridge rule whose target is StartRollout, as template.yaml declares it (an
     * {@code EventBridgeRule} event of the function whose handler is StartRollout).
     */
    public static JsonNode rulePattern(Path template) throws IOException {
        return CloudFormationYaml.eventRulePattern(template, TARGET_HANDLER);
    }

    /** The Step Functions StartRollout starts executions through: every start it accepted is listed there. */
    public InMemoryStepFunctions stepFunctions() {
        return stepFunctions;
    }

    /**
     * Hands {@code event} to the rule, as EventBridge does.
     *
     * @return StartRollout's answer; empty when the rule's pattern does not match, so StartRollout never saw it
     */
    public Optional<JsonNode> deliver(JsonNode event) {
        return pattern.matches(event) ? Optional.of(target.handle(event)) : Optional.empty();
    }

    /** A version published, the event CloudTrail recorded for it, and what the rule made of that event. */
    public record Publication(String version, JsonNode event, Optional<JsonNode> delivered) {
    }

    /**
     * Publishes a new version of {@code function}, as a deploy with changed code does, and delivers the CloudTrail
     * event of its PublishVersion call.
     *
     * @param caller the IAM ARN the event names as publisher
     */
    public Publication publish(String function, String caller) {
        String version = aws.lambda().publishNewVersion(function);
        GetFunctionConfigurationResponse published = aws.lambda().getFunctionConfiguration(request -> request
                .functionName(function).qualifier(version));
        Instant now = aws.clock().instant();
        JsonNode event = CloudTrailEvents.publishVersion(aws.account(), published, caller, now);
        return new Publication(version, event, deliver(event));
    }

    private static JsonNode parse(String input) {
        try {
            return Json.MAPPER.readTree(input);
        } catch (JsonProcessingException unreadable) {
            // StartExecution accepted it, so it is JSON.
            throw new UncheckedIOException(unreadable);
        }
    }
}
