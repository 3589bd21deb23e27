package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import dev.rollout.handlers.Json;
import dev.rollout.local.aws.RequestRates;
import dev.rollout.local.aws.ServiceQuotas;

/**
 * The fleet part of {@code bin/benchmark}: what N rollouts started within one minute cost in one account, for
 * N = 1, 10, 100, 1000: calls per rollout per service (which must stay flat), the busiest API against its quota,
 * throttles, task invocations, state transitions, the delay over a lone rollout, and wall time.
 */
final class FleetBenchmark {
    static final List<Integer> SIZES = List.of(1, 10, 100, 1000);
    static final List<String> SCENARIOS = List.of("canary-healthy.json", "alarm-mid-rollout.json",
            "linear-healthy.json");

    private FleetBenchmark() {
    }

    static void print(Path root) throws IOException {
        System.out.println();
        System.out.println("Fleets: N rollouts started within one minute in one account, AWS's default quotas,"
                + " account concurrency " + ServiceQuotas.ACCOUNT_CONCURRENCY);
        for (String name : SCENARIOS) {
            JsonNode document = Json.MAPPER.readTree(root.resolve("events/scenarios").resolve(name).toFile());
            Fleet.Result lone = null;
            System.out.println("  " + name);
            System.out.printf("  %5s  %-24s  %-40s  %6s  %6s  %-34s  %9s  %10s  %8s%n", "N", "outcomes",
                    "calls served per rollout", "tasks", "trans.", "busiest API: peak/s asked (quota)", "throttled",
                    "max delay", "wall");
            for (int size : SIZES) {
                Fleet.Result result = new Fleet(root, document, size, size == 1 ? Duration.ZERO : Duration.ofMinutes(1),
                        ServiceQuotas.ACCOUNT_CONCURRENCY).run();
                if (lone == null) {
                    lone = result;
                }
                System.out.printf("  %5d  %-24s  %-40s  %6.1f  %6.1f  %-34s  %9d  %10s  %6.1f s%n", size,
                        FleetReport.outcomes(result.outcomes()), calls(result),
                        (double) result.taskInvocations() / size, (double) result.stateTransitions() / size,
                        busiest(result), FleetReport.totalThrottles(result),
                        FleetReport.human(FleetReport.longest(result).minus(FleetReport.longest(lone))),
                        result.wall().toMillis() / 1000.0);
                if (!result.reactions().isEmpty()) {
                    System.out.println("         alarm to alias restored: median "
                            + FleetReport.human(FleetReport.percentile(result.reactions(), 0.5)) + ", 9 in 10 within "
                            + FleetReport.human(FleetReport.percentile(result.reactions(), 0.9)) + ", longest "
                            + FleetReport.human(FleetReport.longest(result.reactions())));
                }
                if (!result.endedBy().isEmpty()) {
                    System.out.println("         ended: " + String.join(", ", result.endedBy().entrySet().stream()
                            .map(ended -> ended.getKey() + " " + ended.getValue()).toList()));
                }
            }
        }
    }

    private static String calls(Fleet.Result result) {
        Map<String, Long> byService = new TreeMap<>();
        for (RequestRates.ApiUsage api : result.usage()) {
            byService.merge(api.service(), api.calls() - api.throttles(), Long::sum);
        }
        StringBuilder text = new StringBuilder();
        byService.forEach((service, calls) -> text.append(text.isEmpty() ? "" : " ")
                .append(service).append(' ').append(String.format("%.1f", (double) calls / result.size())));
        return text.toString();
    }

    /** The API whose peak demand comes closest to (or furthest past) its quota's refill rate. */
    private static String busiest(Fleet.Result result) {
        RequestRates.ApiUsage busiest = null;
        double highest = -1;
        for (RequestRates.ApiUsage api : result.usage()) {
            if (api.quota().isPresent()) {
                double load = api.peakAttempted() / api.quota().get().refillPerSecond();
                if (load > highest) {
                    highest = load;
                    busiest = api;
                }
            }
        }
        return busiest == null ? "-" : busiest.operation() + " " + busiest.peakAttempted() + " ("
                + Math.round(busiest.quota().get().refillPerSecond()) + ")";
    }
}
