package dev.rollout.local;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.io.Console;
import java.io.IOException;
import java.net.BindException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import dev.rollout.handlers.ApprovalPage;
import dev.rollout.handlers.ControlPage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rollout.domain.Durations;
import dev.rollout.handlers.Json;
import dev.rollout.aws.Aliases;
import dev.rollout.local.aws.ServiceQuotas;
import dev.rollout.local.report.ReportPage;
import dev.rollout.local.report.SimulationReport;
import dev.rollout.local.time.VirtualClock;

/**
 * {@code bin/simulate [--speed N] [--out DIR] SCENARIO.json}: runs a rollout scenario on the local
 * runtime and prints each step, then a summary.
 *
 * <p>Exit codes: 0 promoted; 3 not promoted (rolled back, stopped, refused); 2 usage error or an
 * invalid scenario or rollout input; 1 anything unexpected.
 */
public final class Simulate {
    private static final String USAGE = """
            usage: bin/simulate [--speed N] [--out DIR] SCENARIO.json
                   bin/simulate --fleet N [--spread DURATION] [--concurrency N] SCENARIO.json
              --speed N        run N times faster than real time (60: a simulated minute per second);
                               default: as fast as possible
              --out DIR        where history.json and outbox.jsonl go; default target/simulations/<scenario>
              --fleet N        run N copies of the scenario at once in one account, within AWS's default quotas,
                               and print how many rollouts ended each way and what they cost
              --spread D       the fleet's starts are spread evenly over D (e.g. 1m, 30s, 0s); default 1m
              --concurrency N  the account's Lambda concurrency for a fleet; default 1000
            """;

    private Simulate() {
    }

    public static void main(String[] args) {
        System.exit(run(args, Path.of(System.getProperty("rollout.root", ".")), System.out, System.err, onTerminal()));
    }

    /** Runs the command, printing no live progress line; returns its exit code. */
    public static int run(String[] args, Path projectRoot, PrintStream out, PrintStream err) {
        return run(args, projectRoot, out, err, false);
    }

    /**
     * Runs the command; returns its exit code.
     *
     * @param terminal whether {@code out} is a terminal, where a live progress line can be redrawn in place
     */
    public static int run(String[] args, Path projectRoot, PrintStream out, PrintStream err, boolean terminal) {
        double speed = 0;
        Path outDir = null;
        int fleet = 0;
        Duration spread = Duration.ofMinutes(1);
        int concurrency = ServiceQuotas.ACCOUNT_CONCURRENCY;
        boolean fleetShaped = false;
        List<String> files = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--speed" -> speed = Double.parseDouble(value(args, ++i, "--speed"));
                    case "--out" -> outDir = Path.of(value(args, ++i, "--out"));
                    case "--fleet" -> fleet = positive(value(args, ++i, "--fleet"), "--fleet");
                    case "--spread" -> {
                        spread = spreadOf(value(args, ++i, "--spread"));
                        fleetShaped = true;
                    }
                    case "--concurrency" -> {
                        concurrency = positive(value(args, ++i, "--concurrency"), "--concurrency");
                        fleetShaped = true;
                    }
                    case "-h", "--help" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        files.add(args[i]);
                    }
                }
            }
            if (files.size() != 1) {
                throw new IllegalArgumentException("expected one scenario file, got " + files.size());
            }
            if (speed < 0) {
                throw new IllegalArgumentException("--speed must be positive");
            }
            if (fleet == 0 && fleetShaped) {
                throw new IllegalArgumentException("--spread and --concurrency shape a fleet: give --fleet N too");
            }
            if (fleet > 0 && (speed > 0 || outDir != null)) {
                throw new IllegalArgumentException("--fleet runs as fast as it can and writes no files:"
                        + " it takes neither --speed nor --out");
            }
        } catch (IllegalArgumentException usage) {
            err.println("simulate: " + usage.getMessage());
            err.print(USAGE);
            return Outcome.USAGE_ERROR;
        }

        Path file = Path.of(files.get(0));
        if (fleet > 0) {
            return runFleet(file, fleet, spread, concurrency, projectRoot, out, err);
        }
        Scenario scenario;
        try {
            scenario = Scenario.read(Json.MAPPER.readTree(file.toFile()));
        } catch (IOException unreadable) {
            err.println("simulate: cannot read " + file + ": " + unreadable.getMessage());
            return Outcome.USAGE_ERROR;
        } catch (IllegalArgumentException invalid) {
            err.println("simulate: " + file + ": " + invalid.getMessage());
            return Outcome.USAGE_ERROR;
        }
        String stem = file.getFileName().toString().replaceFirst("\\.json$", "");
        Path dir = outDir != null ? outDir : projectRoot.resolve("target/simulations").resolve(stem);
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("outbox.jsonl"));
            VirtualClock clock = speed > 0 ? VirtualClock.scaled(Simulation.START, speed) : new VirtualClock(Simulation.START);
            out.println("Simulating " + file + (scenario.description().isEmpty() ? "" : ": " + scenario.description()));
            // The page is served before the simulation exists, so that approval links can carry the server's address.
            AtomicReference<ApprovalPage> page = new AtomicReference<>();
            AtomicReference<ControlPage> controls = new AtomicReference<>();
            try (ApprovalServer server = approvalServer(page, controls, err)) {
                AtomicReference<Simulation> running = new AtomicReference<>();
                double pace = speed;
                LiveProgress progress = new LiveProgress(out, () -> status(running.get(), scenario, clock, pace),
                        System::nanoTime);
                boolean live = terminal && speed > 0;
                Simulation simulation = new Simulation(projectRoot, scenario, clock, dir.resolve("outbox.jsonl"),
                        server.baseUrl(), live ? progress::println : out::println);
                running.set(simulation);
                page.set(simulation.approvalPage());
                controls.set(simulation.controlPage());
                simulation.expectPeopleToAnswer(speed > 0);
                Simulation.Result result;
                if (live) {
                    try (LiveProgress shown = progress.start()) {
                        result = simulation.run();
                    }
                } else {
                    result = simulation.run();
                }
                if (result.started().isPresent()) {
                    ExecutionHistoryFile.write(result.execution(), dir.resolve("history.json"));
                    SimulationReport.write(SimulationReport.of(result.execution(), simulation.aws().lambda(),
                            simulation.aws().cloudWatch(), clock.instant()), dir.resolve("report.html"));
                }
                summarise(result, dir, out);
                return result.outcome().exitCode();
            }
        } catch (IOException | RuntimeException failure) {
            err.println("simulate: " + failure);
            return 1;
        }
    }

    private static int runFleet(Path file, int size, Duration spread, int concurrency, Path projectRoot,
                                PrintStream out, PrintStream err) {
        Fleet lone;
        Fleet fleet;
        try {
            JsonNode document = Json.MAPPER.readTree(file.toFile());
            lone = new Fleet(projectRoot, document, 1, Duration.ZERO, concurrency);
            fleet = new Fleet(projectRoot, document, size, spread, concurrency);
        } catch (IOException unreadable) {
            err.println("simulate: cannot read " + file + ": " + unreadable.getMessage());
            return Outcome.USAGE_ERROR;
        } catch (IllegalArgumentException invalid) {
            err.println("simulate: " + file + ": " + invalid.getMessage());
            return Outcome.USAGE_ERROR;
        }
        try {
            out.println("Simulating a fleet of " + size + " x " + file + ", starts spread over "
                    + FleetReport.human(spread) + ", in one account with AWS's default quotas");
            Fleet.Result alone = lone.run();
            Fleet.Result result = fleet.run();
            FleetReport.print(result, alone, out);
            boolean allPromoted = result.outcomes().getOrDefault(Outcome.PROMOTED, 0) == size;
            return allPromoted ? 0 : Outcome.ROLLED_BACK.exitCode();
        } catch (IOException | RuntimeException failure) {
            err.println("simulate: " + failure);
            return 1;
        }
    }

    private static int positive(String text, String option) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a whole number of at least 1, got " + text);
    }

    private static Duration spreadOf(String text) {
        return Durations.parse(text).orElseThrow(() ->
                new IllegalArgumentException("--spread must be a duration such as 1m, 30s or 0s, got " + text));
    }

    /**
     * Serves approval and control pages on 127.0.0.1:8642 (links in saved outboxes stay valid), or any free port if
     * taken.
     */
    private static ApprovalServer approvalServer(AtomicReference<ApprovalPage> page,
                                                 AtomicReference<ControlPage> controls, PrintStream err)
            throws IOException {
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler =
                (request, context) -> page.get().handleRequest(request, context);
        Optional<RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> control =
                Optional.of((request, context) -> controls.get().handleRequest(request, context));
        LambdaLogger logger = LocalContext.logger(line -> err.print("approval page: " + line + (line.endsWith("\n") ? "" : "\n")));
        try {
            return ApprovalServer.start(handler, control, 8642, logger);
        } catch (BindException taken) {
            return ApprovalServer.start(handler, control, 0, logger);
        }
    }

    /** For example {@code +00:03:12  version 1 60%, version 2 40%  (60x real time)}. */
    static String status(Simulation simulation, Scenario scenario, VirtualClock clock, double speed) {
        return ReportPage.elapsed(Duration.between(Simulation.START, clock.instant())) + "  "
                + new Aliases(simulation.aws().lambda()).read(scenario.function(), scenario.alias()).describe()
                + "  (" + ReportPage.number(speed) + "x real time)";
    }

    /** Whether standard output is a terminal; before Java 22 a console always is one. */
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException beforeJava22) {
            return true;
        }
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static void summarise(Simulation.Result result, Path dir, PrintStream out) {
        out.println();
        out.println("Outcome:     " + result.outcome() + " (exit " + result.outcome().exitCode() + ")");
        if (result.started().isEmpty()) {
            out.println(String.format("%-13s", result.targetLabel() + ":") + result.finalAlias());
            return;
        }
        result.execution().error().ifPresent(error -> out.println("Error:       " + error));
        // The timeline already printed the reason when a step failed: "Why" only says what it did not.
        result.execution().cause().filter(cause -> !cause.isEmpty())
                .filter(cause -> result.decisions().stream().noneMatch(line -> line.contains(cause)))
                .ifPresent(cause -> out.println("Why:         " + cause));
        out.println(String.format("%-13s", result.targetLabel() + ":") + result.finalAlias());
        out.println("Took:        " + human(result.simulated()) + " simulated, " + result.wall().toMillis() + " ms wall");
        out.println("Transitions: " + result.transitions() + " (Step Functions bills per transition)");
        out.println("History:     " + dir.resolve("history.json"));
        out.println("Outbox:      " + dir.resolve("outbox.jsonl") + " (" + result.messagesPublished()
                + (result.messagesPublished() == 1 ? " message)" : " messages)"));
        out.println("Report:      " + dir.resolve("report.html"));
    }

    private static String human(Duration duration) {
        return duration.toHours() > 0
                ? duration.toHours() + "h" + duration.toMinutesPart() + "m" + duration.toSecondsPart() + "s"
                : duration.toMinutes() + "m" + duration.toSecondsPart() + "s";
    }
}
