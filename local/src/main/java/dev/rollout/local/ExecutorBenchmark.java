package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.ExecutionStatus;
import dev.rollout.local.asl.HistoryEvent;
import dev.rollout.local.asl.HistoryEventType;
import dev.rollout.local.asl.LocalStepFunctions;
import dev.rollout.local.asl.StateMachineDefinition;
import dev.rollout.local.asl.TaskInvoker;
import dev.rollout.local.time.VirtualClock;

/**
 * The executor alone, as {@code ../shared/bench/engine-compare} runs aws-local-stepfunctions: the healthy
 * {@code Linear10PercentEvery1Minute} rollout of {@code events/scenarios/linear-healthy.json} with every task
 * stubbed by the payload its real handler returned (the first one per function, as {@code extract-payloads.py}
 * takes them), Waits on the virtual clock. One loaded definition serves every execution.
 */
final class ExecutorBenchmark {
    private static final String SCENARIO = "events/scenarios/linear-healthy.json";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    /** Process CPU, allocation and wall time per execution, medians over rounds. */
    record Figures(int states, int taskCalls, double cpuMillis, double allocatedMegabytes, double executionsPerSecond,
                   int rounds, int executionsPerRound) {
    }

    private final StateMachineDefinition definition;
    private final Map<String, JsonNode> payloads;
    private final JsonNode input;
    private int taskCalls;

    private ExecutorBenchmark(StateMachineDefinition definition, Map<String, JsonNode> payloads, JsonNode input) {
        this.definition = definition;
        this.payloads = payloads;
        this.input = input;
    }

    /** Records the stub payloads from one real simulated rollout, then loads the definition once. */
    static ExecutorBenchmark load(Path root) throws IOException {
        Scenario scenario = Scenario.read(Json.MAPPER.readTree(root.resolve(SCENARIO).toFile()));
        Map<String, JsonNode> payloads = payloadsOf(root, scenario);
        // The functions as the simulation named them (rollout-<LogicalId>), those it never called included.
        String anyFunction = payloads.keySet().iterator().next();
        String prefix = anyFunction.substring(0, anyFunction.lastIndexOf(":rollout-") + ":rollout-".length());
        String text = Files.readString(root.resolve("statemachine/rollout.asl.json"));
        Map<String, String> substitutions = new LinkedHashMap<>();
        Matcher placeholder = PLACEHOLDER.matcher(text);
        while (placeholder.find()) {
            String name = placeholder.group(1);
            substitutions.put(name, prefix + name.replaceFirst("Arn$", ""));
        }
        StateMachineDefinition definition = StateMachineDefinition.load(text, substitutions);
        return new ExecutorBenchmark(definition, payloads, scenario.rollout());
    }

    /** Simulates the scenario with the real handlers; the first payload each function returned, by function name. */
    static Map<String, JsonNode> payloadsOf(Path root, Scenario scenario) throws IOException {
        Simulation.Result real = new Simulation(root, scenario, new VirtualClock(Simulation.START), null, line -> { })
                .run();
        Map<String, JsonNode> payloads = new HashMap<>();
        String scheduled = null;
        for (HistoryEvent event : real.execution().history()) {
            if (event.type() == HistoryEventType.TASK_SCHEDULED) {
                scheduled = Json.MAPPER.readTree(event.details(EventDetails.TaskScheduled.class).parameters())
                        .path("FunctionName").asText();
            } else if (event.type() == HistoryEventType.TASK_SUCCEEDED && !payloads.containsKey(scheduled)) {
                payloads.put(scheduled, Json.MAPPER.readTree(event.details(EventDetails.TaskSucceeded.class).output())
                        .path("Payload"));
            } else if (event.type() == HistoryEventType.TASK_SUBMITTED && !payloads.containsKey(scheduled)) {
                // A callback task (a bake): its function answered, then the task waited until its timeout.
                payloads.put(scheduled, Json.MAPPER.readTree(event.details(EventDetails.TaskSubmitted.class).output())
                        .path("Payload"));
            }
        }
        return payloads;
    }

    /** One execution on a fresh clock and Step Functions, with the shared definition. */
    ExecutionHandle runOnce() {
        ExecutionHandle execution = run((function, payload) -> {
            taskCalls++;
            return payloads.get(function).deepCopy();
        });
        if (execution.status() != ExecutionStatus.SUCCEEDED) {
            throw new IllegalStateException("the stubbed rollout ended " + execution.status() + ": "
                    + execution.error().orElse("") + " " + execution.cause().orElse(""));
        }
        return execution;
    }

    /** One execution to its end on a fresh clock and Step Functions, its tasks answered by {@code tasks}. */
    ExecutionHandle run(TaskInvoker tasks) {
        return run(input, tasks);
    }

    /** As {@link #run(TaskInvoker)}, for another rollout's input. */
    ExecutionHandle run(JsonNode input, TaskInvoker tasks) {
        VirtualClock clock = new VirtualClock(Simulation.START);
        LocalStepFunctions stepFunctions = new LocalStepFunctions(definition,
                "arn:aws:states:us-east-1:123456789012:stateMachine:rollout", clock, tasks);
        ExecutionHandle execution = stepFunctions.start("bench", input);
        clock.runUntil(() -> execution.status() != ExecutionStatus.RUNNING);
        return execution;
    }

    /** What each function's stub answers, by function name as the state machine calls it. */
    Map<String, JsonNode> payloads() {
        return payloads;
    }

    /** The rollout's input document. */
    JsonNode input() {
        return input;
    }

    /** Warms up until a round's CPU per execution stops falling by more than 3%, then measures rounds. */
    Figures measure(int executionsPerRound, int rounds) {
        return measure(executionsPerRound, rounds, false);
    }

    /**
     * @param readingHistory whether each execution's history is also read, as GetExecutionHistory or simulate reads
     *                       it: its JSON texts are written only then
     */
    Figures measure(int executionsPerRound, int rounds, boolean readingHistory) {
        Runnable execution = readingHistory ? () -> runOnce().history() : this::runOnce;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int states = (int) runOnce().history().stream()
                .filter(event -> event.type().name().endsWith("_ENTERED")).count();
        taskCalls = 0;
        runOnce();
        int callsPerExecution = taskCalls;

        double previous = Double.MAX_VALUE;
        for (int warm = 0; warm < 40; warm++) {
            long cpu = os.getProcessCpuTime();
            for (int i = 0; i < executionsPerRound; i++) {
                execution.run();
            }
            double perExecution = (os.getProcessCpuTime() - cpu) / 1e6 / executionsPerRound;
            if (warm >= 3 && perExecution > previous * 0.97) {
                break;
            }
            previous = Math.min(previous, perExecution);
        }
        double[] cpuMillis = new double[rounds];
        double[] allocated = new double[rounds];
        double[] rates = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long cpu = os.getProcessCpuTime();
            long bytes = threads.getThreadAllocatedBytes(thread);
            long wall = System.nanoTime();
            for (int i = 0; i < executionsPerRound; i++) {
                execution.run();
            }
            rates[round] = executionsPerRound / ((System.nanoTime() - wall) / 1e9);
            allocated[round] = (threads.getThreadAllocatedBytes(thread) - bytes) / 1e6 / executionsPerRound;
            cpuMillis[round] = (os.getProcessCpuTime() - cpu) / 1e6 / executionsPerRound;
        }
        return new Figures(states, callsPerExecution, median(cpuMillis), median(allocated), median(rates), rounds,
                executionsPerRound);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
