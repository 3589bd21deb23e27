package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code bin/simulate} prints, read as a person reads it. */
class TimelineOutputTest {

    @TempDir
    Path out;

    @Test
    void eachHealthLineGivesErrorPercentAndP99PerVersionAndTheAlarmReasonAppearsOnce()
            throws Exception {
        List<String> lines = simulate(ProjectRoot.resolve("events/scenarios/alarm-mid-rollout.json"));

        assertTrue(lines.stream().anyMatch(line -> line.startsWith("+00:01:00  Health   v1 540 req 0.0% err p99 80 ms,"
                + " v2 60 req 0.0% err p99 80 ms | healthy: orders-v2-errors never in ALARM; metrics inconclusive")),
                String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(line -> line.startsWith(
                "+00:04:00  Health   v1 360 req 0.0% err p99 80 ms, v2 240 req 25.0% err p99 100 ms | failed with "
                        + "Rollout.AlarmTriggered: unhealthy: alarm orders-v2-errors is in ALARM")), String.join("\n", lines));
        assertEquals(1, lines.stream().filter(line -> line.contains("Threshold Crossed")).count(),
                () -> String.join("\n", lines));
        assertTrue(lines.contains("+00:04:00  Rollback version 1 100% | ROLLED_BACK (see above)"));
        assertTrue(lines.contains("Outbox:      " + out.resolve("outbox.jsonl") + " (2 messages)"));
    }

    @Test
    void anApprovalShowsWhoDecidedToTheSecondAndOneNobodyAnswersSaysItTimedOut() throws Exception {
        List<String> approved = simulate(ProjectRoot.resolve("events/scenarios/approval-approved.json"));
        assertTrue(approved.contains(
                "+00:15:00  Approval approved by dana at 2026-01-05T09:15:00Z: \"dashboards look fine\""),
                String.join("\n", approved));

        ObjectNode silent = (ObjectNode) Json.MAPPER.readTree(
                ProjectRoot.resolve("events/scenarios/approval-approved.json").toFile());
        silent.set("approvals", Json.MAPPER.readTree("[{\"answer\": \"none\"}]"));
        List<String> timedOut = simulate(write("silent.json", silent));
        assertTrue(timedOut.contains(
                "+02:05:00  Approval timed out: nobody approved or rejected in time (States.Timeout)"),
                String.join("\n", timedOut));
    }

    @Test
    void oneMessageIsOneMessage() throws Exception {
        ObjectNode refused = (ObjectNode) Json.MAPPER.readTree(
                ProjectRoot.resolve("events/scenarios/alarm-mid-rollout.json").toFile());
        ((ObjectNode) refused.get("rollout")).put("targetVersion", "9");

        List<String> lines = simulate(write("refused.json", refused));

        assertTrue(lines.contains("Outbox:      " + out.resolve("outbox.jsonl") + " (1 message)"),
                String.join("\n", lines));
    }

    private Path write(String name, ObjectNode scenario) throws Exception {
        Path file = out.resolve(name);
        Files.writeString(file, scenario.toString());
        return file;
    }

    private List<String> simulate(Path scenario) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Simulate.run(new String[] {"--out", out.toString(), scenario.toString()}, ProjectRoot.path(),
                new PrintStream(printed, true, StandardCharsets.UTF_8), System.err);
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
