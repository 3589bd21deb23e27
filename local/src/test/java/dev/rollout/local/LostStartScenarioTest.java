package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.time.VirtualClock;

/**
 * EventBridge hands a published version's event to StartRollout asynchronously: Lambda retries a failed start twice, a
 * minute and then two minutes later, and keeps an event that failed every attempt on the template's LostStartsQueue,
 * in the shape docs/automatic-rollouts.md replays.
 */
class LostStartScenarioTest {
    private static final Path ROOT = ProjectRoot.path();

    private final List<String> lines = new ArrayList<>();

    /** The shipped automatic start, with StartRollout's reading of the function's tags failing {@code times} times. */
    private Simulation publishWithFailingStarts(int times) throws Exception {
        ObjectNode scenario = (ObjectNode) Json.MAPPER.readTree(
                ROOT.resolve("events/scenarios/publish-with-tags.json").toFile());
        scenario.putArray("faults").addObject().put("service", "lambda").put("operation", "GetFunction")
                .put("times", times).put("error", "serviceError");
        return new Simulation(ROOT, Scenario.read(scenario), new VirtualClock(Simulation.START), null, lines::add);
    }

    @Test
    void aStartThatFailsTwiceIsRetriedByLambdaAndStartsExactlyOneRolloutThreeMinutesLater() throws Exception {
        Simulation simulation = publishWithFailingStarts(2);

        Simulation.Result result = simulation.run();

        assertEquals(Outcome.PROMOTED, result.outcome(), String.join("\n", lines));
        AutomaticRollouts starts = simulation.automaticStart().orElseThrow();
        assertEquals(List.of(false, false, true), starts.attempts().stream()
                .map(attempt -> attempt.answer().isPresent()).toList());
        assertEquals(List.of(Simulation.START, Simulation.START.plus(Duration.ofMinutes(1)),
                        Simulation.START.plus(Duration.ofMinutes(3))),
                starts.attempts().stream().map(AsyncInvocations.Attempt::at).toList(),
                "Lambda's retries come a minute and then two minutes after the attempt before");
        List<ExecutionHandle> executions = simulation.runtime().stepFunctions().executions();
        assertEquals(1, executions.size(), "one rollout, however many attempts");
        assertEquals(Simulation.START.plus(Duration.ofMinutes(3)), executions.get(0).startDate());
        assertEquals(List.of(), starts.lostStarts());
        assertTrue(lines.stream().anyMatch(line -> line.contains("StartRollout attempt 2 failed")
                && line.contains("Lambda retries it")), String.join("\n", lines));
    }

    @Test
    void aStartThatFailsEveryAttemptIsKeptOnTheLostStartsQueueAndReplayingItStartsTheRollout() throws Exception {
        Simulation simulation = publishWithFailingStarts(3);

        Simulation.Result result = simulation.run();

        assertEquals(Outcome.NOT_STARTED, result.outcome(), String.join("\n", lines));
        assertEquals("version 1 100%", result.finalAlias());
        AutomaticRollouts starts = simulation.automaticStart().orElseThrow();
        assertEquals(3, starts.attempts().size());
        assertEquals(java.util.Optional.of("LostStartsQueue"), starts.destination());
        assertEquals(1, starts.lostStarts().size());
        JsonNode record = starts.lostStarts().get(0);
        // Lambda's invocation record for an OnFailure destination.
        assertEquals("RetriesExhausted", record.at("/requestContext/condition").asText());
        assertEquals(3, record.at("/requestContext/approximateInvokeCount").asInt());
        assertTrue(record.at("/requestContext/functionArn").asText().endsWith(":function:StartRollout"),
                record.toString());
        assertEquals("Unhandled", record.at("/responseContext/functionError").asText());
        assertEquals("PublishVersion20150331", record.at("/requestPayload/detail/eventName").asText());
        assertTrue(lines.stream().anyMatch(line -> line.contains("no retries left: Lambda keeps the event on"
                + " LostStartsQueue")), String.join("\n", lines));

        // The replay docs/automatic-rollouts.md describes: requestPayload, invoked again.
        JsonNode replayed = starts.deliver(record.get("requestPayload")).orElseThrow();
        assertEquals("started", replayed.path("outcome").asText(), replayed.toString());
        ExecutionHandle execution = simulation.runtime().stepFunctions().executions().get(0);
        simulation.runtime().runToEnd(execution);
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status());
    }
}
