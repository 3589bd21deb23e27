package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.aws.UnsentNotices;
import dev.rollout.handlers.Json;
import dev.rollout.local.aws.PublishedMessage;
import dev.rollout.local.aws.SnsErrors;
import dev.rollout.local.time.VirtualClock;
import software.amazon.awssdk.services.cloudwatch.model.Datapoint;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;

/**
 * A notice of how a rollout ended that SNS refuses never changes the rollout, and never disappears: Notify keeps it,
 * the sweeper's StuckRollouts metric and the template's StuckRolloutsAlarm say so while SNS refuses, and the sweeper
 * publishes it, once, when SNS answers again.
 */
class UnsentNoticeScenarioTest {
    private static final Path ROOT = ProjectRoot.path();
    private static final Duration ROUND = Duration.ofMinutes(5);

    private final List<String> lines = new ArrayList<>();

    /** The shipped healthy canary; {@code invocations} sees each task invocation. */
    private Simulation canary(TaskInvocations invocations) throws Exception {
        return new Simulation(ROOT, Scenario.read(Json.MAPPER.readTree(
                ROOT.resolve("events/scenarios/canary-healthy.json").toFile())), new VirtualClock(Simulation.START),
                invocations, text -> text, lines::add);
    }

    private static List<String> promotedNotices(Simulation simulation) {
        return simulation.aws().sns().outbox(simulation.aws().topicArn()).stream().map(PublishedMessage::subject)
                .filter(subject -> subject.startsWith("Rollout promoted")).toList();
    }

    private static List<UnsentNotices.Unsent> kept(Simulation simulation) {
        return new UnsentNotices(simulation.aws().dynamoDb(), simulation.aws().noticeTable()).unsent();
    }

    /** Runs the sweeper's next round. */
    private static JsonNode nextRound(Simulation simulation) {
        int before = simulation.sweeps().size();
        simulation.aws().clock().runUntil(() -> simulation.sweeps().size() > before);
        return simulation.sweeps().get(before).answer().orElseThrow();
    }

    /** The most the sweeper's StuckRollouts metric said in the five minutes up to now, as CloudWatch has it. */
    private static double stuckRollouts(Simulation simulation) {
        Instant now = simulation.aws().clock().instant();
        List<Datapoint> points = simulation.aws().cloudWatch().getMetricStatistics(request -> request
                .namespace("LambdaRollout").metricName("StuckRollouts")
                .dimensions(Dimension.builder().name("Service").value("lambda-rollout").build())
                .startTime(now.minus(ROUND)).endTime(now.plusSeconds(1)).period(300).statistics(Statistic.MAXIMUM))
                .datapoints();
        return points.stream().mapToDouble(Datapoint::maximum).max().orElse(0);
    }

    @Test
    void aPromotionSnsRefusesStillPromotesRaisesTheStuckRolloutsAlarmAndIsPublishedOnceSnsAnswersAgain()
            throws Exception {
        Simulation simulation = canary(TaskInvocations.NONE);
        simulation.aws().sns().faults().failNext("Publish", 10_000, SnsErrors::internalError);

        Simulation.Result result = simulation.run();

        assertEquals(Outcome.PROMOTED, result.outcome(), "a lost notice never changes the outcome: " + lines);
        assertEquals("version 2 100%", result.finalAlias());
        List<UnsentNotices.Unsent> kept = kept(simulation);
        assertEquals(1, kept.size(), "only the ending is kept, not the started notice: " + kept);
        assertEquals("PROMOTED", kept.get(0).phase());
        assertEquals(result.execution().executionArn(), kept.get(0).executionArn());
        assertTrue(kept.get(0).notice().subject().startsWith("Rollout promoted"), kept.get(0).notice().subject());

        JsonNode stuck = nextRound(simulation);
        assertEquals(1, stuck.at("/notices/unsent").asInt(), stuck.toString());
        assertEquals(1, stuck.path("stuck").asInt(), stuck.toString());
        assertEquals(1.0, stuckRollouts(simulation), "the sweeper's log line is the metric's datapoint");
        assertEquals(StateValue.ALARM, simulation.aws().cloudWatch().alarmState("StuckRolloutsAlarm").orElseThrow());
        assertEquals(List.of(), promotedNotices(simulation));

        simulation.aws().sns().faults().recover("Publish");
        JsonNode sent = nextRound(simulation);
        assertEquals(result.execution().executionArn(), sent.at("/notices/sent/0/executionArn").asText(),
                sent.toString());
        assertEquals(0, sent.path("stuck").asInt(), sent.toString());
        assertEquals(List.of(kept.get(0).notice().subject()), promotedNotices(simulation));
        assertEquals(List.of(), kept(simulation));
        nextRound(simulation);
        assertEquals(1, promotedNotices(simulation).size(), "a notice sent is sent once");
        assertEquals(StateValue.OK, simulation.aws().cloudWatch().alarmState("StuckRolloutsAlarm").orElseThrow());
    }

    @Test
    void aPromotionThatAStepFunctionsRetryPublishesIsNotSentAgainByTheSweeper() throws Exception {
        AtomicInteger notifies = new AtomicInteger();
        Simulation[] running = new Simulation[1];
        Simulation simulation = canary((function, invocation) -> {
            // NotifyStarted, then NotifyPromoted: SNS refuses the promoted notice's first publish only.
            if (function.equals("NotifyFunction") && notifies.incrementAndGet() == 2) {
                running[0].aws().sns().faults().failNext("Publish", 1, SnsErrors::internalError);
            }
            return invocation.run();
        });
        running[0] = simulation;

        Simulation.Result result = simulation.run();
        nextRound(simulation);

        assertEquals(Outcome.PROMOTED, result.outcome(), String.join("\n", lines));
        assertEquals(3, notifies.get(), "NotifyStarted, NotifyPromoted and its retry");
        assertEquals(1, promotedNotices(simulation).size(), "the retry published it; the sweeper did not again");
        assertEquals(List.of(), kept(simulation));
        assertEquals(StateValue.OK, simulation.aws().cloudWatch().alarmState("StuckRolloutsAlarm").orElseThrow());
    }
}
