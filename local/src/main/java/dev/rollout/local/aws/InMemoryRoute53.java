package dev.rollout.local.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.AliasTarget;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.CreateHealthCheckRequest;
import software.amazon.awssdk.services.route53.model.CreateHealthCheckResponse;
import software.amazon.awssdk.services.route53.model.GetChangeRequest;
import software.amazon.awssdk.services.route53.model.GetChangeResponse;
import software.amazon.awssdk.services.route53.model.GetHealthCheckRequest;
import software.amazon.awssdk.services.route53.model.GetHealthCheckResponse;
import software.amazon.awssdk.services.route53.model.GetHealthCheckStatusRequest;
import software.amazon.awssdk.services.route53.model.GetHealthCheckStatusResponse;
import software.amazon.awssdk.services.route53.model.GetHostedZoneRequest;
import software.amazon.awssdk.services.route53.model.GetHostedZoneResponse;
import software.amazon.awssdk.services.route53.model.HealthCheck;
import software.amazon.awssdk.services.route53.model.HealthCheckConfig;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * An in-memory Route 53 behind the SDK's {@link Route53Client}: hosted zones, record sets (weighted ones included),
 * change batches, changes that go from {@code PENDING} to {@code INSYNC}, health checks, and the DNS answers its name
 * servers give.
 *
 * <p>Rules kept as Route 53 keeps them:
 * <ul>
 *   <li>A batch applies whole or not at all: its changes are applied in order to a copy of the zone, and if any is
 *   refused the zone is left as it was and {@code InvalidChangeBatch} lists every refused change.</li>
 *   <li>A {@code DELETE} must match the record set exactly: name, type, set identifier, weight, TTL, values (in any
 *   order), alias target and health check. A record set that is not there is "not found"; one that differs is "the
 *   values provided do not match the current values". This is what makes DELETE + CREATE a compare-and-swap.</li>
 *   <li>{@code CREATE} of an existing record set fails; {@code UPSERT} creates or replaces.</li>
 *   <li>Weights are 0 to 255; a set identifier needs a routing policy (here: a weight) and a weight needs a set
 *   identifier; a record set has either an alias target or a TTL with values.</li>
 *   <li>A change is {@code PENDING} until it has reached every name server, then {@code INSYNC}: here after
 *   {@link #propagation()} on the clock ("generally within 60 seconds"). The name servers answer with the zone as of
 *   its last change in sync; the API (ListResourceRecordSets) shows every accepted change at once.</li>
 *   <li>IDs are returned without their {@code /hostedzone/} and {@code /change/} prefixes, as the SDK's
 *   {@code Route53IdInterceptor} strips them; requests may carry them or not.</li>
 * </ul>
 *
 * <p>DNS answers for a weighted name ({@link #answer}) follow Route 53's rules: record sets whose health check is
 * unhealthy are left out, unless all are, then all are considered; among the rest, each answer picks one record set
 * with probability weight / total (weights all 0: equally). Picks are spread deterministically (smooth weighted
 * round-robin), so shares over many queries track the weights exactly and simulations are reproducible.
 *
 * <p>Health checks follow the endpoints' simulated health ({@link #setEndpointHealthy}) through
 * {@link SimulatedHealthChecks}; {@link #publishHealthCheckMetrics} publishes {@code AWS/Route53 HealthCheckStatus}
 * (1 healthy, 0 unhealthy, dimension {@code HealthCheckId}) to CloudWatch in us-east-1, where Route 53 publishes it.
 */
public final class InMemoryRoute53 implements Route53Client {

    /** How long a change takes to reach every Route 53 name server unless told otherwise. */
    public static final Duration DEFAULT_PROPAGATION = Duration.ofSeconds(60);
    /**
     * The TTL resolvers cache an alias answer for. Route 53 uses the TTL of the AWS resource an alias points to and
     * does not document API Gateway's; it documents a fixed 60 seconds for ELB and S3 website endpoints.
     */
    public static final long ALIAS_TTL_SECONDS = 60;
    static final String NAMESPACE = "AWS/Route53";
    private static final int MAX_ITEMS = 300;
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final Clock clock;
    private final InMemoryCloudWatch cloudWatch;
    private final Map<String, Zone> zones = new TreeMap<>();
    private final Map<String, ChangeInfo> changes = new HashMap<>();
    private final Map<String, Instant> inSyncAt = new HashMap<>();
    private final Map<String, HealthCheck> healthChecks = new LinkedHashMap<>();
    private final SimulatedHealthChecks checkers = new SimulatedHealthChecks();
    private final Map<String, Map<String, Double>> spread = new HashMap<>();
    /** The health checks' datapoints published last, and when, while the next minute may repeat them. */
    private List<HealthDatapoint> lastHealthMinute = List.of();
    private Instant lastHealthAt;
    private final Random ids = new Random(53);
    private final FaultInjector faults = new FaultInjector(Set.of("ChangeResourceRecordSets", "GetChange",
            "ListResourceRecordSets", "GetHostedZone", "CreateHealthCheck", "GetHealthCheck",
            "GetHealthCheckStatus"));
    private Duration propagation = DEFAULT_PROPAGATION;

    /** @param cloudWatch the us-east-1 CloudWatch, where Route 53 publishes its health checks' metrics */
    public InMemoryRoute53(Clock clock, InMemoryCloudWatch cloudWatch) {
        this.clock = clock;
        this.cloudWatch = cloudWatch;
    }

    public FaultInjector faults() {
        return faults;
    }

    public synchronized Duration propagation() {
        return propagation;
    }

    /** From now on, changes take this long to become {@code INSYNC}. */
    public synchronized void setPropagation(Duration propagation) {
        if (propagation.isNegative()) {
            throw new IllegalArgumentException("propagation must not be negative, got " + propagation);
        }
        this.propagation = propagation;
    }

    // ---- Scenario API: setting the world up, simulated endpoints and DNS answers ----

    /** A public hosted zone with a known id, for example {@code Z0123456789ABCDEFGHIJ} and {@code example.com}. */
    public synchronized void addHostedZone(String id, String name) {
        String zoneId = stripPrefix(id, "/hostedzone/");
        if (zones.containsKey(zoneId)) {
            throw new IllegalArgumentException("hosted zone " + zoneId + " already exists");
        }
        zones.put(zoneId, new Zone(zoneId, fqdn(name)));
    }

    /** Record sets that have been in the zone, and on every name server, for long. */
    public synchronized void addRecordSets(String zoneId, List<ResourceRecordSet> recordSets) {
        Zone zone = zone(zoneId);
        TreeMap<RecordKey, ResourceRecordSet> next = new TreeMap<>(zone.records);
        for (ResourceRecordSet recordSet : recordSets) {
            ResourceRecordSet normal = normalized(recordSet);
            List<String> problems = new ArrayList<>();
            validate(zone, normal, "CREATE", problems);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            next.put(RecordKey.of(normal), normal);
        }
        zone.records = next;
        zone.served.clear();
        zone.served.put(Instant.MIN, next);
    }

    /** A health check with a known id (Route 53 gives UUIDs), checking as {@code config} says. */
    public synchronized void addHealthCheck(String id, HealthCheckConfig config) {
        if (healthChecks.containsKey(id)) {
            throw new IllegalArgumentException("health check " + id + " already exists");
        }
        healthChecks.put(id, HealthCheck.builder().id(id).callerReference(id).healthCheckVersion(1L)
                .healthCheckConfig(withDefaults(config)).build());
    }

    /** Route 53's defaults: a request every 30 seconds, three results in a row to change a checker's verdict. */
    private static HealthCheckConfig withDefaults(HealthCheckConfig config) {
        int threshold = config.failureThreshold() == null ? 3 : config.failureThreshold();
        int interval = config.requestInterval() == null ? 30 : config.requestInterval();
        if (threshold < 1 || threshold > 10) {
            throw Route53Errors.invalidInput("FailureThreshold must be from 1 to 10, got " + threshold);
        }
        if (interval != 10 && interval != 30) {
            throw Route53Errors.invalidInput("RequestInterval must be 10 or 30, got " + interval);
        }
        return config.toBuilder().failureThreshold(threshold).requestInterval(interval).build();
    }

    /** From now on, requests to {@code endpoint} (a host name) succeed, or fail as a Region that is down does. */
    public synchronized void setEndpointHealthy(String endpoint, boolean healthy) {
        checkers.setHealthy(endpoint, clock.instant(), healthy);
    }

    /** Whether a request to {@code endpoint} succeeds at {@code at}. */
    public synchronized boolean endpointHealthy(String endpoint, Instant at) {
        return checkers.endpointHealthy(endpoint, at);
    }

    /** Whether Route 53 considers the health check healthy at {@code at}. */
    public synchronized boolean healthCheckHealthy(String healthCheckId, Instant at) {
        return checkers.healthy(healthCheck(healthCheckId).healthCheckConfig(), at);
    }

    /**
     * What a Route 53 name server answers at {@code at} for {@code name} and {@code type}: the record set it picks, and
     * the TTL a resolver caches it for; empty when the name has no such record set.
     */
    public synchronized Optional<Answer> answer(String name, String type, Instant at) {
        String fqdn = fqdn(name);
        for (Zone zone : zones.values()) {
            if (!inZone(zone, fqdn)) {
                continue;
            }
            Map.Entry<Instant, TreeMap<RecordKey, ResourceRecordSet>> served = zone.served.floorEntry(at);
            if (served == null) {
                continue;
            }
            List<ResourceRecordSet> group = served.getValue().values().stream()
                    .filter(record -> record.name().equals(fqdn) && record.typeAsString().equals(type))
                    .toList();
            if (!group.isEmpty()) {
                return Optional.of(pick(zone.id + "/" + fqdn + "/" + type, group, at));
            }
        }
        return Optional.empty();
    }

    /** One DNS answer: the record set picked and how long resolvers may cache it. */
    public record Answer(ResourceRecordSet recordSet, long ttlSeconds) {
        /** The record set's set identifier, or empty for a simple record. */
        public Optional<String> setIdentifier() {
            return Optional.ofNullable(recordSet.setIdentifier());
        }
    }

    private Answer pick(String group, List<ResourceRecordSet> records, Instant at) {
        List<ResourceRecordSet> healthy = records.stream()
                .filter(record -> record.healthCheckId() == null || healthChecks.get(record.healthCheckId()) == null
                        || checkers.healthy(healthChecks.get(record.healthCheckId()).healthCheckConfig(), at))
                .toList();
        // "If all the records in a group are unhealthy, Route 53 considers all of them healthy."
        List<ResourceRecordSet> candidates = healthy.isEmpty() ? records : healthy;
        List<ResourceRecordSet> weighted = candidates.stream()
                .filter(record -> record.weight() == null || record.weight() > 0).toList();
        if (weighted.isEmpty()) {
            // Weights all 0: Route 53 answers with each of them with equal probability.
            weighted = candidates;
        }
        Map<String, Double> current = spread.computeIfAbsent(group, key -> new HashMap<>());
        double total = 0;
        ResourceRecordSet best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (ResourceRecordSet record : weighted) {
            double weight = record.weight() == null || weighted.stream().allMatch(r -> r.weight() != null
                    && r.weight() == 0) ? 1 : record.weight();
            total += weight;
            String key = String.valueOf(record.setIdentifier());
            double score = current.merge(key, weight, Double::sum);
            if (score > bestScore) {
                bestScore = score;
                best = record;
            }
        }
        current.merge(String.valueOf(best.setIdentifier()), -total, Double::sum);
        long ttl = best.aliasTarget() != null ? ALIAS_TTL_SECONDS : best.ttl();
        return new Answer(best, ttl);
    }

    /**
     * Publishes each health check's status over the minute ending now, 1 healthy and 0 unhealthy, sampled every five
     * seconds: a check that failed for part of the minute shows in its {@code Minimum}.
     */
    public synchronized void publishHealthCheckMetrics() {
        Instant now = clock.instant();
        List<HealthDatapoint> published = new ArrayList<>();
        for (HealthCheck check : healthChecks.values()) {
            Aggregate minute = null;
            for (Instant at = now.minusSeconds(55); !at.isAfter(now); at = at.plusSeconds(5)) {
                Aggregate sample = Aggregate.of(checkers.healthy(check.healthCheckConfig(), at) ? 1 : 0);
                minute = minute == null ? sample : minute.merge(sample);
            }
            MetricId metric = MetricId.of(NAMESPACE, "HealthCheckStatus",
                    List.of(Dimension.builder().name("HealthCheckId").value(check.id()).build()));
            cloudWatch.record(metric, now, minute, StandardUnit.NONE);
            published.add(new HealthDatapoint(metric, minute));
        }
        lastHealthMinute = List.copyOf(published);
        lastHealthAt = now;
    }

    /** A health check's minute of {@code HealthCheckStatus}. */
    private record HealthDatapoint(MetricId metric, Aggregate aggregate) {
    }

    /**
     * Whether nothing that DNS answers and health checks depend on changed after {@code since}: no endpoint changed
     * health and no change of any zone reached the name servers (or is still on its way).
     */
    public synchronized boolean unchangedSince(Instant since) {
        return !checkers.changedAfter(since)
                && zones.values().stream().noneMatch(zone -> zone.served.lastKey().isAfter(since));
    }

    /** Where each group's weighted round-robin stands: the next answers follow from it alone. */
    public synchronized Map<String, Map<String, Double>> answerSpread() {
        Map<String, Map<String, Double>> copy = new HashMap<>();
        spread.forEach((group, scores) -> copy.put(group, Map.copyOf(scores)));
        return copy;
    }

    /** The time on Route 53's clock. */
    synchronized Instant now() {
        return clock.instant();
    }

    /** The US East CloudWatch, where the health checks' metrics go. */
    InMemoryCloudWatch cloudWatch() {
        return cloudWatch;
    }

    /**
     * The health checks' metrics, with the values their next minutes continue, when the minute published now repeats
     * in each (one run each to continue through {@code last}); empty when it does not.
     */
    synchronized Optional<Map<MetricId, DatapointValues>> healthMinutesContinuing(Instant last, Duration step) {
        if (!clock.instant().equals(lastHealthAt) || lastHealthMinute.size() != healthChecks.size()) {
            return Optional.empty();
        }
        Map<MetricId, DatapointValues> continuing = new HashMap<>();
        for (HealthDatapoint datapoint : lastHealthMinute) {
            List<DatapointValues> runs = cloudWatch.extendable(datapoint.metric(), last, datapoint.aggregate(),
                    StandardUnit.NONE, step);
            if (runs.isEmpty()) {
                return Optional.empty();
            }
            continuing.put(datapoint.metric(), runs.get(0));
        }
        return Optional.of(continuing);
    }

    /** Publishes the minute published now again every {@code step} through {@code last}, at once. */
    synchronized void repeatHealthMinutes(Instant last, Duration step) {
        for (HealthDatapoint datapoint : lastHealthMinute) {
            cloudWatch.extend(datapoint.metric(), last, datapoint.aggregate(), StandardUnit.NONE, step);
        }
        lastHealthAt = last;
    }

    // ---- Route53Client ----

    @Override
    public synchronized GetHostedZoneResponse getHostedZone(GetHostedZoneRequest request) {
        faults.enter("GetHostedZone");
        Zone zone = zone(request.id());
        return GetHostedZoneResponse.builder()
                .hostedZone(HostedZone.builder().id(zone.id).name(zone.name).callerReference(zone.id)
                        .resourceRecordSetCount((long) zone.records.size()).build())
                .build();
    }

    @Override
    public synchronized ChangeResourceRecordSetsResponse changeResourceRecordSets(
            ChangeResourceRecordSetsRequest request) {
        faults.enter("ChangeResourceRecordSets");
        Zone zone = zone(request.hostedZoneId());
        if (request.changeBatch() == null || request.changeBatch().changes().isEmpty()) {
            throw Route53Errors.invalidInput("Invalid request: Expected at least one Change in ChangeBatch");
        }
        if (request.changeBatch().changes().size() > 1000) {
            throw Route53Errors.invalidInput("Invalid request: Too many changes in ChangeBatch (max 1000)");
        }
        TreeMap<RecordKey, ResourceRecordSet> next = new TreeMap<>(zone.records);
        List<String> refused = new ArrayList<>();
        for (Change change : request.changeBatch().changes()) {
            apply(zone, next, change, refused);
        }
        if (!refused.isEmpty()) {
            throw Route53Errors.invalidChangeBatch(refused);
        }
        Instant now = clock.instant();
        zone.records = next;
        zone.served.put(now.plus(propagation), next);
        ChangeInfo info = ChangeInfo.builder().id(newChangeId()).status(ChangeStatus.PENDING).submittedAt(now)
                .comment(request.changeBatch().comment()).build();
        changes.put(info.id(), info);
        inSyncAt.put(info.id(), now.plus(propagation));
        return ChangeResourceRecordSetsResponse.builder().changeInfo(info).build();
    }

    private void apply(Zone zone, TreeMap<RecordKey, ResourceRecordSet> records, Change change, List<String> refused) {
        if (change.resourceRecordSet() == null || change.action() == null) {
            throw Route53Errors.invalidInput("Invalid request: Expected an Action and a ResourceRecordSet in Change");
        }
        ResourceRecordSet record = normalized(change.resourceRecordSet());
        String action = change.actionAsString();
        validate(zone, record, action, refused);
        RecordKey key = RecordKey.of(record);
        ResourceRecordSet existing = records.get(key);
        switch (action) {
            case "CREATE" -> {
                if (existing != null) {
                    refused.add("Tried to create resource record set " + key + " but it already exists");
                } else {
                    records.put(key, record);
                }
            }
            case "DELETE" -> {
                if (existing == null) {
                    refused.add("Tried to delete resource record set " + key + " but it was not found");
                } else if (!sameRecordSet(existing, record)) {
                    refused.add("Tried to delete resource record set " + key
                            + " but the values provided do not match the current values");
                } else {
                    records.remove(key);
                }
            }
            case "UPSERT" -> records.put(key, record);
            default -> throw Route53Errors.invalidInput("Invalid request: Unknown Action " + action);
        }
    }

    /** The record set's own rules; a refusal is reported with the rest of the batch's. */
    private void validate(Zone zone, ResourceRecordSet record, String action, List<String> refused) {
        String described = "Change with [Action=" + action + ", Name=" + record.name() + ", Type="
                + record.typeAsString() + ", SetIdentifier=" + record.setIdentifier() + "]";
        if (!inZone(zone, record.name())) {
            refused.add("RRSet with DNS name " + record.name() + " is not permitted in zone " + zone.name);
        }
        if (record.weight() != null && (record.weight() < 0 || record.weight() > 255)) {
            throw Route53Errors.invalidInput("1 validation error detected: Value '" + record.weight()
                    + "' at 'changeBatch.changes.member.resourceRecordSet.weight' failed to satisfy constraint:"
                    + " Member must have value " + (record.weight() < 0 ? "greater than or equal to 0"
                    : "less than or equal to 255"));
        }
        if (record.setIdentifier() != null && record.weight() == null) {
            throw Route53Errors.invalidInput("Invalid request: Expected exactly one of [Weight, Region, Failover,"
                    + " GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found none in "
                    + described);
        }
        if (record.weight() != null && record.setIdentifier() == null) {
            throw Route53Errors.invalidInput("Invalid request: Missing field 'SetIdentifier' in " + described);
        }
        boolean alias = record.aliasTarget() != null;
        boolean values = record.ttl() != null && record.hasResourceRecords() && !record.resourceRecords().isEmpty();
        if (alias == values || (alias && record.ttl() != null)) {
            throw Route53Errors.invalidInput("Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and"
                    + " ResourceRecords], or TrafficPolicyInstanceId], but found " + (alias ? "more than one" : "none")
                    + " in " + described);
        }
    }

    /** Route 53's exact match for DELETE: every field that describes the record set, values in any order. */
    private static boolean sameRecordSet(ResourceRecordSet a, ResourceRecordSet b) {
        return a.name().equals(b.name()) && a.typeAsString().equals(b.typeAsString())
                && Objects.equals(a.setIdentifier(), b.setIdentifier()) && Objects.equals(a.weight(), b.weight())
                && Objects.equals(a.ttl(), b.ttl()) && Objects.equals(a.healthCheckId(), b.healthCheckId())
                && Objects.equals(a.regionAsString(), b.regionAsString())
                && Objects.equals(a.failoverAsString(), b.failoverAsString())
                && values(a).equals(values(b)) && Objects.equals(a.aliasTarget(), b.aliasTarget());
    }

    private static Set<String> values(ResourceRecordSet record) {
        Set<String> values = new TreeSet<>();
        if (record.hasResourceRecords()) {
            record.resourceRecords().forEach(value -> values.add(value.value()));
        }
        return values;
    }

    @Override
    public synchronized GetChangeResponse getChange(GetChangeRequest request) {
        faults.enter("GetChange");
        String id = stripPrefix(request.id(), "/change/");
        ChangeInfo info = changes.get(id);
        if (info == null) {
            throw Route53Errors.noSuchChange(id);
        }
        // A change keeps the propagation time it was submitted with.
        boolean inSync = !clock.instant().isBefore(inSyncAt.get(id));
        return GetChangeResponse.builder()
                .changeInfo(info.toBuilder().status(inSync ? ChangeStatus.INSYNC : ChangeStatus.PENDING).build())
                .build();
    }

    @Override
    public synchronized ListResourceRecordSetsResponse listResourceRecordSets(ListResourceRecordSetsRequest request) {
        faults.enter("ListResourceRecordSets");
        Zone zone = zone(request.hostedZoneId());
        if (request.startRecordType() != null && request.startRecordName() == null) {
            throw Route53Errors.invalidInput("The input is not valid: StartRecordType requires StartRecordName");
        }
        if (request.startRecordIdentifier() != null && request.startRecordType() == null) {
            throw Route53Errors.invalidInput("The input is not valid: StartRecordIdentifier requires StartRecordType");
        }
        int max = request.maxItems() == null ? MAX_ITEMS : Math.min(MAX_ITEMS, Integer.parseInt(request.maxItems()));
        RecordKey start = request.startRecordName() == null ? null
                : new RecordKey(fqdn(request.startRecordName()), request.startRecordTypeAsString() == null ? ""
                : request.startRecordTypeAsString(), request.startRecordIdentifier() == null ? ""
                : request.startRecordIdentifier());
        List<ResourceRecordSet> page = new ArrayList<>();
        ResourceRecordSet next = null;
        for (Map.Entry<RecordKey, ResourceRecordSet> entry : zone.records.entrySet()) {
            if (start != null && entry.getKey().compareTo(start) < 0) {
                continue;
            }
            if (page.size() == max) {
                next = entry.getValue();
                break;
            }
            page.add(entry.getValue());
        }
        ListResourceRecordSetsResponse.Builder response = ListResourceRecordSetsResponse.builder()
                .resourceRecordSets(page).isTruncated(next != null).maxItems(String.valueOf(max));
        if (next != null) {
            response.nextRecordName(next.name()).nextRecordType(next.typeAsString())
                    .nextRecordIdentifier(next.setIdentifier());
        }
        return response.build();
    }

    @Override
    public synchronized CreateHealthCheckResponse createHealthCheck(CreateHealthCheckRequest request) {
        faults.enter("CreateHealthCheck");
        HealthCheckConfig config = request.healthCheckConfig();
        if (config == null || config.type() == null) {
            throw Route53Errors.invalidInput("Invalid request: Expected a HealthCheckConfig with a Type");
        }
        if (config.fullyQualifiedDomainName() == null && config.ipAddress() == null) {
            throw Route53Errors.invalidInput("Invalid request: Expected a FullyQualifiedDomainName or an IPAddress");
        }
        HealthCheck check = HealthCheck.builder()
                .id(UUID.nameUUIDFromBytes(("health-check-" + healthChecks.size() + request.callerReference())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString())
                .callerReference(request.callerReference())
                .healthCheckConfig(withDefaults(config))
                .healthCheckVersion(1L)
                .build();
        healthChecks.put(check.id(), check);
        return CreateHealthCheckResponse.builder().healthCheck(check)
                .location("https://route53.amazonaws.com/2013-04-01/healthcheck/" + check.id()).build();
    }

    @Override
    public synchronized GetHealthCheckResponse getHealthCheck(GetHealthCheckRequest request) {
        faults.enter("GetHealthCheck");
        return GetHealthCheckResponse.builder().healthCheck(healthCheck(request.healthCheckId())).build();
    }

    /** One observation per health checker, as Route 53 returns them: its Region, address, last result and time. */
    @Override
    public synchronized GetHealthCheckStatusResponse getHealthCheckStatus(GetHealthCheckStatusRequest request) {
        faults.enter("GetHealthCheckStatus");
        HealthCheck check = healthCheck(request.healthCheckId());
        return GetHealthCheckStatusResponse.builder()
                .healthCheckObservations(checkers.observations(check.healthCheckConfig(), clock.instant()))
                .build();
    }

    private HealthCheck healthCheck(String id) {
        HealthCheck check = healthChecks.get(id);
        if (check == null) {
            throw Route53Errors.noSuchHealthCheck(id);
        }
        return check;
    }

    private Zone zone(String id) {
        String zoneId = stripPrefix(id, "/hostedzone/");
        Zone zone = zones.get(zoneId);
        if (zone == null) {
            throw Route53Errors.noSuchHostedZone(zoneId);
        }
        return zone;
    }

    private String newChangeId() {
        StringBuilder id = new StringBuilder("C");
        for (int i = 0; i < 13; i++) {
            id.append(ID_ALPHABET.charAt(ids.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    private static boolean inZone(Zone zone, String fqdn) {
        return fqdn.equals(zone.name) || fqdn.endsWith("." + zone.name);
    }

    /** Names as Route 53 stores them: lower case, with the final dot. */
    static String fqdn(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }

    private static String stripPrefix(String id, String prefix) {
        return id != null && id.startsWith(prefix) ? id.substring(prefix.length()) : id;
    }

    private static ResourceRecordSet normalized(ResourceRecordSet record) {
        ResourceRecordSet.Builder builder = record.toBuilder().name(fqdn(record.name()));
        if (record.aliasTarget() != null) {
            AliasTarget target = record.aliasTarget();
            builder.aliasTarget(target.toBuilder().dnsName(fqdn(target.dnsName()))
                    .evaluateTargetHealth(Boolean.TRUE.equals(target.evaluateTargetHealth())).build());
        }
        if (record.hasResourceRecords()) {
            builder.resourceRecords(record.resourceRecords().stream()
                    .map(value -> ResourceRecord.builder().value(value.value()).build()).toList());
        }
        return builder.build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }

    /**
     * A record set's identity, ordered as ListResourceRecordSets lists: by name with its labels reversed
     * ({@code com.example.api}), then type, then set identifier.
     */
    private record RecordKey(String name, String type, String setIdentifier) implements Comparable<RecordKey> {
        private static final Comparator<RecordKey> ORDER = Comparator.comparing((RecordKey key) -> reversed(key.name))
                .thenComparing(RecordKey::type).thenComparing(RecordKey::setIdentifier);

        static RecordKey of(ResourceRecordSet record) {
            return new RecordKey(record.name(), record.typeAsString(),
                    record.setIdentifier() == null ? "" : record.setIdentifier());
        }

        private static String reversed(String name) {
            String[] labels = name.split("\\.");
            StringBuilder reversed = new StringBuilder();
            for (int i = labels.length - 1; i >= 0; i--) {
                reversed.append(labels[i]).append('.');
            }
            return reversed.toString();
        }

        @Override
        public int compareTo(RecordKey other) {
            return ORDER.compare(this, other);
        }

        /** As Route 53's messages name a record set. */
        @Override
        public String toString() {
            return "[name='" + name + "', type='" + type + "'"
                    + (setIdentifier.isEmpty() ? "" : ", set-identifier='" + setIdentifier + "'") + "]";
        }
    }

    private static final class Zone {
        final String id;
        final String name;
        TreeMap<RecordKey, ResourceRecordSet> records = new TreeMap<>();
        /** What the name servers answer from, by the instant each change reached all of them. */
        final NavigableMap<Instant, TreeMap<RecordKey, ResourceRecordSet>> served = new TreeMap<>();

        Zone(String id, String name) {
            this.id = id;
            this.name = name;
            served.put(Instant.MIN, records);
        }
    }
}
