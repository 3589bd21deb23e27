package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executor's side of bench/engine-compare: what its cases do here, before another engine is asked. */
class EngineCompareTest {
    private static JsonNode written;

    @BeforeAll
    static void write(@TempDir Path folder) throws IOException {
        Path file = folder.resolve("cases.json");
        Path root = ProjectRoot.path();
        EngineCompare.write(root, ExecutorBenchmark.load(root), file);
        written = Json.MAPPER.readTree(Files.readString(file));
    }

    private static JsonNode executor(String name) {
        for (JsonNode one : written.path("cases")) {
            if (one.path("name").asText().equals(name)) {
                return one.path("executor");
            }
        }
        throw new AssertionError("no case " + name);
    }

    private static String ending(String name) {
        JsonNode executor = executor(name);
        List<String> states = new ArrayList<>();
        executor.path("states").forEach(state -> states.add(state.asText()));
        return String.join(" > ", states.subList(Math.max(0, states.size() - 4), states.size())) + " | "
                + executor.path("status").asText() + " " + executor.path("error").asText();
    }

    @Test
    void eachCaseEndsAsItsNameSays() {
        assertEquals("FinalBake > CheckHealth > NotifyPromoted > Promoted | SUCCEEDED ", ending("healthy"));
        assertEquals(ending("healthy"), ending("a throttled window check, retried"));
        assertEquals("Rollback > NotifyRolledBack > ReleaseAfterRollback > RolledBack | FAILED Rollout.AlarmTriggered",
                ending("an alarm in the third window check"));
        assertEquals("Rollback > NotifyRolledBack > ReleaseAfterRollback > RolledBack | FAILED Rollout.AlarmTriggered",
                ending("an alarm during the second bake"));
        assertEquals("Prepare > NotifyRefused > Refused | FAILED Rollout.InvalidInput", ending("refused at Prepare"));
        assertEquals("ShiftTraffic > Rollback > NotifyRollbackFailed > RollbackFailed | FAILED Rollout.RollbackFailed",
                ending("a rollback that meets someone else's change"));
        assertEquals("Promote > AfterPromote > NotifyPromoted > Promoted | SUCCEEDED ",
                ending("a Route 53 shift that settles"));
    }

    @Test
    void theRoute53CaseSettlesEachShiftWithItsOwnRecordedPayloads() {
        JsonNode route53 = written.path("cases").get(EngineCompare.CASES.size() - 1);
        assertEquals("Route53Weighted", route53.path("input").path("target").path("type").asText());
        assertTrue(route53.path("payloads").has("Settle"), route53.path("payloads").toString());
        JsonNode states = route53.path("executor").path("states");
        assertEquals(2, count(states, "ShiftTrafficWithoutBake"));
        assertEquals(2, count(states, "Settle"));
        assertEquals(2, count(states, "AwaitCachedAnswers"));
        assertEquals(2, count(states, "AfterSettling"));
        assertEquals(0, count(states, "ShiftTraffic"));
    }

    @Test
    void theFailingCallsAreCountedPerFunctionRetriesIncluded() {
        // The third ShiftTraffic call fails: two shifts with their bakes, then the failing window check.
        JsonNode states = executor("an alarm in the third window check").path("states");
        assertEquals(3, count(states, "ShiftTraffic"));
        assertEquals(2, count(states, "Bake"));
        // A throttled call retried does not enter the state again.
        assertEquals(count(executor("healthy").path("states"), "ShiftTraffic"),
                count(executor("a throttled window check, retried").path("states"), "ShiftTraffic"));
    }

    @Test
    void theStubsCoverEveryFunctionTheCasesCall() {
        ObjectNode payloads = (ObjectNode) written.path("payloads");
        List<String> functions = new ArrayList<>();
        payloads.fieldNames().forEachRemaining(functions::add);
        for (String function : List.of("Prepare", "Notify", "ShiftTraffic", "Bake", "Promote", "CheckHealth",
                "Rollback", "ReleaseAlias")) {
            assertTrue(functions.contains(function), function + " in " + functions);
        }
    }

    private static long count(JsonNode states, String state) {
        long count = 0;
        for (JsonNode one : states) {
            if (one.asText().equals(state)) {
                count++;
            }
        }
        return count;
    }
}
