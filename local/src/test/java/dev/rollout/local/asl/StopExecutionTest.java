package dev.rollout.local.asl;

import static dev.rollout.local.asl.LocalRuntime.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** StopExecution and the end of executions as Step Functions announces them. */
class StopExecutionTest {
    private static final String CAUGHT_WAIT = """
            {"QueryLanguage": "JSONata", "StartAt": "Long", "States": {
              "Long": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
              "Done": {"Type": "Succeed"}}}""";

    private final LocalRuntime runtime = new LocalRuntime();

    @Test
    void aStopEndsTheExecutionAbortedAtOnceAndItsPendingWaitNoLongerMovesTheClock() {
        LocalStepFunctions machine = runtime.machine(CAUGHT_WAIT, (function, payload) -> {
            throw new AssertionError("no task expected");
        });
        ExecutionHandle execution = machine.start("stopped", LocalRuntime.json("{}"));
        runtime.clock.after(Duration.ofSeconds(150), () -> machine.stop(execution.executionArn(), "Operator.Stopped",
                "pressed Stop"));
        runtime.clock.runUntilIdle();

        assertEquals(ExecutionStatus.ABORTED, execution.status());
        assertEquals("Operator.Stopped", execution.error().orElseThrow());
        assertEquals("pressed Stop", execution.cause().orElseThrow());
        assertEquals(START.plusSeconds(150), execution.stopDate().orElseThrow());
        assertEquals(START.plusSeconds(150), runtime.clock.instant());
        assertEquals(List.of(HistoryEventType.EXECUTION_STARTED, HistoryEventType.WAIT_STATE_ENTERED,
                HistoryEventType.EXECUTION_ABORTED), LocalRuntime.types(execution));
    }

    @Test
    void everyEndingIsAnnouncedOnceAStopOfAnEndedExecutionChangesNothingAndAnUnknownOneIsRefused() {
        LocalStepFunctions machine = runtime.machine(CAUGHT_WAIT, (function, payload) -> {
            throw new AssertionError("no task expected");
        });
        List<String> ended = new ArrayList<>();
        machine.onExecutionEnd(execution -> ended.add(execution.name() + " " + execution.status()));
        ExecutionHandle finished = machine.start("finished", LocalRuntime.json("{}"));
        ExecutionHandle stopped = machine.start("stopped", LocalRuntime.json("{}"));
        machine.stop(stopped.executionArn(), null, null);
        runtime.clock.runUntilIdle();
        machine.stop(finished.executionArn(), "late", "too late");

        assertEquals(List.of("stopped ABORTED", "finished SUCCEEDED"), ended);
        assertEquals(ExecutionStatus.SUCCEEDED, finished.status());
        assertThrows(IllegalArgumentException.class, () -> machine.stop(
                LocalRuntime.STATE_MACHINE_ARN.replace("stateMachine", "execution") + ":nobody", null, null));
    }
}
