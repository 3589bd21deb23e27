package dev.rollout.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import dev.rollout.handlers.Json;
import dev.rollout.local.time.VirtualClock;

/**
 * {@code bin/benchmark}: prints how fast the local runtime simulates rollouts, how many state transitions (what Step
 * Functions bills) each shipped scenario uses, and per predefined strategy the transitions of a healthy rollout and
 * how fast a failing one is restored after its alarm ({@link PresetFigures}). Figures, not pass/fail.
 */
public final class Benchmark {
    private static final int WARMUP = 5;
    private static final int RUNS = 20;

    private Benchmark() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(System.getProperty("rollout.root", "."));
        List<Path> files;
        try (Stream<Path> listing = Files.list(root.resolve("events/scenarios"))) {
            files = listing.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (Path file : files) {
            scenarios.add(Scenario.read(Json.MAPPER.readTree(file.toFile())));
        }

        ObjectNode slowLinear = (ObjectNode) Json.MAPPER.readTree(root.resolve("events/scenarios/linear-healthy.json").toFile());
        slowLinear.withObjectProperty("rollout").put("strategy", "Linear10PercentEvery10Minutes");
        Scenario linear = Scenario.read(slowLinear);
        for (int i = 0; i < WARMUP; i++) {
            simulate(root, linear);
        }
        double[] millis = new double[RUNS];
        Simulation.Result last = null;
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            last = simulate(root, linear);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf("Linear10PercentEvery10Minutes end to end (%s simulated, %d transitions):%n",
                dev.rollout.domain.Durations.format(last.simulated()), last.execution().stateTransitions());
        System.out.printf("  wall time per rollout: median %.1f ms, p90 %.1f ms, min %.1f ms over %d runs%n",
                millis[RUNS / 2], millis[(int) (RUNS * 0.9)], millis[0], RUNS);

        int executions = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 5_000_000_000L) {
            for (Scenario scenario : scenarios) {
                simulate(root, scenario);
                executions++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Whole scenario set (%d scenarios): %.1f executions per second (%d in %.1f s)%n",
                scenarios.size(), executions / seconds, executions, seconds);

        System.out.println("State transitions per scenario:");
        for (int i = 0; i < files.size(); i++) {
            Simulation.Result result = simulate(root, scenarios.get(i));
            System.out.printf("  %-28s %4d transitions  %-12s %s simulated%n", files.get(i).getFileName(),
                    result.execution().stateTransitions(), result.outcome(),
                    dev.rollout.domain.Durations.format(result.simulated()));
        }

        System.out.println("Per predefined strategy: a healthy rollout, and version 2 failing 25% of requests from one"
                + " minute after the first shift");
        System.out.printf("  %-30s %11s %9s %10s  %s%n", "strategy", "transitions", "healthy", "failing",
                "alarm to restored (simulated)");
        for (PresetFigures.Figures figures : PresetFigures.measureAll(root)) {
            System.out.printf("  %-30s %11d %9s %10s  %s%n", figures.strategy(), figures.healthyTransitions(),
                    dev.rollout.domain.Durations.format(figures.healthyTook()), figures.failingOutcome(),
                    figures.alarmToRestored().map(took -> took.toSeconds() + " s").orElse("not rolled back after an alarm"));
        }
    }

    private static Simulation.Result simulate(Path root, Scenario scenario) throws IOException {
        return new Simulation(root, scenario, new VirtualClock(Simulation.START), null, line -> { }).run();
    }
}
