package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.HistoryEvent;
import dev.rollout.local.asl.HistoryEventType;
import dev.rollout.local.time.VirtualClock;

/**
 * Cold starts as this machine sees them: a fresh JVM per handler, with the function's runtime classpath and the
 * template's {@code JAVA_TOOL_OPTIONS}, from launch to its first response, beside a bare JVM that prints hello.
 * The handlers call moto_server (an empty account: most answer with their error for a missing function, alias or
 * topic, after the same SDK calls), with the events the state machine sent them in the shipped scenarios. Each
 * function runs the class its {@code Handler} in template.yaml names. Three more rows show what the libraries cost
 * alone, with no handler: Jackson reading, binding and writing a rollout document; the functions' HTTP client built,
 * which builds its TLS context; and the AWS SDK building one client as the functions configure it (that HTTP client
 * included) and making one call.
 */
final class ColdStarts {
    /**
     * @param cpuSeconds the JVM's process CPU (every thread) read just after it answered, median: steadier than wall
     *     time on a busy machine
     * @param split medians of launch to main, main to the handler built, and built to answered, in seconds
     */
    record Figure(String name, double medianSeconds, double cpuSeconds, long classes, String answer, double[] split) {
    }

    private final Path root;
    private final String classpath;
    private final Path events;
    private final JsonNode template;

    ColdStarts(Path root, String functionClasspath) throws IOException {
        this.root = root;
        this.classpath = functionClasspath + ":" + root.resolve("local/target/classes");
        this.events = Files.createTempDirectory("cold-start-events");
        this.template = CloudFormationYaml.read(root.resolve("template.yaml"));
    }

    /** What template.yaml gives every function, as Lambda passes it to the JVM. */
    String javaToolOptions() {
        String options = template.at("/Globals/Function/Environment/Variables/JAVA_TOOL_OPTIONS").asText();
        if (options.isEmpty()) {
            throw new IllegalStateException("template.yaml sets no Globals.Function JAVA_TOOL_OPTIONS");
        }
        return options;
    }

    /** The class a function's {@code Handler} names, e.g. PrepareAndClaim for PrepareFunction. */
    private String handlerClass(String logicalId) {
        String handler = template.at("/Resources/" + logicalId + "/Properties/Handler").asText();
        if (handler.isEmpty()) {
            throw new IllegalStateException("template.yaml: " + logicalId + " has no Handler");
        }
        return handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
    }

    /** Each handler's event, taken from what the state machine sent it in a simulated rollout. */
    Map<String, Path> events() throws IOException {
        Map<String, JsonNode> payloads = new LinkedHashMap<>();
        for (String scenario : List.of("linear-healthy", "alarm-mid-rollout", "approval-approved")) {
            Scenario read = Scenario.read(Json.MAPPER.readTree(root.resolve("events/scenarios/" + scenario + ".json").toFile()));
            Simulation.Result result = new Simulation(root, read, new VirtualClock(Simulation.START), null, line -> { }).run();
            for (HistoryEvent event : result.execution().history()) {
                if (event.type() == HistoryEventType.TASK_SCHEDULED) {
                    JsonNode parameters = Json.MAPPER.readTree(event.details(EventDetails.TaskScheduled.class).parameters());
                    String function = parameters.path("FunctionName").asText();
                    String logicalId = function.substring(function.lastIndexOf(":rollout-") + ":rollout-".length());
                    payloads.putIfAbsent(handlerClass(logicalId), parameters.path("Payload"));
                }
            }
        }
        payloads.put(handlerClass("StartRolloutFunction"),
                Json.MAPPER.readTree(root.resolve("events/automatic/publish-version.cloudtrail.json").toFile()));
        ObjectNode page = Json.object().put("httpMethod", "GET").put("path", "/approvals/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        page.putObject("pathParameters").put("reference", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        payloads.put(handlerClass("ApprovalPageFunction"), page);
        Map<String, Path> files = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> payload : payloads.entrySet()) {
            Path file = events.resolve(payload.getKey() + ".json");
            Files.writeString(file, payload.getValue().toString());
            files.put(payload.getKey(), file);
        }
        return files;
    }

    /**
     * Median of {@code runs} fresh JVMs for the bare hello, for the libraries alone (Jackson on Notify's rollout
     * document, the HTTP client, the SDK's one client and call), and for each handler.
     */
    List<Figure> measure(Map<String, Path> events, int runs) throws IOException, InterruptedException {
        int port = freePort();
        Process moto = new ProcessBuilder(System.getenv().getOrDefault("MOTO_SERVER", "moto_server"), "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitPort(port);
            List<Figure> figures = new ArrayList<>();
            figures.add(median("bare JVM: hello", List.of("hello"), port, runs));
            Path document = events.get(handlerClass("NotifyFunction"));
            figures.add(median("Jackson alone: a rollout document read, bound, written",
                    List.of(ColdStartProbe.JACKSON, document.toString()), port, runs));
            figures.add(median("HTTP client alone: its TLS context built", List.of(ColdStartProbe.HTTP), port, runs));
            figures.add(median("AWS SDK alone: one client built, one call",
                    List.of(ColdStartProbe.SDK), port, runs));
            for (Map.Entry<String, Path> event : events.entrySet()) {
                figures.add(median(event.getKey().substring(event.getKey().lastIndexOf('.') + 1),
                        List.of(event.getKey(), event.getValue().toString()), port, runs));
            }
            return figures;
        } finally {
            moto.destroy();
            moto.waitFor();
        }
    }

    private Figure median(String name, List<String> args, int port, int runs) throws IOException, InterruptedException {
        double[] seconds = new double[runs];
        double[] cpu = new double[runs];
        double[][] split = new double[3][runs];
        long classes = 0;
        String answer = "";
        for (int i = 0; i < runs; i++) {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, ColdStartProbe.class.getName()));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
            Map<String, String> environment = builder.environment();
            environment.put("JAVA_TOOL_OPTIONS", javaToolOptions());
            environment.put("AWS_REGION", "us-east-1");
            environment.put("AWS_ACCESS_KEY_ID", "testing");
            environment.put("AWS_SECRET_ACCESS_KEY", "testing");
            environment.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + port);
            environment.put("TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:rollouts");
            environment.put("APPROVAL_TABLE", "approvals");
            environment.put("WATCH_TABLE", "watches");
            environment.put("LEASE_TABLE", "leases");
            environment.put("CONTROL_TABLE", "controls");
            environment.put("NOTICE_TABLE", "notices");
            environment.put("APPROVAL_URL", "https://approvals.example.com/v1");
            environment.put("STATE_MACHINE_ARN", "arn:aws:states:us-east-1:123456789012:stateMachine:rollout");
            environment.put("MANAGED_FUNCTIONS", "orders");
            environment.remove("AWS_CONTAINER_CREDENTIALS_FULL_URI");
            long start = System.nanoTime();
            Process process = builder.start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith(ColdStartProbe.ANSWERED)) {
                        seconds[i] = (System.nanoTime() - start) / 1e9;
                        answer = line.substring(ColdStartProbe.ANSWERED.length()).trim();
                    } else if (line.startsWith(ColdStartProbe.CLASSES)) {
                        classes = Long.parseLong(line.substring(ColdStartProbe.CLASSES.length()).trim());
                    } else if (line.startsWith(ColdStartProbe.CPU)) {
                        cpu[i] = Long.parseLong(line.substring(ColdStartProbe.CPU.length()).trim()) / 1e9;
                    } else if (line.startsWith(ColdStartProbe.SPLIT)) {
                        String[] nanos = line.substring(ColdStartProbe.SPLIT.length()).trim().split(" ");
                        double built = Long.parseLong(nanos[0]) / 1e9;
                        double answered = Long.parseLong(nanos[1]) / 1e9;
                        split[1][i] = built;
                        split[2][i] = answered - built;
                    }
                }
            }
            if (process.waitFor() != 0 || seconds[i] == 0) {
                throw new IllegalStateException(name + ": the probe JVM did not answer (exit " + process.exitValue() + ")");
            }
            // Launch to main: what the probe did not see of the wall time it took to answer.
            split[0][i] = seconds[i] - split[1][i] - split[2][i];
        }
        return new Figure(name, ExecutorBenchmark.median(seconds), ExecutorBenchmark.median(cpu), classes, answer,
                new double[] {ExecutorBenchmark.median(split[0]), ExecutorBenchmark.median(split[1]),
                        ExecutorBenchmark.median(split[2])});
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitPort(int port) throws InterruptedException {
        for (int attempt = 0; attempt < 200; attempt++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("moto_server did not listen on port " + port + " within 20 s");
    }
}
