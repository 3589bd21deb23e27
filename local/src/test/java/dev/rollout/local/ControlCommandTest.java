package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.ControlDecisions;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.time.VirtualClock;
import software.amazon.awssdk.regions.Region;

/** {@code bin/control} against a rollout waiting in a 30-minute bake on the local runtime. */
class ControlCommandTest {
    private final LocalAws aws = LocalAws.create(new VirtualClock(Instant.parse("2026-11-22T10:00:00Z")), null);
    private final LocalRuntime runtime;
    private final ExecutionHandle execution;
    private final List<Region> regions = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    ControlCommandTest() throws Exception {
        aws.lambda().addFunction("orders");
        aws.lambda().publishNewVersion("orders");
        aws.lambda().publishNewVersion("orders");
        aws.lambda().createAlias(request -> request.functionName("orders").name("live").functionVersion("1"));
        runtime = LocalRuntime.load(ProjectRoot.path(), aws);
        ObjectNode input = Json.object();
        input.put("functionName", "orders").put("targetVersion", "2").put("strategy", "Canary10Percent30Minutes");
        execution = runtime.start("orders-2", input);
        boolean[] inTheBake = {false};
        aws.clock().after(Duration.ofMinutes(5), () -> inTheBake[0] = true);
        aws.clock().runUntil(() -> inTheBake[0]);
    }

    private int control(String... args) {
        return ControlCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), (region, table) -> {
                    regions.add(region);
                    assertEquals(aws.controlTable(), table);
                    return runtime.controlDecisions();
                });
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void abortRollsTheWaitingRolloutBackAtOnceSayingWhoAndWhy() {
        int status = control("abort", execution.executionArn(), "--table", aws.controlTable(), "--by", "dana",
                "--reason", "checkout errors");

        assertEquals(0, status, printed());
        assertEquals("control: aborted by dana at 2026-11-22T10:05:00Z: delivered, the rollout acts on it now\n",
                out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(Region.US_EAST_1), regions, "the Region comes from the ARN");
        runtime.runToEnd(execution);
        assertEquals(ExecutionStatus.FAILED, execution.status());
        assertEquals("Rollout.Aborted", execution.error().orElse(""));
        assertEquals(Instant.parse("2026-11-22T10:05:00Z"), execution.stopDate().orElseThrow());
    }

    @Test
    void promoteThenAbortPromotesAndTheAbortIsNotRecorded() {
        assertEquals(0, control("promote", execution.executionArn(), "--table", aws.controlTable(), "--by", "dana",
                "--reason", "hotfix"));
        assertEquals(3, control("abort", execution.executionArn(), "--table", aws.controlTable(), "--by", "eve",
                "--reason", "wait"));
        assertTrue(printed().contains("control: already promoted now by dana"), printed());
        runtime.runToEnd(execution);
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status(), execution.cause().orElse(""));
    }

    @Test
    void mistakesAreNamedAndDecideNothing() {
        assertEquals(2, control("stop", execution.executionArn(), "--table", aws.controlTable(), "--by", "dana",
                "--reason", "x"));
        assertTrue(printed().contains("expected abort or promote, got \"stop\""), printed());
        assertEquals(2, control("abort", "orders-2", "--table", aws.controlTable(), "--by", "dana", "--reason", "x"));
        assertTrue(printed().contains("expected a Step Functions execution ARN"), printed());
        assertEquals(2, control("abort", execution.executionArn(), "--table", aws.controlTable(), "--by", "dana"));
        assertTrue(printed().contains("Give a reason"), printed());
        assertEquals(2, control("abort", execution.executionArn(), "--by", "dana", "--reason", "x"));
        assertTrue(printed().contains("--table: give the stack's ControlTableName output"), printed());
        assertTrue(regions.isEmpty(), "nothing reached AWS");
        runtime.runToEnd(execution);
        assertEquals(ExecutionStatus.SUCCEEDED, execution.status());
    }
}
