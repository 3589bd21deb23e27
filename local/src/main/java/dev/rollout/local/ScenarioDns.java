package dev.rollout.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.rollout.local.aws.AwsAccount;
import dev.rollout.local.aws.InMemoryCloudWatch;
import dev.rollout.local.aws.InMemoryLambda;
import dev.rollout.local.aws.InMemoryRoute53;
import dev.rollout.local.aws.InvocationBatch;
import dev.rollout.local.aws.LambdaTraffic;
import dev.rollout.local.aws.SteadyDnsMinutes;
import dev.rollout.local.aws.VersionBehaviour;
import software.amazon.awssdk.services.route53.model.AliasTarget;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.HealthCheckConfig;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * A scenario's DNS world: the hosted zone with one weighted record set per Region, each with its health check, the
 * Regions' deployments of the scenario's function, and the clients that find them through DNS.
 *
 * <p>Each Region runs the function in its own Lambda, its alias serving the Region's version; its metrics go to that
 * Region's CloudWatch, which is the rollout's own for the account's Region (us-east-1) and a separate one for any
 * other, as in AWS: an alarm can only watch metrics of its own Region (and Route 53's, published in us-east-1).
 *
 * <p>Clients reach the name through {@code resolvers} DNS resolvers, the requests spread evenly over them. A resolver
 * asks Route 53 when its cached answer has expired and keeps the answer for the record's TTL (alias records: 60
 * seconds), so traffic follows a new weight only once the change is in sync on Route 53's name servers and the answers
 * cached before it have expired, as in life; the resolvers' caches expire at staggered times. A Region whose endpoint
 * is down fails every request sent to it (its function is never reached).
 */
final class ScenarioDns {
    /** The alias target's hosted zone for a simulated API Gateway endpoint; AWS has one per Region. */
    static final String SIMULATED_ENDPOINT_ZONE = "ZSIMULATEDAPIGATEWAY";
    /**
     * How long endpoints and record sets must have stayed as they are before minutes may be sent at once: longer than
     * the most a health checker's verdict looks back (10 checks 30 seconds apart) and a change takes to propagate.
     */
    private static final Duration SETTLED = Duration.ofMinutes(15);

    private final Scenario scenario;
    private final Scenario.DnsSpec spec;
    private final LocalAws aws;
    private final Map<String, RegionalApp> apps = new LinkedHashMap<>();
    private final List<Resolver> resolvers = new ArrayList<>();
    private final Map<String, Double> carry = new HashMap<>();
    private final Map<String, long[]> sinceReport = new LinkedHashMap<>();
    /** The minute just sent, while the next one repeats it (see {@link #continueSteadily}); else null. */
    private SteadyMinute lastMinute;

    private ScenarioDns(Scenario scenario, LocalAws aws) {
        this.scenario = scenario;
        this.spec = scenario.dns().orElseThrow();
        this.aws = aws;
    }

    /** Builds the zone, the Regions and the resolvers, and schedules the endpoints' health and others' changes. */
    static ScenarioDns build(Scenario scenario, LocalAws aws, Instant began, ProgressReport progress) {
        ScenarioDns dns = new ScenarioDns(scenario, aws);
        dns.buildWorld(began, progress);
        return dns;
    }

    private void buildWorld(Instant began, ProgressReport progress) {
        InMemoryRoute53 route53 = aws.route53();
        route53.setPropagation(spec.propagation());
        route53.addHostedZone(spec.zoneId(), spec.zoneName());
        List<ResourceRecordSet> records = new ArrayList<>();
        for (Scenario.RegionSpec region : spec.regions()) {
            apps.put(region.region(), new RegionalApp(region));
            sinceReport.put(region.region(), new long[2]);
            route53.setEndpointHealthy(region.endpoint(), true);
            region.healthCheckId().ifPresent(id -> route53.addHealthCheck(id, HealthCheckConfig.builder()
                    .type(HealthCheckType.HTTPS).fullyQualifiedDomainName(region.endpoint()).port(443)
                    .resourcePath(region.healthPath()).requestInterval(30).failureThreshold(3).build()));
            records.add(recordSet(region, region.weight()));
            for (Scenario.HealthChange change : region.health()) {
                aws.clock().schedule(began.plus(change.at()), () -> {
                    route53.setEndpointHealthy(region.endpoint(), change.healthy());
                    progress.note("Region", region.region() + " (" + region.endpoint() + ") "
                            + (change.healthy() ? "answers again" : "is down: every request to it fails"));
                });
            }
        }
        route53.addRecordSets(spec.zoneId(), records);
        for (Scenario.ForeignChange change : spec.foreignChanges()) {
            aws.clock().schedule(began.plus(change.at()), () -> {
                Scenario.RegionSpec region = spec.regions().stream()
                        .filter(candidate -> candidate.region().equals(change.region())).findFirst().orElseThrow();
                route53.changeResourceRecordSets(request -> request.hostedZoneId(spec.zoneId())
                        .changeBatch(batch -> batch.comment("by hand").changes(upsert -> upsert
                                .action(ChangeAction.UPSERT).resourceRecordSet(recordSet(region, change.weight())))));
                progress.note("Change", "someone else sets record set " + change.region() + " to weight "
                        + change.weight() + " (UPSERT)");
            });
        }
        int count = spec.resolvers();
        long ttlMillis = ttlMillis();
        for (int i = 0; i < count; i++) {
            // Each resolver last asked at its own moment before the start: their caches expire one after another.
            resolvers.add(new Resolver(ask(began), began.plusMillis(ttlMillis * (i + 1) / count)));
        }
    }

    private ResourceRecordSet recordSet(Scenario.RegionSpec region, long weight) {
        ResourceRecordSet.Builder record = ResourceRecordSet.builder().name(spec.recordName()).type(spec.recordType())
                .setIdentifier(region.region()).weight(weight);
        region.healthCheckId().ifPresent(record::healthCheckId);
        if (spec.recordType().equals("CNAME")) {
            record.ttl(spec.ttlSeconds()).resourceRecords(ResourceRecord.builder().value(region.endpoint()).build());
        } else {
            record.aliasTarget(AliasTarget.builder().hostedZoneId(SIMULATED_ENDPOINT_ZONE).dnsName(region.endpoint())
                    .evaluateTargetHealth(false).build());
        }
        return record.build();
    }

    /** How long resolvers keep an answer; at least a second here, so that a TTL of 0 re-asks once a second. */
    private long ttlMillis() {
        long seconds = spec.recordType().equals("CNAME") ? spec.ttlSeconds() : InMemoryRoute53.ALIAS_TTL_SECONDS;
        return Math.max(1, seconds) * 1000;
    }

    /**
     * Sends the minute ending now: each resolver's share of the requests goes, for each part of the minute, to the
     * Region its cached answer names; a resolver whose answer expires asks Route 53 again at that moment.
     */
    void minute(long requests) {
        Instant end = aws.clock().instant();
        Instant from = end.minus(Duration.ofMinutes(1));
        double share = (double) requests / resolvers.size();
        List<String> regionsBefore = resolvers.stream().map(resolver -> resolver.region).toList();
        List<Instant> expiryBefore = resolvers.stream().map(resolver -> resolver.expiresAt).toList();
        Map<String, Map<String, Double>> spreadBefore = aws.route53().answerSpread();
        Map<String, Double> carryBefore = new HashMap<>(carry);
        Map<String, long[]> sent = new LinkedHashMap<>();
        Map<String, Double> up = new LinkedHashMap<>();
        Map<String, Double> down = new LinkedHashMap<>();
        long ttl = ttlMillis();
        for (Resolver resolver : resolvers) {
            Instant t = from;
            while (t.isBefore(end)) {
                while (!resolver.expiresAt.isAfter(t)) {
                    resolver.region = ask(resolver.expiresAt);
                    resolver.expiresAt = resolver.expiresAt.plusMillis(ttl);
                }
                Instant until = resolver.expiresAt.isBefore(end) ? resolver.expiresAt : end;
                double part = share * Duration.between(t, until).toMillis() / 60_000.0;
                boolean healthy = aws.route53().endpointHealthy(apps.get(resolver.region).endpoint, t);
                (healthy ? up : down).merge(resolver.region, part, Double::sum);
                t = until;
            }
        }
        for (RegionalApp app : apps.values()) {
            long served = whole("up:" + app.region, up.getOrDefault(app.region, 0.0));
            long failed = whole("down:" + app.region, down.getOrDefault(app.region, 0.0));
            long errors = failed;
            if (served > 0) {
                InvocationBatch batch = app.traffic.invokeAlias(scenario.function(), scenario.alias(), served);
                errors += batch.errors();
            }
            long[] totals = sinceReport.get(app.region);
            totals[0] += served + failed;
            totals[1] += errors;
            sent.put(app.region, new long[] {served, served + failed, errors});
        }
        aws.route53().publishHealthCheckMetrics();
        // The minute left every resolver's cache a minute on, Route 53's round-robin and every rounding error as it
        // found them: the next minute repeats it, unless something else changes.
        boolean repeats = resolvers.stream().map(resolver -> resolver.region).toList().equals(regionsBefore)
                && expiryBefore.stream().map(at -> at.plus(Duration.ofMinutes(1))).toList()
                        .equals(resolvers.stream().map(resolver -> resolver.expiresAt).toList())
                && aws.route53().answerSpread().equals(spreadBefore) && carry.equals(carryBefore);
        lastMinute = repeats ? new SteadyMinute(end, requests, sent) : null;
    }

    /**
     * Sends {@code minutes} more minutes of {@code requests}, one every minute from now on, at once, when each would
     * repeat the minute just sent in every number: the DNS answers, cached and asked for, and the rounding of each
     * Region's share repeat (checked by {@link #minute}), no endpoint's health and no record set changed for longer
     * than a health check remembers, each Region's alias serves every batch alike and no alarm could change state
     * meanwhile (the caller has nothing else happen until the last). Returns the time of the last minute, or empty
     * when they must be sent one at a time.
     */
    Optional<Instant> continueSteadily(long requests, long minutes) {
        Instant now = aws.clock().instant();
        SteadyMinute minute = lastMinute;
        if (minute == null || !minute.at().equals(now) || minute.requests() != requests
                || !aws.route53().unchangedSince(now.minus(SETTLED))) {
            return Optional.empty();
        }
        List<SteadyDnsMinutes.RegionalBatch> batches = new ArrayList<>();
        for (RegionalApp app : apps.values()) {
            long served = minute.sent().get(app.region)[0];
            if (served > 0) {
                batches.add(new SteadyDnsMinutes.RegionalBatch(app.traffic, scenario.function(), scenario.alias(),
                        served));
            }
        }
        Optional<Instant> last = SteadyDnsMinutes.continueSteadily(aws.route53(), batches,
                Duration.ofMinutes(1), minutes);
        last.ifPresent(at -> {
            resolvers.forEach(resolver -> resolver.expiresAt = resolver.expiresAt.plus(Duration.ofMinutes(minutes)));
            minute.sent().forEach((region, counts) -> {
                long[] totals = sinceReport.get(region);
                totals[0] += counts[1] * minutes;
                totals[1] += counts[2] * minutes;
            });
            lastMinute = new SteadyMinute(at, requests, minute.sent());
        });
        return last;
    }

    /** A minute of DNS traffic: when it ended, its requests, and per Region: served, sent, failed. */
    private record SteadyMinute(Instant at, long requests, Map<String, long[]> sent) {
    }

    /** The Region of the record set Route 53 answers with at {@code at}. */
    private String ask(Instant at) {
        return aws.route53().answer(spec.recordName(), spec.recordType(), at)
                .flatMap(InMemoryRoute53.Answer::setIdentifier)
                .orElseThrow(() -> new IllegalStateException("Route 53 has no weighted record set for "
                        + spec.recordName() + " " + spec.recordType()));
    }

    /** Whole requests, the rounding carried into the next minute so that totals track the exact shares. */
    private long whole(String key, double exact) {
        double withCarry = exact + carry.getOrDefault(key, 0.0);
        long whole = Math.max(0, Math.round(withCarry));
        carry.put(key, withCarry - whole);
        return whole;
    }

    /** Requests and error % per Region since the previous call: {@code eu-west-1 540 req 0.0% err, ...}. */
    String trafficSinceLastReport() {
        List<String> parts = new ArrayList<>();
        long total = 0;
        for (Map.Entry<String, long[]> entry : sinceReport.entrySet()) {
            long[] totals = entry.getValue();
            total += totals[0];
            double errorPercent = totals[0] == 0 ? 0 : Math.round(1000.0 * totals[1] / totals[0]) / 10.0;
            parts.add(entry.getKey() + " " + totals[0] + " req " + errorPercent + "% err");
            totals[0] = 0;
            totals[1] = 0;
        }
        return total == 0 ? "no traffic" : String.join(", ", parts);
    }

    /** One resolver's cache: the Region it last got, until when. */
    private static final class Resolver {
        String region;
        Instant expiresAt;

        Resolver(String region, Instant expiresAt) {
            this.region = region;
            this.expiresAt = expiresAt;
        }
    }

    /** The scenario's function deployed in one Region, behind its alias. */
    private final class RegionalApp {
        final String region;
        final String endpoint;
        final LambdaTraffic traffic;

        RegionalApp(Scenario.RegionSpec spec) {
            this.region = spec.region();
            this.endpoint = spec.endpoint();
            AwsAccount account = new AwsAccount(spec.region(), aws.account().accountId());
            InMemoryCloudWatch cloudWatch = spec.region().equals(aws.account().region()) ? aws.cloudWatch()
                    : new InMemoryCloudWatch(aws.clock(), account);
            InMemoryLambda lambda = new InMemoryLambda(aws.clock(), account);
            this.traffic = new LambdaTraffic(aws.clock(), lambda, cloudWatch);
            lambda.addFunction(scenario.function());
            for (int i = 0; i < scenario.versions().size(); i++) {
                String version = lambda.publishNewVersion(scenario.function());
                traffic.setVersionBehaviour(scenario.function(), version, scenario.versions().get(i));
            }
            lambda.createAlias(request -> request.functionName(scenario.function()).name(scenario.alias())
                    .functionVersion(spec.version()));
        }

        /** The code of {@code version} behaves so from now on, in this Region too. */
        void behaves(String version, VersionBehaviour behaviour) {
            traffic.setVersionBehaviour(scenario.function(), version, behaviour);
        }
    }

    /** The code of a version behaves differently from now on, in every Region that runs it. */
    void versionBehaves(String version, VersionBehaviour behaviour) {
        apps.values().forEach(app -> app.behaves(version, behaviour));
    }
}
