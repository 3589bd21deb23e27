package dev.rollout.local.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import software.amazon.awssdk.services.route53.model.HealthCheckConfig;
import software.amazon.awssdk.services.route53.model.HealthCheckObservation;
import software.amazon.awssdk.services.route53.model.HealthCheckRegion;
import software.amazon.awssdk.services.route53.model.StatusReport;

/**
 * Route 53's health checkers, as they see the simulated endpoints: every checker sends a request to the endpoint every
 * {@code RequestInterval} seconds, each at its own offset; a checker changes its verdict after
 * {@code FailureThreshold} consecutive results that disagree with it; and a health check is healthy when more than 18%
 * of its checkers say so (Route 53 Developer Guide, "How Amazon Route 53 determines whether a health check is
 * healthy").
 *
 * <p>Verdicts are computed from the endpoints' health over time, so they can be asked for any instant: what
 * GetHealthCheckStatus reports, what the DNS answers at a resolver's query, and the {@code HealthCheckStatus} metric all
 * agree. An endpoint's health before its first recorded change is its first recorded value (it has been so for long);
 * an endpoint nobody declared does not resolve, and every check of it fails.
 */
final class SimulatedHealthChecks {

    /** Route 53's default checker Regions, each with an address from its published health-checker range. */
    static final Map<HealthCheckRegion, String> CHECKERS = checkers();
    /** A health check is healthy when more than this share of its checkers report it healthy. */
    static final double HEALTHY_SHARE = 0.18;
    /** How far back a checker's verdict is traced; longer alternations than this count as the endpoint's first state. */
    private static final int MAX_CHECKS_TRACED = 2_000;

    private final Map<String, NavigableMap<Instant, Boolean>> endpoints = new TreeMap<>();

    private static Map<HealthCheckRegion, String> checkers() {
        Map<HealthCheckRegion, String> checkers = new TreeMap<>();
        checkers.put(HealthCheckRegion.US_EAST_1, "54.243.31.198");
        checkers.put(HealthCheckRegion.US_WEST_1, "54.183.255.142");
        checkers.put(HealthCheckRegion.US_WEST_2, "54.244.52.200");
        checkers.put(HealthCheckRegion.EU_WEST_1, "54.228.16.12");
        checkers.put(HealthCheckRegion.AP_SOUTHEAST_1, "54.251.31.140");
        checkers.put(HealthCheckRegion.AP_SOUTHEAST_2, "54.252.79.134");
        checkers.put(HealthCheckRegion.AP_NORTHEAST_1, "54.248.220.9");
        checkers.put(HealthCheckRegion.SA_EAST_1, "54.232.40.76");
        // In a fixed order: Map.copyOf's order changes from one JVM to the next, and with it which checker a report
        // names first.
        return Collections.unmodifiableMap(checkers);
    }

    /** From {@code at} on, requests to {@code endpoint} (a host name, any case) succeed or fail. */
    void setHealthy(String endpoint, Instant at, boolean healthy) {
        endpoints.computeIfAbsent(host(endpoint), name -> new TreeMap<>()).put(at, healthy);
    }

    /** Whether any endpoint's health changed after {@code since}. */
    boolean changedAfter(Instant since) {
        return endpoints.values().stream().anyMatch(timeline -> timeline.lastKey().isAfter(since));
    }

    /** Whether a request to {@code endpoint} at {@code at} succeeds. */
    boolean endpointHealthy(String endpoint, Instant at) {
        NavigableMap<Instant, Boolean> timeline = endpoints.get(host(endpoint));
        if (timeline == null) {
            return false;
        }
        Map.Entry<Instant, Boolean> entry = timeline.floorEntry(at);
        return entry == null ? timeline.firstEntry().getValue() : entry.getValue();
    }

    /** The health check's status at {@code at}, as Route 53 uses it for DNS answers and its metric. */
    boolean healthy(HealthCheckConfig config, Instant at) {
        if (Boolean.TRUE.equals(config.disabled())) {
            // "Route 53 considers the status of a disabled health check to be healthy."
            return true;
        }
        List<HealthCheckRegion> regions = new ArrayList<>(CHECKERS.keySet());
        int healthy = 0;
        for (int i = 0; i < regions.size(); i++) {
            if (checkerVerdict(config, i, regions.size(), at)) {
                healthy++;
            }
        }
        boolean status = healthy > HEALTHY_SHARE * regions.size();
        return Boolean.TRUE.equals(config.inverted()) != status;
    }

    /** One observation per checker: its last check's result and when it was made. */
    List<HealthCheckObservation> observations(HealthCheckConfig config, Instant at) {
        List<HealthCheckObservation> observations = new ArrayList<>();
        List<HealthCheckRegion> regions = new ArrayList<>(CHECKERS.keySet());
        for (int i = 0; i < regions.size(); i++) {
            Instant checked = lastCheck(config, i, regions.size(), at);
            boolean success = endpointHealthy(config.fullyQualifiedDomainName(), checked);
            String status = success ? "Success: HTTP Status Code 200, OK"
                    : endpoints.containsKey(host(config.fullyQualifiedDomainName()))
                    ? "Failure: HTTP Status Code 503, Service Unavailable"
                    : "Failure: DNS resolution failed: " + config.fullyQualifiedDomainName();
            observations.add(HealthCheckObservation.builder()
                    .region(regions.get(i))
                    .ipAddress(CHECKERS.get(regions.get(i)))
                    .statusReport(StatusReport.builder().status(status).checkedTime(checked).build())
                    .build());
        }
        return observations;
    }

    /** A checker's verdict: the result of the latest run of {@code FailureThreshold} equal results. */
    private boolean checkerVerdict(HealthCheckConfig config, int checker, int checkers, Instant at) {
        int threshold = config.failureThreshold() == null ? 3 : config.failureThreshold();
        long interval = interval(config);
        Instant check = lastCheck(config, checker, checkers, at);
        Boolean runOf = null;
        int run = 0;
        for (int traced = 0; traced < MAX_CHECKS_TRACED; traced++) {
            boolean result = endpointHealthy(config.fullyQualifiedDomainName(), check);
            if (runOf != null && result == runOf) {
                run++;
            } else {
                runOf = result;
                run = 1;
            }
            if (run >= threshold) {
                return runOf;
            }
            check = check.minusSeconds(interval);
        }
        NavigableMap<Instant, Boolean> timeline = endpoints.get(host(config.fullyQualifiedDomainName()));
        return timeline != null && timeline.firstEntry().getValue();
    }

    /** Checkers spread their requests evenly over the interval. */
    private static Instant lastCheck(HealthCheckConfig config, int checker, int checkers, Instant at) {
        long interval = interval(config);
        long offset = checker * interval / checkers;
        long index = Math.floorDiv(at.getEpochSecond() - offset, interval);
        return Instant.ofEpochSecond(index * interval + offset);
    }

    private static long interval(HealthCheckConfig config) {
        return config.requestInterval() == null ? 30 : config.requestInterval();
    }

    private static String host(String endpoint) {
        String host = endpoint == null ? "" : endpoint.toLowerCase(java.util.Locale.ROOT);
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
