package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;

class ExecutionEndingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode sample(String name) throws IOException {
        return (ObjectNode) JSON.readTree(ProjectRoot.resolve("events/execution-status/" + name).toFile());
    }

    @Test
    void readsTheStoppedExecutionFromAStatusChangeEvent() throws IOException {
        ExecutionEnding ending = ExecutionEnding.of(sample("aborted.json"));
        assertEquals("ABORTED", ending.status());
        assertEquals("orders-live-2", ending.executionName());
        assertEquals(Instant.parse("2026-01-05T09:02:30Z"), ending.stopDate());
        assertEquals("", ending.error());
        assertEquals("the execution was stopped (ABORTED) at 2026-01-05T09:02:30Z", ending.describe());
    }

    @Test
    void theHistorysErrorFillsInWhatTheEventLeavesOut() throws IOException {
        ExecutionEnding ending = ExecutionEnding.of(sample("timed-out.json"))
                .withFailure("States.Timeout", "The execution ran longer than its TimeoutSeconds");
        assertTrue(ending.describe().startsWith("the execution timed out (TIMED_OUT) at 2027-01-05T09:00:00Z with"
                + " States.Timeout"), ending.describe());
    }

    @Test
    void anEventThatIsNoStatusChangeIsRefusedNamingWhatIsWrong() throws IOException {
        ObjectNode running = sample("aborted.json");
        ((ObjectNode) running.get("detail")).put("status", "RUNNING");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ExecutionEnding.of(running)).getMessage()
                .startsWith("detail.status"));
        JsonNode other = JSON.createObjectNode().put("detail-type", "AWS API Call via CloudTrail");
        assertThrows(IllegalArgumentException.class, () -> ExecutionEnding.of(other));
    }
}
