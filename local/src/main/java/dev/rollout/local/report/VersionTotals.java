package dev.rollout.local.report;

import dev.rollout.local.report.RolloutReport.MetricSample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One version's traffic over several minutes: requests and errors summed, p99 latency as the nearest rank over the
 * minutes' p99s, each counted once per request it summarises (exact when each minute's latency is one value, as in a
 * simulation; an estimate otherwise).
 */
public record VersionTotals(String version, double requests, double errors, OptionalDouble p99Millis) {

    /** Per version, in the order the versions first appear. */
    public static List<VersionTotals> of(List<MetricSample> samples) {
        Map<String, List<MetricSample>> byVersion = new LinkedHashMap<>();
        samples.forEach(sample -> byVersion.computeIfAbsent(sample.version(), v -> new ArrayList<>()).add(sample));
        List<VersionTotals> totals = new ArrayList<>();
        byVersion.forEach((version, minutes) -> totals.add(new VersionTotals(version,
                minutes.stream().mapToDouble(MetricSample::requests).sum(),
                minutes.stream().mapToDouble(MetricSample::errors).sum(), p99(minutes))));
        return totals;
    }

    private static OptionalDouble p99(List<MetricSample> minutes) {
        List<MetricSample> measured = minutes.stream().filter(m -> m.p99Millis().isPresent())
                .sorted(Comparator.comparingDouble(m -> m.p99Millis().getAsDouble())).toList();
        double total = measured.stream().mapToDouble(MetricSample::requests).sum();
        double seen = 0;
        for (MetricSample minute : measured) {
            seen += minute.requests();
            if (seen >= 0.99 * total) {
                return minute.p99Millis();
            }
        }
        return OptionalDouble.empty();
    }

    public double errorPercent() {
        return requests == 0 ? 0 : errors / requests * 100;
    }

    /** For a terminal line, e.g. {@code v2 240 req 25.0% err p99 100 ms}. */
    public String describe() {
        return String.format(Locale.ROOT, "v%s %.0f req %.1f%% err%s", version, requests, errorPercent(),
                p99Millis.isPresent() ? " p99 " + ReportPage.number(p99Millis.getAsDouble()) + " ms" : "");
    }

    /** Every version's totals on one line, or {@code no traffic}. */
    public static String describe(List<VersionTotals> totals) {
        return totals.isEmpty() ? "no traffic"
                : String.join(", ", totals.stream().map(VersionTotals::describe).toList());
    }
}
