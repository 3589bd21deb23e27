package dev.rollout.local;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import dev.rollout.domain.Durations;
import dev.rollout.local.aws.AccountConcurrency;
import dev.rollout.local.aws.RequestRates;
import dev.rollout.local.aws.ServiceQuotas;

/** Prints a {@link Fleet.Result}: outcomes, then the cost per rollout and the load against each quota. */
final class FleetReport {
    private FleetReport() {
    }

    /**
     * @param lone the same scenario run alone, the measure of a rollout's normal length
     */
    static void print(Fleet.Result fleet, Fleet.Result lone, PrintStream out) {
        out.println();
        out.println("Outcomes:      " + outcomes(fleet.outcomes()));
        if (!fleet.endedBy().isEmpty()) {
            StringBuilder text = new StringBuilder();
            fleet.endedBy().forEach((why, count) -> text.append(text.isEmpty() ? "" : ", ").append(why).append(' ')
                    .append(count));
            out.println("Ended:         " + text);
        }
        out.println("Split aliases: " + fleet.splitAliases());
        out.println("Length:        alone " + human(longest(lone)) + "; in the fleet median "
                + human(percentile(fleet.durations(), 0.5)) + ", longest " + human(longest(fleet))
                + " (delay over alone: at most " + human(longest(fleet).minus(longest(lone))) + ")");
        if (!fleet.reactions().isEmpty()) {
            out.println("Reaction:      alarm to alias restored alone " + human(longest(lone.reactions()))
                    + "; in the fleet median " + human(percentile(fleet.reactions(), 0.5)) + ", 9 in 10 within "
                    + human(percentile(fleet.reactions(), 0.9)) + ", longest " + human(longest(fleet.reactions())));
        }
        out.printf("Per rollout:   %s | %.1f task invocations | %.1f state transitions%n",
                perService(fleet), (double) fleet.taskInvocations() / fleet.size(),
                (double) fleet.stateTransitions() / fleet.size());
        out.printf("Throttled:     %s, %.1f per rollout%n", throttled(fleet),
                (double) totalThrottles(fleet) / fleet.size());
        out.println();
        out.println("API                                served/rollout  throttled/rollout  peak/s asked  peak/s served"
                + "  quota (bucket, refill/s)");
        for (RequestRates.ApiUsage api : fleet.usage()) {
            out.printf("%-36s %12.2f %18.2f %13d %14d  %s%n", api.service() + " " + api.operation(),
                    (double) (api.calls() - api.throttles()) / fleet.size(), (double) api.throttles() / fleet.size(),
                    api.peakAttempted(), api.peakServed(),
                    api.quota().map(FleetReport::quota).orElse("none documented"));
        }
        out.printf("%-36s %12.2f %18s %13d %14s  %s%n", "states StateTransition",
                (double) fleet.stateTransitions() / fleet.size(), "-", fleet.peakTransitionsPerSecond(), "-",
                quota(ServiceQuotas.STATE_TRANSITIONS));
        out.printf("Task functions: at most %d running at once (%d ms each), account concurrency %d%n",
                fleet.peakTasksRunning(), AccountConcurrency.TASK_DURATION.toMillis(), fleet.concurrencyLimit());
        if (fleet.servingConcurrency() + fleet.peakTasksRunning() > fleet.concurrencyLimit()) {
            out.printf("Warning:       the fleet's functions need %.0f concurrent executions for their own traffic; with the"
                    + " rollouts' %d that is more than the account's %d: raise the quota (--concurrency to try)%n",
                    fleet.servingConcurrency(), fleet.peakTasksRunning(), fleet.concurrencyLimit());
        }
        out.println("Wall time:     " + fleet.wall().toMillis() + " ms");
    }

    static String outcomes(Map<Outcome, Integer> outcomes) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(outcomes).forEach((outcome, count) ->
                text.append(text.isEmpty() ? "" : ", ").append(outcome).append(' ').append(count));
        return text.toString();
    }

    /** Calls served per rollout per service, e.g. {@code lambda 6.0, cloudwatch 4.0}: throttled attempts apart. */
    static String perService(Fleet.Result fleet) {
        Map<String, Long> calls = new TreeMap<>();
        for (RequestRates.ApiUsage api : fleet.usage()) {
            calls.merge(api.service(), api.calls() - api.throttles(), Long::sum);
        }
        StringBuilder text = new StringBuilder();
        calls.forEach((service, count) -> text.append(text.isEmpty() ? "" : ", ")
                .append(service).append(' ').append(String.format("%.1f", (double) count / fleet.size())));
        return text.append(" calls served").toString();
    }

    static long totalThrottles(Fleet.Result fleet) {
        return fleet.taskThrottles() + fleet.usage().stream().mapToLong(RequestRates.ApiUsage::throttles).sum();
    }

    static String throttled(Fleet.Result fleet) {
        StringBuilder text = new StringBuilder();
        long total = fleet.taskThrottles();
        for (RequestRates.ApiUsage api : fleet.usage()) {
            if (api.throttles() > 0) {
                text.append(text.isEmpty() ? "" : ", ").append(api.operation()).append(' ').append(api.throttles());
                total += api.throttles();
            }
        }
        if (fleet.taskThrottles() > 0) {
            text.append(text.isEmpty() ? "" : ", ").append("task invocations ").append(fleet.taskThrottles());
        }
        return total + (text.isEmpty() ? "" : " (" + text + ")");
    }

    static Duration longest(Fleet.Result result) {
        return longest(result.durations());
    }

    static Duration longest(List<Duration> sorted) {
        return sorted.isEmpty() ? Duration.ZERO : sorted.get(sorted.size() - 1);
    }

    static Duration percentile(List<Duration> sorted, double share) {
        return sorted.isEmpty() ? Duration.ZERO : sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * share));
    }

    private static String quota(ServiceQuotas.Quota quota) {
        return String.format("%.0f, %.0f", quota.bucketSize(), quota.refillPerSecond());
    }

    static String human(Duration duration) {
        return duration.isZero() ? "0s" : Durations.format(duration);
    }
}
