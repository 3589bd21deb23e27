package dev.rollout.local;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.rollout.domain.Durations;
import dev.rollout.handlers.Json;
import dev.rollout.local.time.VirtualClock;

/**
 * {@code bin/benchmark}: figures, never pass/fail, in one table. In this JVM: each shipped scenario's first run
 * (what a fresh JVM pays) and its warmed setup and run apart; the executor alone on the stubbed healthy rollout
 * (CPU and allocation per execution). In fresh JVMs: {@code bin/simulate} end to end per scenario, and each
 * handler's cold start beside a bare JVM. Per predefined strategy ({@link PresetFigures}): the transitions of a healthy
 * rollout, and the simulated time from a failing version's alarm to the alias restored.
 *
 * <p>Arguments (from bin/benchmark): the function's runtime classpath, then optionally {@code --quick} (fewer rounds)
 * and {@code --cold-starts} (the cold-start rows alone).
 */
public final class Benchmark {
    private static final double STABLE = 0.03;
    private static final Pattern ENGINE_FIGURES =
            Pattern.compile("cpu_ms=([0-9.]+) alloc_mb=([0-9.]+) executions_per_s=([0-9]+)");

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("rollout.root", "."));
        String functionClasspath = args[0];
        List<String> options = List.of(args).subList(1, args.length);
        boolean quick = options.contains("--quick");
        if (options.contains("--fleets")) {
            FleetBenchmark.print(root);
            return;
        }
        if (options.contains("--cold-starts")) {
            List<String[]> rows = new ArrayList<>();
            coldStarts(root, functionClasspath, quick, rows);
            print(rows);
            return;
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(root.resolve("events/scenarios"))) {
            files = listing.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
        List<String[]> rows = new ArrayList<>();

        // First: what the first simulation in a fresh JVM costs, before anything else warms this one.
        Map<Path, long[]> first = new LinkedHashMap<>();
        for (Path file : files) {
            first.put(file, setupAndRun(root, file));
        }
        rows.add(new String[] {"Scenarios in this JVM", "first run: setup + run", "warmed: setup | run (median)",
                "transitions, outcome"});
        for (Path file : files) {
            long[] cold = first.get(file);
            double[] setup = new double[quick ? 5 : 21];
            double[] run = new double[setup.length];
            warm(root, file);
            Simulation.Result result = null;
            for (int i = 0; i < setup.length; i++) {
                long started = System.nanoTime();
                Simulation simulation = simulation(root, file);
                long built = System.nanoTime();
                result = simulation.run();
                setup[i] = (built - started) / 1e6;
                run[i] = (System.nanoTime() - built) / 1e6;
            }
            rows.add(new String[] {"  " + file.getFileName(),
                    String.format("%.0f + %.0f ms", cold[0] / 1e6, cold[1] / 1e6),
                    String.format("%.2f | %.2f ms", ExecutorBenchmark.median(setup), ExecutorBenchmark.median(run)),
                    result.transitions() + ", " + result.outcome() + ", "
                            + Durations.format(result.simulated()) + " simulated"});
        }

        ExecutorBenchmark executor = ExecutorBenchmark.load(root);
        // Other work on the machine shows in process CPU (allocation is steady): the row says how busy it was.
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        ExecutorBenchmark.Figures figures = executor.measure(200, quick ? 3 : 7);
        ExecutorBenchmark.Figures read = executor.measure(200, quick ? 3 : 7, true);
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        rows.add(new String[] {String.format("Executor alone (stubbed tasks; load %.2f to %.2f)", loadBefore, loadAfter),
                "process CPU / execution", "allocated / execution", "executions / s"});
        rows.add(new String[] {String.format("  healthy Linear10PercentEvery1Minute, %d states, %d task calls",
                figures.states(), figures.taskCalls()), String.format("%.2f ms", figures.cpuMillis()),
                String.format("%.2f MB", figures.allocatedMegabytes()), String.format("%.0f", figures.executionsPerSecond())});
        rows.add(new String[] {"  the same, each execution's history then read (its JSON texts are written on reading)",
                String.format("%.2f ms", read.cpuMillis()), String.format("%.2f MB", read.allocatedMegabytes()),
                String.format("%.0f", read.executionsPerSecond())});
        // The same rollout, stubs and payloads in an independent engine (bench/engine-compare), in this run.
        Path cases = root.resolve("target/engine-compare/cases.json");
        EngineCompare.write(root, executor, cases);
        String engine = EngineCompare.independentEngineFigures(root, cases, quick ? 3 : 5);
        Matcher figuresLine = ENGINE_FIGURES.matcher(engine);
        rows.add(figuresLine.find()
                ? new String[] {"  the same in aws-local-stepfunctions (JSONPath copy)",
                        String.format("%.2f ms", Double.parseDouble(figuresLine.group(1))),
                        String.format("%.2f MB", Double.parseDouble(figuresLine.group(2))), figuresLine.group(3)}
                : new String[] {"  the same in aws-local-stepfunctions (JSONPath copy)", engine, "", ""});

        rows.add(new String[] {"bin/simulate, fresh JVM (AppCDS, C1)", "wall, median of " + (quick ? 3 : 5), "", ""});
        for (Path file : files) {
            rows.add(new String[] {"  " + file.getFileName(),
                    String.format("%.2f s", simulateWall(root, file, quick ? 3 : 5)), "", ""});
        }

        coldStarts(root, functionClasspath, quick, rows);
        rows.add(new String[] {"Predefined strategies (v2 fails 25% from 1m after the first shift)",
                "transitions, healthy", "healthy took", "failing: alarm to restored (simulated)"});
        for (PresetFigures.Figures preset : PresetFigures.measureAll(root)) {
            rows.add(new String[] {"  " + preset.strategy(), String.valueOf(preset.healthyTransitions()),
                    Durations.format(preset.healthyTook()), preset.failingOutcome() + ", " + preset.alarmToRestored()
                            .map(took -> took.toSeconds() + " s").orElse("not rolled back after an alarm")});
        }
        print(rows);
        System.out.println();
        System.out.println("States entered, executor against aws-local-stepfunctions, healthy and failing stubbed rollouts"
                + " (bench/engine-compare/differential.sh): " + EngineCompare.differential(root, cases));
        FleetBenchmark.print(root);
    }

    /** Each handler's cold start in a fresh JVM beside a bare JVM's, as rows of the table. */
    private static void coldStarts(Path root, String functionClasspath, boolean quick, List<String[]> rows)
            throws IOException, InterruptedException {
        ColdStarts coldStarts = new ColdStarts(root, functionClasspath);
        Map<String, Path> events = coldStarts.events();
        // Other work on the machine slows a fresh JVM: the figures say how busy it was while they were taken.
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        List<ColdStarts.Figure> starts = coldStarts.measure(events, quick ? 3 : 5);
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        double bare = starts.get(0).medianSeconds();
        double bareCpu = starts.get(0).cpuSeconds();
        rows.add(new String[] {"Cold start, fresh JVM to first response (JAVA_TOOL_OPTIONS " + coldStarts.javaToolOptions()
                + ")", String.format("wall, median of %d (load %.2f to %.2f)", quick ? 3 : 5, loadBefore, loadAfter),
                "x bare JVM: wall | process CPU",
                "classes loaded; wall: JVM to main + built + answered"});
        for (ColdStarts.Figure start : starts) {
            rows.add(new String[] {"  " + start.name() + " (" + start.answer() + ")",
                    String.format("%.3f s (CPU %.2f s)", start.medianSeconds(), start.cpuSeconds()),
                    String.format("%.1fx | %.1fx", start.medianSeconds() / bare, start.cpuSeconds() / bareCpu),
                    String.format("%d; %.0f + %.0f + %.0f ms", start.classes(), start.split()[0] * 1e3,
                            start.split()[1] * 1e3, start.split()[2] * 1e3)});
        }
    }

    /** Nanoseconds to build the simulation (world, runtime, definition) and to run it. */
    private static long[] setupAndRun(Path root, Path file) throws IOException {
        long started = System.nanoTime();
        Simulation simulation = simulation(root, file);
        long built = System.nanoTime();
        simulation.run();
        return new long[] {built - started, System.nanoTime() - built};
    }

    /** Runs the scenario until a round of ten no longer gets more than 3% faster. */
    private static void warm(Path root, Path file) throws IOException {
        double previous = Double.MAX_VALUE;
        for (int round = 0; round < 30; round++) {
            long started = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                simulation(root, file).run();
            }
            double took = System.nanoTime() - started;
            if (round >= 2 && took > previous * (1 - STABLE)) {
                return;
            }
            previous = Math.min(previous, took);
        }
    }

    private static Simulation simulation(Path root, Path file) throws IOException {
        Scenario scenario = Scenario.read(Json.MAPPER.readTree(file.toFile()));
        return new Simulation(root, scenario, new VirtualClock(Simulation.START), null, line -> { });
    }

    private static double simulateWall(Path root, Path file, int runs) throws IOException, InterruptedException {
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long started = System.nanoTime();
            Process process = new ProcessBuilder(root.resolve("bin/simulate").toString(), file.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.waitFor();
            seconds[i] = (System.nanoTime() - started) / 1e9;
        }
        return ExecutorBenchmark.median(seconds);
    }

    private static void print(List<String[]> rows) {
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < 4; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            System.out.printf("%-" + widths[0] + "s  %-" + widths[1] + "s  %-" + widths[2] + "s  %s%n",
                    row[0], row[1], row[2], row[3]);
        }
    }
}
