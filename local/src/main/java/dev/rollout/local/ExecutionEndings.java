package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import dev.rollout.domain.ExecutionEnding;
import dev.rollout.handlers.Json;
import dev.rollout.handlers.ContinueChain;
import dev.rollout.handlers.Restore;
import dev.rollout.handlers.TaskHandler;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.aws.EventPattern;
import dev.rollout.local.aws.InMemoryStepFunctions;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The template's restore on every ending, run locally as it runs in AWS: each execution that ends becomes the
 * "Step Functions Execution Status Change" event Step Functions sends EventBridge, the rule's pattern (read from
 * template.yaml, with this runtime's state machine ARN where the template says {@code !Ref}) decides whether Restore
 * gets it, and Restore runs on the embedded AWS. Restore is invoked as Lambda invokes a rule's target
 * ({@link AsyncInvocations}): one that throws is retried twice, and an event that failed every attempt is kept on
 * the function's OnFailure destination.
 */
public final class ExecutionEndings {
    private static final String TARGET_HANDLER = Restore.class.getName() + "::handleRequest";

    private static final String CHAIN_HANDLER = ContinueChain.class.getName() + "::handleRequest";

    private final LocalAws aws;
    private final EventPattern pattern;
    private final TaskHandler target;
    private final Consumer<Delivery> observer;
    private final AsyncInvocations invocations;
    private final List<Delivery> deliveries = new ArrayList<>();

    /**
     * What happened to one status change event: whether the rule matched, and Restore's answer or its last error.
     *
     * @param attempt 1 for the first delivery, 2 and 3 for Lambda's retries
     */
    public record Delivery(Instant at, JsonNode event, boolean matched, int attempt, Optional<JsonNode> answer,
                           Optional<String> error) {
    }

    private ExecutionEndings(LocalAws aws, EventPattern pattern, TaskHandler target, AsyncInvocations.Config config,
                             Consumer<Delivery> observer) {
        this.aws = aws;
        this.pattern = pattern;
        this.target = target;
        this.observer = observer;
        this.invocations = new AsyncInvocations(aws.clock(), aws.account().arn("lambda",
                "function:" + target.getClass().getSimpleName()), target, config, attempt -> record(new Delivery(
                attempt.at(), attempt.event(), true, attempt.attempt(), attempt.answer(), attempt.error())));
    }

    /**
     * Wires the rule of {@code projectRoot}'s template to {@code runtime}: every execution that ends from now on is
     * announced, and Restore acts on the ones the rule matches.
     *
     * @param observer told of each delivery as it happens (simulate prints them)
     */
    public static ExecutionEndings attach(Path projectRoot, LocalRuntime runtime, Consumer<Delivery> observer)
            throws IOException {
        Path template = projectRoot.resolve("template.yaml");
        String stateMachineArn = runtime.stepFunctions().stateMachineArn();
        LocalAws aws = runtime.aws();
        Restore target = new Restore(aws.targets(), aws.stepFunctionsApi(), aws.snsApi(), aws.dynamoDbApi(),
                new Restore.Settings(stateMachineArn, aws.topicArn(), aws.leaseTable()), aws.clock());
        return attach(template, TARGET_HANDLER, runtime, rulePattern(template), target, observer);
    }

    /**
     * Wires the rule of the template's environment chains to {@code runtime}: every ending from now on reaches
     * ContinueChain, and the next environment's rollouts it starts run on {@code runtime} as well.
     *
     * @param observer told of each delivery as it happens (simulate prints the chain's moves)
     */
    public static ExecutionEndings attachChain(Path projectRoot, LocalRuntime runtime, Consumer<Delivery> observer)
            throws IOException {
        Path template = projectRoot.resolve("template.yaml");
        LocalAws aws = runtime.aws();
        InMemoryStepFunctions stepFunctions = aws.metered(InMemoryStepFunctions.builder(aws.clock())
                .account(aws.account())
                .executionHistories(aws.executionHistories())
                .executionRunner(started -> {
                    ExecutionHandle execution = runtime.start(started.name(), parse(started.input()));
                    return () -> software.amazon.awssdk.services.sfn.model.ExecutionStatus.fromValue(
                            execution.status().name());
                })
                // The same account's Step Functions: a fault planned on it meets ContinueChain's calls too.
                .sharingFaultsOf(aws.stepFunctions())
                .build());
        String stateMachineArn = runtime.stepFunctions().stateMachineArn();
        stepFunctions.addStateMachine(stateMachineArn.substring(stateMachineArn.lastIndexOf(':') + 1));
        ContinueChain target = new ContinueChain(aws.lambdaApi(), stepFunctions.faults().resending(SfnClient.class,
                stepFunctions), aws.snsApi(), stateMachineArn, aws.topicArn());
        return attach(template, CHAIN_HANDLER, runtime, chainRulePattern(template), target, observer);
    }

    private static ExecutionEndings attach(Path template, String handler, LocalRuntime runtime, JsonNode declared,
                                           TaskHandler target, Consumer<Delivery> observer) throws IOException {
        String stateMachineArn = runtime.stepFunctions().stateMachineArn();
        EventPattern pattern = EventPattern.of(resolveRefs(declared,
                Map.of(stateMachineLogicalId(template), stateMachineArn)));
        ExecutionEndings endings = new ExecutionEndings(runtime.aws(), pattern, target,
                AsyncInvocations.Config.of(template, handler), observer);
        runtime.stepFunctions().onExecutionEnd(endings::announce);
        return endings;
    }

    /** The event pattern of the rule whose target is ContinueChain, as template.yaml declares it. */
    public static JsonNode chainRulePattern(Path template) throws IOException {
        return CloudFormationYaml.eventRulePattern(template, CHAIN_HANDLER);
    }

    /**
     * The event pattern of the EventBridge rule whose target is Restore, as template.yaml declares it (an
     * {@code EventBridgeRule} event of the function whose handler is Restore), intrinsic functions left in.
     */
    public static JsonNode rulePattern(Path template) throws IOException {
        List<JsonNode> patterns = new ArrayList<>();
        for (JsonNode resource : CloudFormationYaml.read(template).path("Resources")) {
            if (TARGET_HANDLER.equals(resource.at("/Properties/Handler").asText())) {
                for (JsonNode event : resource.at("/Properties/Events")) {
                    if ("EventBridgeRule".equals(event.path("Type").asText())) {
                        patterns.add(event.at("/Properties/Pattern"));
                    }
                }
            }
        }
        if (patterns.size() != 1) {
            throw new IllegalStateException(template + " should hold one EventBridgeRule event on the function whose"
                    + " Handler is " + TARGET_HANDLER + ", found " + patterns.size());
        }
        return patterns.get(0);
    }

    /** The logical ID of the template's state machine, which the rule's pattern names with {@code !Ref}. */
    public static String stateMachineLogicalId(Path template) throws IOException {
        JsonNode resources = CloudFormationYaml.read(template).path("Resources");
        for (Iterator<Map.Entry<String, JsonNode>> it = resources.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> resource = it.next();
            if ("AWS::Serverless::StateMachine".equals(resource.getValue().path("Type").asText())) {
                return resource.getKey();
            }
        }
        throw new IllegalStateException(template + " holds no AWS::Serverless::StateMachine");
    }

    /** {@code pattern} with each {@code {"Ref": id}} replaced by the value {@code refs} gives {@code id}. */
    public static JsonNode resolveRefs(JsonNode pattern, Map<String, String> refs) {
        if (pattern.isObject() && pattern.size() == 1 && pattern.has("Ref")) {
            String value = refs.get(pattern.get("Ref").asText());
            if (value == null) {
                throw new IllegalStateException("the rule pattern refers to " + pattern.get("Ref")
                        + ", which the local runtime cannot resolve");
            }
            return Json.MAPPER.getNodeFactory().textNode(value);
        }
        JsonNode copy = pattern.deepCopy();
        if (copy.isObject()) {
            pattern.fields().forEachRemaining(field -> ((ObjectNode) copy).set(field.getKey(),
                    resolveRefs(field.getValue(), refs)));
        } else if (copy.isArray()) {
            for (int i = 0; i < copy.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) copy).set(i, resolveRefs(pattern.get(i), refs));
            }
        }
        return copy;
    }

    /**
     * The event Step Functions sends EventBridge when {@code execution} ended, shaped as documented (see
     * events/execution-status/): {@code detail} holds what DescribeExecution returns, dates in epoch milliseconds.
     */
    public static ObjectNode statusChangeEvent(LocalAws aws, ExecutionHandle execution, String stateMachineArn) {
        Instant stopped = execution.stopDate().orElseThrow(() -> new IllegalStateException(
                execution.executionArn() + " has not ended"));
        ObjectNode event = Json.object();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", ExecutionEnding.DETAIL_TYPE);
        event.put("source", "aws.states");
        event.put("account", aws.account().accountId());
        event.put("time", stopped.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", aws.account().region());
        event.putArray("resources").add(execution.executionArn());
        ObjectNode detail = event.putObject("detail");
        detail.put("executionArn", execution.executionArn());
        detail.put("stateMachineArn", stateMachineArn);
        detail.put("name", execution.name());
        detail.put("status", execution.status().name());
        detail.put("startDate", execution.startDate().toEpochMilli());
        detail.put("stopDate", stopped.toEpochMilli());
        detail.put("input", execution.input().toString());
        detail.putObject("inputDetails").put("included", true);
        Optional<JsonNode> output = execution.output();
        if (output.isPresent()) {
            detail.put("output", output.get().toString());
            detail.putObject("outputDetails").put("included", true);
        } else {
            detail.putNull("output");
            detail.putNull("outputDetails");
        }
        return event;
    }

    private static JsonNode parse(String input) {
        try {
            return Json.MAPPER.readTree(input);
        } catch (IOException unreadable) {
            // StartExecution accepted it, so it is JSON.
            throw new java.io.UncheckedIOException(unreadable);
        }
    }

    /**
     * Hands {@code event} to the rule at once, as EventBridge would deliver it again (a duplicate, a redelivery).
     *
     * @return the target's answer; empty when the rule's pattern does not match
     */
    public Optional<JsonNode> deliver(JsonNode event) {
        return pattern.matches(event) ? Optional.of(target.handle(event)) : Optional.empty();
    }

    /** Every delivery so far, oldest first. */
    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** True while an announced ending still waits to be delivered or retried. */
    public boolean busy() {
        return invocations.busy();
    }

    /** The invocation records Lambda kept on the target's OnFailure destination: endings it failed every attempt. */
    public List<JsonNode> onFailure() {
        return invocations.onFailure();
    }

    /** The target's OnFailure destination, by logical ID ({@code FailedRestoresQueue}). */
    public Optional<String> destination() {
        return invocations.destination();
    }

    private void announce(ExecutionHandle execution) {
        ObjectNode event = statusChangeEvent(aws, execution, execution.executionArn()
                .replaceFirst(":execution:([^:]+):[^:]+$", ":stateMachine:$1"));
        if (pattern.matches(event)) {
            // EventBridge delivers after the execution has ended, never inside the step that ended it.
            invocations.invoke(event);
        } else {
            record(new Delivery(aws.clock().instant(), event, false, 1, Optional.empty(), Optional.empty()));
        }
    }

    private void record(Delivery delivery) {
        synchronized (this) {
            deliveries.add(delivery);
        }
        observer.accept(delivery);
    }
}
