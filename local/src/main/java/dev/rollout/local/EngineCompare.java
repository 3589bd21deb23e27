package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.ExecutionHandle;
import dev.rollout.local.asl.HistoryEvent;
import dev.rollout.local.asl.TaskFailedException;

/**
 * The executor's side of {@code bench/engine-compare}: the stubbed rollout of {@link ExecutorBenchmark} on its
 * healthy path and on failing ones, each task answered with the payload its real handler returned, except the calls a
 * case makes fail. Writes one JSON file holding the input, the stub payloads (by function) and, per case, the failures
 * and the states the executor entered with how the execution ended; {@code differential.mjs} runs the same cases in
 * aws-local-stepfunctions and compares.
 *
 * <p>Argument: the file to write.
 */
public final class EngineCompare {
    /** A task call made to fail: the {@code call}-th invocation (1-based, retries counted) of {@code function}. */
    record Failure(String function, int call, String error, String cause) {
    }

    /** scenario: the rollout whose input and payloads the case uses; null for the executor benchmark's. */
    record Case(String name, String scenario, List<Failure> failures) {
        Case(String name, List<Failure> failures) {
            this(name, null, failures);
        }
    }

    static final List<Case> CASES = List.of(
            new Case("healthy", List.of()),
            new Case("a throttled window check, retried", List.of(
                    new Failure("ShiftTraffic", 2, "Rollout.Throttled", "Rate exceeded"))),
            new Case("an alarm in the third window check", List.of(
                    new Failure("ShiftTraffic", 3, "Rollout.AlarmTriggered", "alarm orders-errors is in ALARM"))),
            new Case("an alarm during the second bake", List.of(
                    new Failure("Bake", 2, "Rollout.AlarmTriggered", "alarm orders-errors is in ALARM"))),
            new Case("refused at Prepare", List.of(
                    new Failure("Prepare", 1, "Rollout.InvalidInput", "strategy: expected a known strategy"))),
            new Case("a rollback that meets someone else's change", List.of(
                    new Failure("ShiftTraffic", 2, "Rollout.AlarmTriggered", "alarm orders-errors is in ALARM"),
                    new Failure("Rollback", 1, "Rollout.Conflict", "alias orders:live was changed by someone else"))),
            new Case("a Route 53 shift that settles", "events/scenarios/route53-region-shift-healthy.json", List.of()));

    private static final String FUNCTION_PREFIX = ":rollout-";
    /** A real rollback, for the payloads of the functions a healthy rollout never calls. */
    private static final String ROLLBACK = "events/scenarios/alarm-mid-rollout.json";

    private EngineCompare() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(System.getProperty("rollout.root", "."));
        write(root, ExecutorBenchmark.load(root), Path.of(args[0]));
    }

    /** Runs every case on the executor and writes the file {@code differential.mjs} and {@code bench.mjs} read. */
    static void write(Path root, ExecutorBenchmark executor, Path file) throws IOException {
        // What the healthy rollout never calls (Rollback, ReleaseAlias) answers as it did in a real rollback.
        Map<String, JsonNode> stubs = new HashMap<>(executor.payloads());
        ExecutorBenchmark.payloadsOf(root, Scenario.read(Json.MAPPER.readTree(root.resolve(ROLLBACK).toFile())))
                .forEach(stubs::putIfAbsent);
        ObjectNode out = Json.object();
        out.set("input", executor.input());
        ObjectNode payloads = out.putObject("payloads");
        stubs.forEach((function, payload) -> payloads.set(shortName(function), payload));
        ArrayNode cases = out.putArray("cases");
        for (Case one : CASES) {
            ObjectNode written = cases.addObject().put("name", one.name());
            written.set("failures", Json.MAPPER.valueToTree(one.failures()));
            if (one.scenario() == null) {
                written.set("executor", run(executor, executor.input(), stubs, one));
                continue;
            }
            // A case of its own rollout: its input and the payloads its real handlers returned, written with it.
            Scenario scenario = Scenario.read(Json.MAPPER.readTree(root.resolve(one.scenario()).toFile()));
            Map<String, JsonNode> own = ExecutorBenchmark.payloadsOf(root, scenario);
            written.set("input", scenario.rollout());
            ObjectNode ownPayloads = written.putObject("payloads");
            own.forEach((function, payload) -> ownPayloads.set(shortName(function), payload));
            written.set("executor", run(executor, scenario.rollout(), own, one));
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    /** The states the executor entered in one case, in order, and how the execution ended. */
    static ObjectNode run(ExecutorBenchmark executor, JsonNode input, Map<String, JsonNode> stubs, Case one) {
        Map<String, Integer> calls = new HashMap<>();
        ExecutionHandle execution = executor.run(input, (function, payload) -> {
            String name = shortName(function);
            int call = calls.merge(name, 1, Integer::sum);
            for (Failure failure : one.failures()) {
                if (failure.function().equals(name) && failure.call() == call) {
                    throw new TaskFailedException(failure.error(), failure.cause());
                }
            }
            JsonNode answer = stubs.get(function);
            if (answer == null) {
                throw new IllegalStateException("no recorded payload for " + function + ": add a scenario that calls it");
            }
            return answer.deepCopy();
        });
        ObjectNode result = Json.object();
        ArrayNode states = result.putArray("states");
        for (HistoryEvent event : execution.history()) {
            if (event.type().name().endsWith("_STATE_ENTERED")) {
                states.add(event.details(EventDetails.StateEntered.class).name());
            }
        }
        result.put("status", execution.status().name());
        result.put("error", execution.error().orElse(""));
        return result;
    }

    /**
     * Runs {@code bench/engine-compare/bench.mjs} on {@code cases} (written by {@link #write}) and returns its figures
     * line, or why it could not run (no node or npm, the npm registry out of reach).
     */
    static String independentEngineFigures(Path root, Path cases, int rounds) throws IOException, InterruptedException {
        return node(root, "bench.mjs", List.of(cases.toString(), "300", "200", String.valueOf(rounds)));
    }

    /** Runs {@code bench/engine-compare/differential.mjs} on {@code cases}; its last line, or why it could not run. */
    static String differential(Path root, Path cases) throws IOException, InterruptedException {
        return node(root, "differential.mjs", List.of(cases.toString()));
    }

    private static String node(Path root, String script, List<String> args) throws IOException, InterruptedException {
        Path folder = root.resolve("bench/engine-compare");
        Process install = new ProcessBuilder("bash", folder.resolve("install.sh").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String oracle = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (install.waitFor() != 0) {
            return "not run: bench/engine-compare/install.sh failed (node 20 and npm needed, and the npm registry)";
        }
        List<String> command = new ArrayList<>(List.of("node", folder.resolve(script).toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        builder.environment().put("ORACLE", oracle);
        Process node = builder.start();
        List<String> lines = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        int exit = node.waitFor();
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        return exit == 0 ? last : "exit " + exit + ": " + String.join(" | ", lines);
    }

    /**
     * {@code arn:...:function:rollout-ShiftTrafficFunction} -> {@code ShiftTraffic}: the definition's placeholder
     * ({@code ${ShiftTrafficFunctionArn}}) without its suffix.
     */
    private static String shortName(String function) {
        return function.substring(function.lastIndexOf(FUNCTION_PREFIX) + FUNCTION_PREFIX.length())
                .replaceFirst("Function$", "");
    }
}
