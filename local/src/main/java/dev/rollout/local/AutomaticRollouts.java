package dev.rollout.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import dev.rollout.handlers.Json;
import dev.rollout.handlers.StartRollout;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.aws.CloudTrailEvents;
import dev.rollout.local.aws.EventPattern;
import dev.rollout.local.aws.InMemoryStepFunctions;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The template's automatic start, run locally as it runs in AWS: a published version becomes the CloudTrail event
 * AWS would deliver, the EventBridge rule's pattern (read from template.yaml) decides whether StartRollout gets it,
 * and StartRollout starts the rollout through StartExecution of an in-memory Step Functions whose executions run on
 * the local runtime. EventBridge invokes StartRollout asynchronously ({@link AsyncInvocations}): a start that fails is
 * retried by Lambda, and one that fails every attempt is kept on the template's {@code LostStartsQueue}.
 */
public final class AutomaticRollouts {
    private static final String TARGET_HANDLER = StartRollout.class.getName() + "::handleRequest";

    private final LocalAws aws;
    private final EventPattern pattern;
    private final StartRollout target;
    private final InMemoryStepFunctions stepFunctions;
    private final AsyncInvocations invocations;
    private final List<AsyncInvocations.Attempt> attempts = new ArrayList<>();

    private AutomaticRollouts(LocalAws aws, EventPattern pattern, StartRollout target,
                              InMemoryStepFunctions stepFunctions, AsyncInvocations.Config config,
                              Consumer<AsyncInvocations.Attempt> observer) {
        this.aws = aws;
        this.pattern = pattern;
        this.target = target;
        this.stepFunctions = stepFunctions;
        this.invocations = new AsyncInvocations(aws.clock(), aws.account().arn("lambda", "function:StartRollout"),
                target, config, attempt -> {
                    synchronized (attempts) {
                        attempts.add(attempt);
                    }
                    observer.accept(attempt);
                });
    }

    /**
     * Wires the rule of {@code projectRoot}'s template to {@code runtime}: executions StartRollout starts run there.
     *
     * @param managedFunctions the functions whose publications start rollouts, as the template's
     *                         {@code MANAGED_FUNCTIONS}
     */
    public static AutomaticRollouts attach(Path projectRoot, LocalRuntime runtime, Collection<String> managedFunctions)
            throws IOException {
        return attach(projectRoot, runtime, managedFunctions, attempt -> { });
    }

    /** @param observer told of each of Lambda's attempts to hand StartRollout an event, as it ends */
    public static AutomaticRollouts attach(Path projectRoot, LocalRuntime runtime, Collection<String> managedFunctions,
                                           Consumer<AsyncInvocations.Attempt> observer) throws IOException {
        Path template = projectRoot.resolve("template.yaml");
        EventPattern pattern = EventPattern.of(rulePattern(template));
        LocalAws aws = runtime.aws();
        InMemoryStepFunctions stepFunctions = aws.metered(InMemoryStepFunctions.builder(aws.clock()).account(aws.account())
                .executionRunner(started -> {
                    ExecutionHandle execution = runtime.start(started.name(), parse(started.input()));
                    return () -> ExecutionStatus.fromValue(execution.status().name());
                })
                // The same account's Step Functions: a fault planned on it meets StartRollout's StartExecution too.
                .sharingFaultsOf(aws.stepFunctions())
                .build());
        String stateMachineArn = runtime.stepFunctions().stateMachineArn();
        String name = stateMachineArn.substring(stateMachineArn.lastIndexOf(':') + 1);
        String registered = stepFunctions.addStateMachine(name);
        if (!registered.equals(stateMachineArn)) {
            throw new IllegalStateException("the runtime's state machine " + stateMachineArn
                    + " is not in the embedded account, which names it " + registered);
        }
        StartRollout target = new StartRollout(aws.lambdaApi(), stepFunctions.faults().resending(SfnClient.class,
                stepFunctions), stateMachineArn, managedFunctions);
        return new AutomaticRollouts(aws, pattern, target, stepFunctions,
                AsyncInvocations.Config.of(template, TARGET_HANDLER), observer);
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
     * Hands {@code event} to StartRollout at once, as EventBridge would deliver it again (a duplicate, a replay).
     *
     * @return StartRollout's answer; empty when the rule's pattern does not match, so StartRollout never saw it
     */
    public Optional<JsonNode> deliver(JsonNode event) {
        return pattern.matches(event) ? Optional.of(target.handle(event)) : Optional.empty();
    }

    /**
     * A version published, the event CloudTrail recorded for it, and what the rule made of that event.
     *
     * @param first Lambda's first attempt to hand StartRollout the event; empty when the rule's pattern did not match
     */
    public record Publication(String version, JsonNode event, Optional<AsyncInvocations.Attempt> first) {
        /** StartRollout's answer to the first attempt; empty when the rule did not match or that attempt failed. */
        public Optional<JsonNode> delivered() {
            return first.flatMap(AsyncInvocations.Attempt::answer);
        }
    }

    /**
     * Publishes a new version of {@code function}, as a deploy with changed code does, and hands the CloudTrail event of
     * its PublishVersion call to the rule, which invokes StartRollout asynchronously; returns once the first attempt
     * has ended. A failed attempt is retried later on the clock.
     *
     * @param caller the IAM ARN the event names as publisher
     */
    public Publication publish(String function, String caller) {
        String version = aws.lambda().publishNewVersion(function);
        GetFunctionConfigurationResponse published = aws.lambda().getFunctionConfiguration(request -> request
                .functionName(function).qualifier(version));
        Instant now = aws.clock().instant();
        JsonNode event = CloudTrailEvents.publishVersion(aws.account(), published, caller, now);
        if (!pattern.matches(event)) {
            return new Publication(version, event, Optional.empty());
        }
        int before = attempts().size();
        invocations.invoke(event);
        aws.clock().runUntil(() -> attempts().size() > before);
        return new Publication(version, event, Optional.of(attempts().get(before)));
    }

    /** True while a published version's event still waits for one of Lambda's retries. */
    public boolean busy() {
        return invocations.busy();
    }

    /** Every attempt Lambda made to hand StartRollout an event, oldest first. */
    public List<AsyncInvocations.Attempt> attempts() {
        synchronized (attempts) {
            return List.copyOf(attempts);
        }
    }

    /** The invocation records on StartRollout's OnFailure destination: starts that failed every attempt. */
    public List<JsonNode> lostStarts() {
        return invocations.onFailure();
    }

    /** StartRollout's OnFailure destination, by logical ID ({@code LostStartsQueue}). */
    public Optional<String> destination() {
        return invocations.destination();
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
