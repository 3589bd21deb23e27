package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.aws.Aliases;
import dev.rollout.domain.Routing;
import dev.rollout.domain.RolloutTrigger;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.asl.HistoryEvent;
import dev.rollout.local.asl.HistoryEventType;
import dev.rollout.local.aws.PublishedMessage;
import dev.rollout.local.aws.VersionBehaviour;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;

/**
 * The automatic path end to end on the local runtime: a published version becomes a CloudTrail event, the template's
 * rule pattern lets it through, StartRollout starts the real state machine, and the real handlers roll it out.
 */
class AutomaticRolloutTest {
    private static final Path ROOT = ProjectRoot.path();
    private static final String FUNCTION = "orders";
    private static final String ALARM = "orders-errors";
    private static final String CALLER = "arn:aws:iam::123456789012:user/alice";

    private final LocalAws aws = LocalAws.create(Simulation.START);
    private final LocalRuntime runtime;
    private final AutomaticRollouts rollouts;
    /** Every version the alias routed to at any moment of the test. */
    private final Set<String> versionsServed = new TreeSet<>();

    AutomaticRolloutTest() throws IOException {
        aws.lambda().addFunction(FUNCTION);
        aws.lambda().publishNewVersion(FUNCTION);
        aws.lambda().createAlias(request -> request.functionName(FUNCTION).name("live").functionVersion("1"));
        tag(Map.of("rollout:strategy", "Canary10Percent5Minutes", "rollout:alarms", ALARM));
        aws.cloudWatch().putMetricAlarm(request -> request
                .alarmName(ALARM)
                .namespace("AWS/Lambda")
                .metricName("Errors")
                .dimensions(Dimension.builder().name("FunctionName").value(FUNCTION).build(),
                        Dimension.builder().name("Resource").value(FUNCTION + ":live").build())
                .statistic(Statistic.SUM)
                .period(60)
                .evaluationPeriods(1)
                .threshold(5.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData("notBreaching"));
        aws.cloudWatch().evaluateAlarms();
        runtime = LocalRuntime.load(ROOT, aws);
        rollouts = AutomaticRollouts.attach(ROOT, runtime, Set.of(FUNCTION));
        serveTrafficEveryMinute();
    }

    private void tag(Map<String, String> tags) {
        aws.lambda().tagResource(request -> request.resource(aws.account().arn("lambda", "function:" + FUNCTION))
                .tags(tags));
    }

    /** A minute of traffic through the alias, alarms evaluated on it, and the alias' versions noted. */
    private void serveTrafficEveryMinute() {
        aws.clock().after(Duration.ofMinutes(1), new Runnable() {
            @Override
            public void run() {
                aws.traffic().invokeAlias(FUNCTION, "live", 600);
                aws.cloudWatch().evaluateAlarms();
                aws.clock().after(Duration.ofMinutes(1), this);
            }
        });
    }

    private Routing alias() {
        return new Aliases(aws.lambda()).read(FUNCTION, "live");
    }

    /** Runs the clock step by step until {@code done}, noting the alias' versions after every step. */
    private void runUntil(BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            assertTrue(aws.clock().runNext(), "the clock ran dry before the rollouts ended");
            Routing now = alias();
            versionsServed.add(now.primary());
            now.canary().ifPresent(versionsServed::add);
        }
    }

    private void runFor(Duration time) {
        Instant until = aws.clock().instant().plus(time);
        runUntil(() -> !aws.clock().instant().isBefore(until));
    }

    private void runToEnd() {
        runUntil(() -> runtime.stepFunctions().executions().stream()
                .noneMatch(execution -> execution.status() == ExecutionStatus.RUNNING));
    }

    private List<ExecutionHandle> executions() {
        return runtime.stepFunctions().executions();
    }

    private List<String> subjects() {
        return aws.sns().outbox().stream().map(PublishedMessage::subject).toList();
    }

    /** The phase Rollback reported, or empty when the execution never rolled back. */
    private static String rollbackPhase(ExecutionHandle execution) {
        String phase = "";
        for (HistoryEvent event : execution.history()) {
            if (event.type() == HistoryEventType.TASK_STATE_EXITED) {
                EventDetails.StateExited exited = event.details(EventDetails.StateExited.class);
                if (exited.name().equals("Rollback")) {
                    try {
                        phase = Json.MAPPER.readTree(exited.output()).path("phase").asText();
                    } catch (IOException unreadable) {
                        throw new AssertionError(exited.output(), unreadable);
                    }
                }
            }
        }
        return phase;
    }

    @Test
    void publishingAVersionRollsItOutWithTheFunctionsTagSettings() {
        AutomaticRollouts.Publication published = rollouts.publish(FUNCTION, CALLER);
        assertEquals("2", published.version());
        JsonNode started = published.delivered().orElseThrow();
        assertEquals("started", started.path("outcome").asText(), started::toString);

        runToEnd();

        ExecutionHandle execution = executions().get(0);
        assertEquals(RolloutTrigger.executionName(FUNCTION, "live", "2"), execution.name());
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), () -> execution.cause().orElse(""));
        assertEquals("Canary10Percent5Minutes", execution.output().orElseThrow().path("strategy").asText());
        assertEquals("version 2 100%", alias().describe());
        assertEquals(List.of("Rollout started: orders:live 1 -> 2", "Rollout promoted: orders:live 1 -> 2"), subjects());
    }

    @Test
    void aDuplicatedEventStartsNoSecondRollout() {
        AutomaticRollouts.Publication published = rollouts.publish(FUNCTION, CALLER);
        JsonNode first = published.delivered().orElseThrow();
        JsonNode whileRunning = rollouts.deliver(published.event().deepCopy()).orElseThrow();
        assertEquals(first.path("executionArn"), whileRunning.path("executionArn"));

        runToEnd();
        JsonNode afterwards = rollouts.deliver(published.event().deepCopy()).orElseThrow();

        assertEquals("skipped", afterwards.path("outcome").asText(), afterwards::toString);
        assertEquals(1, executions().size());
        assertEquals(1, rollouts.stepFunctions().executions().size());
        assertEquals("version 2 100%", alias().describe());
    }

    @Test
    void aDuplicateOfARolledBackRolloutDoesNotTryItAgain() {
        AutomaticRollouts.Publication published = rollouts.publish(FUNCTION, CALLER);
        aws.traffic().setVersionBehaviour(FUNCTION, "2", new VersionBehaviour(1.0, 50));
        runToEnd();
        assertEquals("Rollout.AlarmTriggered", executions().get(0).error().orElse(""));

        JsonNode duplicate = rollouts.deliver(published.event().deepCopy()).orElseThrow();

        assertEquals("alreadyStarted", duplicate.path("outcome").asText(), duplicate::toString);
        assertEquals(1, executions().size());
        assertEquals("version 1 100%", alias().describe());
    }

    @Test
    void aSecondVersionPublishedDuringARolloutIsRefusedAsAConflictAndTheFirstCarriesOn() {
        rollouts.publish(FUNCTION, CALLER);
        runFor(Duration.ofMinutes(2));
        assertEquals("version 1 90%, version 2 10%", alias().describe());

        JsonNode second = rollouts.publish(FUNCTION, CALLER).delivered().orElseThrow();
        assertEquals("started", second.path("outcome").asText(), "the refusal is Prepare's, so that people are told");
        runToEnd();

        ExecutionHandle first = executions().get(0);
        ExecutionHandle refused = executions().get(1);
        assertEquals(ExecutionStatus.SUCCEEDED, first.status(), () -> first.cause().orElse(""));
        assertEquals(ExecutionStatus.FAILED, refused.status());
        assertEquals("Rollout.Conflict", refused.error().orElse(""));
        assertTrue(refused.cause().orElse("").contains("already routes version 1 90%, version 2 10%"),
                refused.cause().orElse(""));
        assertEquals("version 2 100%", alias().describe());
        assertEquals(Set.of("1", "2"), versionsServed, "version 3 never received traffic");
        assertTrue(subjects().contains("Rollout refused: orders:live version 3"), subjects()::toString);
    }

    @Test
    void twoVersionsPublishedAtOnceRollOutOneAndRefuseTheOtherBeforeItMovesAnything() {
        rollouts.publish(FUNCTION, CALLER);
        rollouts.publish(FUNCTION, CALLER);
        assertEquals(2, executions().size(), "both pass StartRollout: neither has moved traffic yet");

        runToEnd();

        ExecutionHandle winner = executions().get(0);
        ExecutionHandle loser = executions().get(1);
        assertEquals(ExecutionStatus.SUCCEEDED, winner.status(), () -> winner.cause().orElse(""));
        assertEquals("Rollout.Conflict", loser.error().orElse(""), () -> loser.cause().orElse(""));
        assertTrue(loser.cause().orElse("").contains("is held by rollout " + winner.name()),
                () -> loser.cause().orElse(""));
        assertEquals("", rollbackPhase(loser), "the alias was claimed before it moved anything: nothing to roll back");
        assertEquals("version 2 100%", alias().describe());
        assertEquals(Set.of("1", "2"), versionsServed);
        assertTrue(subjects().contains("Rollout refused: orders:live version 3"), subjects()::toString);
    }

    @Test
    void anAliasChangedByHandMidRolloutStopsTheRolloutAndKeepsTheChange() {
        String hotfix = aws.lambda().publishNewVersion(FUNCTION);
        rollouts.publish(FUNCTION, CALLER);
        runFor(Duration.ofMinutes(2));
        aws.lambda().updateAlias(request -> request.functionName(FUNCTION).name("live").functionVersion(hotfix)
                .routingConfig(AliasRoutingConfiguration.builder().additionalVersionWeights(Map.of()).build()));

        runToEnd();

        ExecutionHandle execution = executions().get(0);
        assertEquals("Rollout.Conflict", execution.error().orElse(""), () -> execution.cause().orElse(""));
        assertEquals("STOPPED", rollbackPhase(execution));
        assertEquals("version " + hotfix + " 100%", alias().describe());
        assertTrue(subjects().contains("Rollout stopped: orders:live 1 -> 3"), subjects()::toString);
    }

    @Test
    void aPromotionByHandDuringTheBakeIsNoticedAtTheNextCheckAndKept() {
        rollouts.publish(FUNCTION, CALLER);
        runFor(Duration.ofMinutes(2));
        assertEquals("version 1 90%, version 2 10%", alias().describe());
        aws.lambda().updateAlias(request -> request.functionName(FUNCTION).name("live").functionVersion("2")
                .routingConfig(AliasRoutingConfiguration.builder().additionalVersionWeights(Map.of()).build()));

        runToEnd();

        ExecutionHandle execution = executions().get(0);
        assertEquals("Rollout.Conflict", execution.error().orElse(""), () -> execution.cause().orElse(""));
        assertTrue(execution.cause().orElse("").contains("it now routes version 2 100%"),
                () -> execution.cause().orElse(""));
        assertEquals("STOPPED", rollbackPhase(execution), "the person's promotion is theirs to keep");
        assertEquals("version 2 100%", alias().describe());
        assertTrue(subjects().contains("Rollout stopped: orders:live 1 -> 2"), subjects()::toString);
    }

    @Test
    void anInvalidTagFailsTheRolloutInPrepareNamingTheTagAndMovesNothing() {
        tag(Map.of("rollout:strategy", "Fast"));
        rollouts.publish(FUNCTION, CALLER);

        runToEnd();

        ExecutionHandle execution = executions().get(0);
        assertEquals("Rollout.InvalidInput", execution.error().orElse(""));
        assertTrue(execution.cause().orElse("").contains("tag rollout:strategy: unknown strategy \"Fast\""),
                execution.cause().orElse(""));
        assertEquals("version 1 100%", alias().describe());
        assertEquals(List.of("Rollout refused: orders:live version 2"), subjects());
    }

    @Test
    void callsThatPublishNothingNeverReachStartRollout() {
        JsonNode published = rollouts.publish(FUNCTION, CALLER).event();
        ObjectNode failed = published.deepCopy();
        ((ObjectNode) failed.get("detail")).put("errorCode", "ResourceConflictException").putNull("responseElements");
        ObjectNode latestOnly = published.deepCopy();
        ((ObjectNode) latestOnly.get("detail")).put("eventName", "UpdateFunctionCode20150331v2")
                .withObjectProperty("responseElements").put("version", "$LATEST");

        assertTrue(rollouts.deliver(failed).isEmpty());
        assertTrue(rollouts.deliver(latestOnly).isEmpty());
    }

    @Test
    void aFunctionThisStackDoesNotManageReachesStartRolloutAndIsSkipped() {
        aws.lambda().addFunction("payments");
        aws.lambda().publishNewVersion("payments");
        aws.lambda().createAlias(request -> request.functionName("payments").name("live").functionVersion("1"));

        JsonNode answer = rollouts.publish("payments", CALLER).delivered().orElseThrow();

        assertEquals("skipped", answer.path("outcome").asText(), answer::toString);
        assertTrue(rollouts.stepFunctions().executions().isEmpty());
    }
}
