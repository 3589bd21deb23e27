package dev.rollout.local;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/faults}: runs every row of the {@link FaultMatrix} and prints it as a table, one line per row as it
 * finishes, what broke under each failing row, and a count. Exits 1 when any row fails.
 */
public final class FaultMatrixTable {
    private static final String[] HEADERS = {"#", "Journey", "Where", "Call", "Fault", "Outcome", "Target after", "Told",
            "Result"};
    private static final int[] WIDTHS = {4, 16, 32, 33, 22, 15, 29, 30, 6};

    private FaultMatrixTable() {
    }

    public static void main(String[] args) throws Exception {
        Path root = args.length > 0 ? Path.of(args[0]) : Path.of("");
        PrintStream out = System.out;
        long start = System.nanoTime();
        FaultMatrix matrix = FaultMatrix.derive(root.toAbsolutePath());
        out.println("Fault matrix: " + matrix.rows().size() + " rows derived from " + matrix.journeys().size()
                + " journeys run without faults:");
        for (FaultMatrix.Journey journey : matrix.journeys()) {
            out.println("  " + journey.name() + ": " + journey.scenario().path("description").asText() + " ("
                    + journey.outcome() + ")");
        }
        matrix.uncalled().forEach((service, operations) -> {
            if (!operations.isEmpty()) {
                out.println("  " + service + " operations no function calls (no rows): " + String.join(", ", operations));
            }
        });
        out.println();
        out.println(line(HEADERS));
        out.println(rule());
        List<FaultMatrix.Result> failed = new ArrayList<>();
        int number = 0;
        for (FaultMatrix.Row row : matrix.rows()) {
            FaultMatrix.Result result = matrix.run(row);
            number++;
            out.println(line(cells(number, result)));
            if (!result.passed()) {
                failed.add(result);
                result.broken().forEach(problem -> out.println("     -> " + problem));
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        out.println();
        out.println(matrix.rows().size() + " rows, " + (matrix.rows().size() - failed.size()) + " pass, "
                + failed.size() + " fail, in " + took.toMillis() / 1000.0 + " s");
        System.exit(failed.isEmpty() ? 0 : 1);
    }

    static String[] cells(int number, FaultMatrix.Result result) {
        FaultMatrix.Row row = result.row();
        return new String[] {String.valueOf(number), row.journey().name(), row.where(), row.call(),
                row.fault().words(), result.outcome().name(), result.alias(), result.told(),
                result.passed() ? "pass" : "FAIL"};
    }

    static String line(String[] cells) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i];
            if (i < cells.length - 1 && cell.length() > WIDTHS[i]) {
                cell = cell.substring(0, WIDTHS[i] - 1) + "…";
            }
            text.append(i == cells.length - 1 ? cell : String.format("%-" + WIDTHS[i] + "s ", cell));
        }
        return text.toString().stripTrailing();
    }

    private static String rule() {
        StringBuilder text = new StringBuilder();
        for (int width : WIDTHS) {
            text.append("-".repeat(width)).append(' ');
        }
        return text.toString().stripTrailing();
    }
}
