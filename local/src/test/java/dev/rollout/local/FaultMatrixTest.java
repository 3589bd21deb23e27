package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import dev.rollout.ProjectRoot;

/**
 * Every row of the fault matrix (bin/faults prints the same rows as a table): the target ends whole, or as someone
 * else left it; the execution ends as the fault allows; and a person is told.
 */
class FaultMatrixTest {
    private static final Path ROOT = ProjectRoot.path();

    /**
     * Rows that fail for a bug not fixed on this branch, each with what happens and whose it is. Each must still
     * fail as described: when one passes, its bug is fixed and it leaves this list.
     */
    private static final Map<String, String> KNOWN = Map.ofEntries();

    private static FaultMatrix matrix;

    @BeforeAll
    static void deriveTheRows() throws Exception {
        matrix = FaultMatrix.derive(ROOT);
    }

    @TestFactory
    Stream<DynamicTest> everyRowLeavesTheTargetWholeEndsAsItsFaultAllowsAndTellsSomeone() {
        return matrix.rows().stream().map(row -> dynamicTest(row.name(), () -> {
            FaultMatrix.Result result = matrix.run(row);
            String known = KNOWN.get(row.name());
            if (known == null) {
                assertEquals(List.of(), result.broken(), row.name() + " ended " + result.outcome() + ", "
                        + result.alias());
            } else {
                assertTrue(result.broken().stream().anyMatch(problem -> problem.startsWith(known)),
                        row.name() + " is listed as failing with \"" + known + "\" but broke " + result.broken()
                                + ": if it passes now, take it off the list of known failures");
            }
        }));
    }

    @Test
    void everyTaskStateOfTheStateMachineAndEveryKindOfFaultHasRows() throws Exception {
        Set<String> taskStates = FaultMatrixJourneys.taskStates(ROOT);
        Set<String> covered = matrix.rows().stream().filter(row -> row.call().isEmpty())
                .map(FaultMatrix.Row::where).collect(Collectors.toSet());
        assertEquals(Set.of(), taskStates.stream().filter(state -> !covered.contains(state))
                .collect(Collectors.toSet()), "Task states no journey reaches");
        Set<FaultMatrix.Fault> kinds = matrix.rows().stream().map(FaultMatrix.Row::fault)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(FaultMatrix.Fault.class)));
        assertEquals(EnumSet.allOf(FaultMatrix.Fault.class), kinds);
    }

    @Test
    void everyServiceTheFunctionsCallHasRows() {
        Set<String> services = matrix.rows().stream().filter(row -> !row.call().isEmpty())
                .map(row -> row.call().substring(0, row.call().lastIndexOf(' '))).collect(Collectors.toSet());
        assertEquals(Set.of("Lambda", "CloudWatch", "SNS", "DynamoDB", "Step Functions", "API Gateway",
                "Route 53"), services);
    }

    @Test
    void theKnownFailuresAreRowsOfTheMatrix() {
        Set<String> names = matrix.rows().stream().map(FaultMatrix.Row::name).collect(Collectors.toSet());
        assertEquals(Set.of(), KNOWN.keySet().stream().filter(name -> !names.contains(name))
                .collect(Collectors.toSet()));
    }
}
