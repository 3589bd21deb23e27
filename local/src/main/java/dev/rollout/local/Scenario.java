package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import dev.rollout.domain.Durations;
import dev.rollout.local.aws.VersionBehaviour;

/**
 * A simulated world and the rollout to run in it: a function with versions and a live alias,
 * steady traffic, alarms on the metrics that traffic produces, changes in how versions behave over
 * time, injected AWS faults, and the rollout's start input.
 *
 * @param versions      behaviour of versions 1..N, in order
 * @param liveVersion   the version the alias serves at the start
 * @param extraRouting  an additional version weight already on the alias at the start (to simulate a rollout in progress)
 * @param trigger       how the rollout starts
 * @param tags          the function's tags (per-function rollout settings such as {@code rollout:strategy})
 * @param approvals     answers to approval requests, in the order the requests come
 * @param rollout       the start-execution input, exactly as given to the state machine (console trigger)
 * @param stop          when to stop the execution, as StopExecution (the console's Stop) would
 * @param hooks         hook functions of the account, by name, and how each answers
 * @param aliases       more aliases of the function, by name, and the version each serves
 * @param api           a REST API in front of the function; when present, traffic goes through its stage
 * @param dns           a Route 53 weighted record in front of the function deployed in several Regions; when present,
 *                      traffic comes from DNS clients that resolve the record and call the Region they were given
 * @param controls      a person's abort or promote-now at given times, through the control page of the started notice
 */
public record Scenario(String description, String function, String alias, List<VersionBehaviour> versions,
                       String liveVersion, Map<String, Double> extraRouting, long requestsPerMinute,
                       List<AlarmSpec> alarms, List<Change> changes, List<Fault> faults, Trigger trigger,
                       Map<String, String> tags, List<Answer> approvals, JsonNode rollout, Optional<Stop> stop,
                       Map<String, SimulatedHooks.Behaviour> hooks, Map<String, String> aliases,
                       Optional<ApiSpec> api, Optional<DnsSpec> dns,
                       List<ControlAction> controls) {

    /**
     * A record name in a Route 53 hosted zone with one weighted record set per Region (its {@code SetIdentifier} is the
     * Region), each pointing at that Region's endpoint, where the scenario's function serves one of its versions.
     *
     * @param zoneId          the hosted zone's id, e.g. {@code Z0123456789ABCDEFGHIJ}
     * @param zoneName        the hosted zone's domain, e.g. {@code example.com}
     * @param recordName      the weighted name, in the zone, e.g. {@code api.example.com}
     * @param recordType      {@code A} or {@code AAAA} (alias records to each Region's endpoint, cached for 60 s) or
     *                        {@code CNAME} (the endpoint's name, cached for {@code ttlSeconds})
     * @param resolvers       how many DNS resolvers the clients are spread over; each caches its answer for the TTL
     * @param propagation     how long a change takes to reach every Route 53 name server (PENDING until then)
     * @param foreignChanges  weights someone else sets while the rollout runs
     */
    public record DnsSpec(String zoneId, String zoneName, String recordName, String recordType, long ttlSeconds,
                          List<RegionSpec> regions, int resolvers, Duration propagation,
                          List<ForeignChange> foreignChanges) {
    }

    /**
     * One Region's deployment: its record set and the endpoint it points at.
     *
     * @param endpoint      the Region's API host name, which the record set and the health check point at
     * @param version       the version of the scenario's function the Region's alias serves
     * @param weight        the record set's weight at the start, 0 to 255
     * @param healthCheckId the id of the record set's Route 53 health check, or empty for a record set without one
     * @param healthPath    the path the health check requests
     * @param health        from when on the endpoint answers (true) or fails every request (false)
     */
    public record RegionSpec(String region, String endpoint, String version, long weight,
                             Optional<String> healthCheckId, String healthPath, List<HealthChange> health) {
    }

    /** From {@code at} on, the Region's endpoint is up or down. */
    public record HealthChange(Duration at, boolean healthy) {
    }

    /** Someone else sets the Region's record set to {@code weight} at {@code at} (an UPSERT from their console). */
    public record ForeignChange(Duration at, String region, long weight) {
    }

    /**
     * A REST API whose one method invokes the function through the alias a stage variable names
     * ({@code function:${stageVariables.lambdaAlias}}), with one stage that serves the traffic.
     *
     * @param deployments    deployment ids, each with the share of its requests that fail in the gateway itself
     * @param liveDeployment the deployment the stage serves at the start
     * @param aliasVariable  the stage variable that names the alias, {@code lambdaAlias} by default
     */
    public record ApiSpec(String id, String name, String stage, Map<String, String> variables,
                          Map<String, Double> deployments, String liveDeployment, String aliasVariable) {
    }

    /** How the rollout starts: from a start input, or by publishing the last version as a deploy would. */
    public enum Trigger {
        /** StartExecution with {@code rollout} as input, as from the console or CLI. */
        CONSOLE,
        /** The last of {@code versions} is published at the start; the EventBridge rule starts the rollout. */
        PUBLISH
    }

    /**
     * How a person answers the next approval request, {@code after} it was sent: {@code approve}, {@code reject},
     * or {@code none} to let it time out.
     */
    public record Answer(String answer, Duration after, String by, String comment) {
    }

    /**
     * Stop the execution {@code at} this long after the start, as StopExecution does: no Catch runs; the template's
     * rule on status changes then restores the alias. {@code error} and {@code cause} are StopExecution's, optional.
     */
    public record Stop(Duration at, String error, String cause) {
    }

    /**
     * {@code at} this long after the start, {@code by} presses the control page's {@code action} button ({@code abort}
     * or {@code promote}) giving {@code reason}, as from the link in the rollout's "started" notice.
     */
    public record ControlAction(Duration at, String action, String by, String reason) {
    }

    /** A metric alarm; dimensions default to the alias' ({@code FunctionName}, {@code Resource}). */
    public record AlarmSpec(String name, String metric, String namespace, String statistic, String comparison,
                            double threshold, int periodSeconds, int evaluationPeriods, int datapointsToAlarm,
                            Map<String, String> dimensions, String treatMissingData) {
    }

    /** From {@code at} on, {@code version} behaves differently. */
    public record Change(Duration at, String version, VersionBehaviour behaviour) {
    }

    /**
     * The next {@code times} calls of an AWS operation fail; armed at the start, or just before the
     * task function {@code during} first runs (e.g. {@code "Rollback"}).
     */
    public record Fault(String service, String operation, int times, String error, Optional<String> during) {
    }

    private static final Set<String> FIELDS = Set.of("description", "function", "alias", "versions", "liveVersion",
            "extraRouting", "requestsPerMinute", "alarms", "changes", "faults", "trigger", "tags", "approvals",
            "rollout", "stop", "hooks", "aliases", "api", "dns", "controls");
    /** Enough to outlast any retry budget; more is a typo. */
    private static final int MAX_FAULT_TIMES = 10_000;
    /** Lambda's rule for function names. */
    private static final java.util.regex.Pattern FUNCTION_NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    /** The operations each simulated service can be made to fail, as its in-memory service names them. */
    private static final class FaultableOperations {
        static final Map<String, Set<String>> BY_SERVICE = read();

        private static Map<String, Set<String>> read() {
            LocalAws aws = LocalAws.create(java.time.Instant.EPOCH);
            return Map.of("lambda", aws.lambda().faults().operations(),
                    "cloudwatch", aws.cloudWatch().faults().operations(),
                    "sns", aws.sns().faults().operations(),
                    "apigateway", aws.apiGateway().faults().operations(),
                    "route53", aws.route53().faults().operations());
        }
    }

    private static final Map<String, String> COMPARISONS = Map.of(
            ">=", "GreaterThanOrEqualToThreshold", ">", "GreaterThanThreshold",
            "<", "LessThanThreshold", "<=", "LessThanOrEqualToThreshold");

    /** Reads a scenario document, naming every field that is wrong. */
    public static Scenario read(JsonNode root) {
        Reader reader = new Reader();
        Scenario scenario = reader.scenario(root);
        if (!reader.problems.isEmpty()) {
            throw new IllegalArgumentException("invalid scenario: " + String.join("; ", reader.problems));
        }
        return scenario;
    }

    /** Collects problems with their field paths instead of stopping at the first. */
    private static final class Reader {
        final List<String> problems = new ArrayList<>();

        Scenario scenario(JsonNode root) {
            if (!root.isObject()) {
                problems.add("expected a JSON object");
                return null;
            }
            unknown(root, "", FIELDS);
            String function = text(root, "", "function", null);
            if (function != null && !FUNCTION_NAME.matcher(function).matches()) {
                problems.add("function: expected a Lambda function name (1 to 64 letters, digits, - and _), got \""
                        + function + "\"");
            }
            String alias = text(root, "", "alias", "live");
            List<VersionBehaviour> versions = new ArrayList<>();
            JsonNode versionList = root.path("versions");
            if (!versionList.isArray() || versionList.isEmpty()) {
                problems.add("versions: expected a list of version behaviours such as [{\"errorRate\": 0}, {\"errorRate\": 0.2}]");
            } else {
                for (int i = 0; i < versionList.size(); i++) {
                    versions.add(behaviour(versionList.get(i), "versions[" + i + "]"));
                }
            }
            String live = text(root, "", "liveVersion", "1");
            if (!versions.isEmpty() && !isVersion(live, versions.size())) {
                problems.add("liveVersion: expected a version from 1 to " + versions.size() + ", got \"" + live + "\"");
            }
            Map<String, Double> extra = extraRouting(root.path("extraRouting"), live, versions.size());
            long rate = root.path("requestsPerMinute").asLong(600);
            if (rate < 0) {
                problems.add("requestsPerMinute: expected zero or more, got " + rate);
            }
            List<AlarmSpec> alarms = new ArrayList<>();
            for (int i = 0; i < root.path("alarms").size(); i++) {
                alarms.add(alarm(root.path("alarms").get(i), "alarms[" + i + "]", function, alias));
            }
            List<Change> changes = new ArrayList<>();
            for (int i = 0; i < root.path("changes").size(); i++) {
                JsonNode change = root.path("changes").get(i);
                String at = "changes[" + i + "]";
                unknown(change, at, Set.of("at", "version", "errorRate", "latencyMs"));
                String version = change.path("version").asText();
                if (!isVersion(version, versions.size())) {
                    problems.add(at + ".version: expected a version from 1 to " + versions.size());
                }
                changes.add(new Change(duration(change.path("at"), at + ".at"), version, behaviour(change, at)));
            }
            List<Fault> faults = new ArrayList<>();
            for (int i = 0; i < root.path("faults").size(); i++) {
                faults.add(fault(root.path("faults").get(i), "faults[" + i + "]"));
            }
            Trigger trigger = Trigger.CONSOLE;
            String triggerText = root.path("trigger").asText("console");
            switch (triggerText) {
                case "console" -> trigger = Trigger.CONSOLE;
                case "publish" -> trigger = Trigger.PUBLISH;
                default -> problems.add("trigger: expected \"console\" or \"publish\", got \"" + triggerText + "\"");
            }
            if (trigger == Trigger.PUBLISH && versions.size() < 2) {
                problems.add("versions: a published rollout needs at least two versions (the last is published at the start)");
            }
            Map<String, String> tags = new LinkedHashMap<>();
            root.path("tags").fields().forEachRemaining(entry -> tags.put(entry.getKey(), entry.getValue().asText()));
            List<Answer> answers = new ArrayList<>();
            for (int i = 0; i < root.path("approvals").size(); i++) {
                answers.add(answer(root.path("approvals").get(i), "approvals[" + i + "]"));
            }
            JsonNode rollout = root.get("rollout");
            if (trigger == Trigger.CONSOLE && (rollout == null || !rollout.isObject())) {
                problems.add("rollout: expected the start input of the rollout, an object");
            }
            Optional<Stop> stop = root.has("stop") ? Optional.of(stop(root.get("stop"))) : Optional.empty();
            Map<String, SimulatedHooks.Behaviour> hooks = new LinkedHashMap<>();
            root.path("hooks").fields().forEachRemaining(entry ->
                    hooks.put(entry.getKey(), hook(entry.getValue(), "hooks." + entry.getKey())));
            Map<String, String> aliases = new LinkedHashMap<>();
            root.path("aliases").fields().forEachRemaining(entry -> {
                aliases.put(entry.getKey(), entry.getValue().asText());
                if (!isVersion(entry.getValue().asText(), versions.size())) {
                    problems.add("aliases." + entry.getKey() + ": expected a version from 1 to " + versions.size());
                }
            });
            Optional<ApiSpec> api = root.has("api") ? Optional.of(api(root.path("api"))) : Optional.empty();
            Optional<DnsSpec> dns = root.has("dns") ? Optional.of(dns(root.path("dns"), versions.size()))
                    : Optional.empty();
            if (api.isPresent() && dns.isPresent()) {
                problems.add("dns: a scenario's traffic comes through its api or through dns, not both");
            }
            List<ControlAction> controls = new ArrayList<>();
            if (root.has("controls") && !root.path("controls").isArray()) {
                problems.add("controls: expected a list such as [{\"at\": \"7m\", \"action\": \"abort\", \"by\": \"dana\","
                        + " \"reason\": \"why\"}]");
            }
            for (int i = 0; i < root.path("controls").size(); i++) {
                controls.add(control(root.path("controls").get(i), "controls[" + i + "]"));
            }
            return new Scenario(root.path("description").asText(""), function, alias, versions, live, extra, rate,
                    alarms, changes, faults, trigger, tags, answers, rollout, stop, hooks, aliases, api, dns, controls);
        }

        private ControlAction control(JsonNode node, String at) {
            if (!node.isObject()) {
                problems.add(at + ": expected an object such as {\"at\": \"7m\", \"action\": \"abort\", \"by\": \"dana\","
                        + " \"reason\": \"why\"}");
                return new ControlAction(Duration.ZERO, "abort", "", "");
            }
            unknown(node, at, Set.of("at", "action", "by", "reason"));
            if (!node.has("at")) {
                problems.add(at + ".at: expected when, after the start, such as \"7m\"");
            }
            Duration when = node.has("at") ? duration(node.get("at"), at + ".at") : Duration.ZERO;
            String action = node.path("action").asText("");
            if (!Set.of("abort", "promote").contains(action)) {
                problems.add(at + ".action: expected abort or promote, got \"" + action + "\"");
            }
            return new ControlAction(when, action, node.path("by").asText("simulated operator"),
                    node.path("reason").asText(""));
        }

        private SimulatedHooks.Behaviour hook(JsonNode node, String at) {
            unknown(node, at, Set.of("answer", "message", "after"));
            String answer = node.path("answer").asText("pass");
            SimulatedHooks.Answer parsed = SimulatedHooks.Answer.PASS;
            switch (answer) {
                case "pass" -> parsed = SimulatedHooks.Answer.PASS;
                case "fail" -> parsed = SimulatedHooks.Answer.FAIL;
                case "throw" -> parsed = SimulatedHooks.Answer.THROW;
                case "hang" -> parsed = SimulatedHooks.Answer.HANG;
                default -> problems.add(at + ".answer: expected pass, fail, throw or hang, got \"" + answer + "\"");
            }
            Duration after = node.has("after") ? duration(node.path("after"), at + ".after") : Duration.ZERO;
            return new SimulatedHooks.Behaviour(parsed, node.path("message").asText(""), after);
        }

        private ApiSpec api(JsonNode node) {
            unknown(node, "api", Set.of("id", "name", "stage", "variables", "deployments", "liveDeployment",
                    "aliasVariable"));
            String id = text(node, "api", "id", null);
            if (id != null && !id.matches("[a-z0-9]{10}")) {
                problems.add("api.id: expected ten lower-case letters and digits, as API Gateway gives, got \"" + id
                        + "\"");
            }
            Map<String, String> variables = new LinkedHashMap<>();
            node.path("variables").fields().forEachRemaining(entry -> variables.put(entry.getKey(),
                    entry.getValue().asText()));
            Map<String, Double> deployments = new LinkedHashMap<>();
            JsonNode list = node.path("deployments");
            for (int i = 0; i < list.size(); i++) {
                JsonNode deployment = list.get(i);
                unknown(deployment, "api.deployments[" + i + "]", Set.of("id", "errorRate"));
                double errorRate = deployment.path("errorRate").asDouble(0);
                if (errorRate < 0 || errorRate > 1) {
                    problems.add("api.deployments[" + i + "].errorRate: expected a share from 0 to 1");
                }
                deployments.put(text(deployment, "api.deployments[" + i + "]", "id", null), errorRate);
            }
            if (deployments.isEmpty()) {
                problems.add("api.deployments: expected a list of deployments such as [{\"id\": \"d1\"}]");
            }
            String live = text(node, "api", "liveDeployment", deployments.isEmpty() ? "" : deployments.keySet()
                    .iterator().next());
            if (!deployments.isEmpty() && !deployments.containsKey(live)) {
                problems.add("api.liveDeployment: expected one of " + deployments.keySet() + ", got \"" + live + "\"");
            }
            return new ApiSpec(id, text(node, "api", "name", id), text(node, "api", "stage", "prod"), variables,
                    deployments, live, text(node, "api", "aliasVariable", "lambdaAlias"));
        }

        private DnsSpec dns(JsonNode node, int versions) {
            unknown(node, "dns", Set.of("hostedZone", "record", "regions", "resolvers", "propagation",
                    "foreignChanges"));
            JsonNode zone = node.path("hostedZone");
            unknown(zone, "dns.hostedZone", Set.of("id", "name"));
            String zoneId = text(zone, "dns.hostedZone", "id", null);
            if (zoneId != null && !zoneId.matches("Z[A-Z0-9]{1,31}")) {
                problems.add("dns.hostedZone.id: expected a hosted zone id such as Z0123456789ABCDEFGHIJ, got \""
                        + zoneId + "\"");
            }
            String zoneName = lowerNoDot(text(zone, "dns.hostedZone", "name", null));
            JsonNode record = node.path("record");
            unknown(record, "dns.record", Set.of("name", "type", "ttl"));
            String recordName = lowerNoDot(text(record, "dns.record", "name", null));
            if (recordName != null && zoneName != null && !recordName.equals(zoneName)
                    && !recordName.endsWith("." + zoneName)) {
                problems.add("dns.record.name: expected a name in the zone " + zoneName + ", got \"" + recordName
                        + "\"");
            }
            String type = text(record, "dns.record", "type", "A");
            if (!Set.of("A", "AAAA", "CNAME").contains(type)) {
                problems.add("dns.record.type: expected A or AAAA (alias records) or CNAME, got \"" + type + "\"");
            }
            long ttl = record.path("ttl").asLong(60);
            if (record.has("ttl") && !type.equals("CNAME")) {
                problems.add("dns.record.ttl: alias records (" + type + ") have no TTL of their own; a TTL is for CNAME");
            } else if (!record.path("ttl").isMissingNode() && (!record.path("ttl").isIntegralNumber() || ttl < 0
                    || ttl > 2_147_483_647L)) {
                problems.add("dns.record.ttl: expected seconds from 0 to 2147483647, got " + record.path("ttl"));
            }
            List<RegionSpec> regions = new ArrayList<>();
            JsonNode list = node.path("regions");
            for (int i = 0; i < list.size(); i++) {
                regions.add(region(list.get(i), "dns.regions[" + i + "]", versions));
            }
            if (regions.size() < 2) {
                problems.add("dns.regions: expected at least two Regions, each with its weighted record set");
            }
            if (regions.stream().map(RegionSpec::region).distinct().count() < regions.size()) {
                problems.add("dns.regions: each Region may appear once (its name is its record set's SetIdentifier)");
            }
            int resolvers = node.path("resolvers").asInt(20);
            if (resolvers < 1 || resolvers > 100_000) {
                problems.add("dns.resolvers: expected from 1 to 100000 resolvers, got " + node.path("resolvers"));
            }
            Duration propagation = node.has("propagation") ? duration(node.path("propagation"), "dns.propagation")
                    : Duration.ofSeconds(60);
            List<ForeignChange> foreign = new ArrayList<>();
            for (int i = 0; i < node.path("foreignChanges").size(); i++) {
                JsonNode change = node.path("foreignChanges").get(i);
                String at = "dns.foreignChanges[" + i + "]";
                unknown(change, at, Set.of("at", "region", "weight"));
                String region = text(change, at, "region", null);
                if (region != null && regions.stream().noneMatch(spec -> spec.region().equals(region))) {
                    problems.add(at + ".region: expected one of the Regions of dns.regions, got \"" + region + "\"");
                }
                foreign.add(new ForeignChange(duration(change.path("at"), at + ".at"), region,
                        weight(change, at + ".weight")));
            }
            return new DnsSpec(zoneId, zoneName, recordName, type, ttl, regions, resolvers, propagation, foreign);
        }

        private RegionSpec region(JsonNode node, String at, int versions) {
            unknown(node, at, Set.of("region", "endpoint", "version", "weight", "healthCheck", "health"));
            String region = text(node, at, "region", null);
            if (region != null && !region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
                problems.add(at + ".region: expected an AWS Region such as eu-west-1, got \"" + region + "\"");
            }
            String endpoint = lowerNoDot(text(node, at, "endpoint", null));
            String version = text(node, at, "version", null);
            if (version != null && !isVersion(version, versions)) {
                problems.add(at + ".version: expected a version from 1 to " + versions);
            }
            Optional<String> healthCheckId = Optional.empty();
            String path = "/";
            JsonNode check = node.path("healthCheck");
            if (check.isObject()) {
                unknown(check, at + ".healthCheck", Set.of("id", "path"));
                healthCheckId = Optional.of(check.path("id").asText(java.util.UUID.nameUUIDFromBytes(
                        ("health-check:" + region).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString()));
                path = check.path("path").asText("/");
            } else if (check.isMissingNode() || check.isBoolean()) {
                if (check.asBoolean(true)) {
                    healthCheckId = Optional.of(java.util.UUID.nameUUIDFromBytes(("health-check:" + region)
                            .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
                }
            } else {
                problems.add(at + ".healthCheck: expected true, false or {\"id\": ..., \"path\": ...}");
            }
            List<HealthChange> health = new ArrayList<>();
            for (int i = 0; i < node.path("health").size(); i++) {
                JsonNode change = node.path("health").get(i);
                String where = at + ".health[" + i + "]";
                unknown(change, where, Set.of("at", "healthy"));
                if (!change.path("healthy").isBoolean()) {
                    problems.add(where + ".healthy: expected true or false");
                }
                health.add(new HealthChange(duration(change.path("at"), where + ".at"),
                        change.path("healthy").asBoolean()));
            }
            return new RegionSpec(region, endpoint, version, weight(node, at + ".weight"), healthCheckId, path,
                    health);
        }

        /** Route 53's weights: whole numbers from 0 to 255. */
        private long weight(JsonNode node, String at) {
            JsonNode weight = node.path("weight");
            if (!weight.isIntegralNumber() || weight.asLong() < 0 || weight.asLong() > 255) {
                problems.add(at + ": expected a Route 53 weight, a whole number from 0 to 255, got " + weight);
                return 0;
            }
            return weight.asLong();
        }

        private static String lowerNoDot(String name) {
            if (name == null) {
                return null;
            }
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
        }

        private Stop stop(JsonNode node) {
            if (!node.isObject() || !node.has("at")) {
                problems.add("stop: expected an object such as {\"at\": \"2m30s\"}");
                return new Stop(Duration.ZERO, "", "");
            }
            unknown(node, "stop", Set.of("at", "error", "cause"));
            return new Stop(duration(node.get("at"), "stop.at"), node.path("error").asText(""),
                    node.path("cause").asText(""));
        }

        /** At most one further version, not the live one, with a weight Lambda accepts. */
        private Map<String, Double> extraRouting(JsonNode node, String live, int count) {
            Map<String, Double> extra = new LinkedHashMap<>();
            if (node.isMissingNode() || node.isNull()) {
                return extra;
            }
            if (!node.isObject() || node.size() > 1) {
                problems.add("extraRouting: expected one further version and its weight, such as {\"3\": 0.2}");
                return extra;
            }
            node.fields().forEachRemaining(entry -> {
                String version = entry.getKey();
                JsonNode weight = entry.getValue();
                if (!isVersion(version, count)) {
                    problems.add("extraRouting." + version + ": expected a version from 1 to " + count);
                } else if (version.equals(live)) {
                    problems.add("extraRouting." + version + ": the live version already gets the rest of the traffic;"
                            + " name another version");
                } else if (!weight.isNumber() || !(weight.asDouble() > 0) || !(weight.asDouble() < 1)) {
                    problems.add("extraRouting." + version + ": expected a weight above 0 and below 1, got " + weight);
                } else {
                    extra.put(version, weight.asDouble());
                }
            });
            return extra;
        }

        private AlarmSpec alarm(JsonNode node, String at, String function, String alias) {
            unknown(node, at, Set.of("name", "metric", "namespace", "statistic", "comparison", "threshold",
                    "periodSeconds", "evaluationPeriods", "datapointsToAlarm", "dimensions", "treatMissingData"));
            String comparison = node.path("comparison").asText(">=");
            comparison = COMPARISONS.getOrDefault(comparison, comparison);
            if (!COMPARISONS.containsValue(comparison)) {
                problems.add(at + ".comparison: expected one of " + new TreeSet<>(COMPARISONS.keySet())
                        + " or a CloudWatch ComparisonOperator, got \"" + node.path("comparison").asText() + "\"");
            }
            if (!node.path("threshold").isNumber()) {
                problems.add(at + ".threshold: expected a number");
            }
            Map<String, String> dimensions = new LinkedHashMap<>();
            if (node.has("dimensions")) {
                node.path("dimensions").fields().forEachRemaining(entry -> dimensions.put(entry.getKey(), entry.getValue().asText()));
            } else {
                dimensions.put("FunctionName", function);
                dimensions.put("Resource", function + ":" + alias);
            }
            int evaluationPeriods = node.path("evaluationPeriods").asInt(1);
            return new AlarmSpec(text(node, at, "name", null), node.path("metric").asText("Errors"),
                    node.path("namespace").asText("AWS/Lambda"), node.path("statistic").asText("Sum"), comparison,
                    node.path("threshold").asDouble(), node.path("periodSeconds").asInt(60), evaluationPeriods,
                    node.path("datapointsToAlarm").asInt(evaluationPeriods), dimensions,
                    node.path("treatMissingData").asText("notBreaching"));
        }

        private Answer answer(JsonNode node, String at) {
            unknown(node, at, Set.of("answer", "after", "by", "comment"));
            String answer = node.path("answer").asText("approve");
            if (!Set.of("approve", "reject", "none").contains(answer)) {
                problems.add(at + ".answer: expected approve, reject or none, got \"" + answer + "\"");
            }
            Duration after = node.has("after") ? duration(node.path("after"), at + ".after") : Duration.ZERO;
            return new Answer(answer, after, node.path("by").asText("simulated approver"),
                    node.path("comment").asText(""));
        }

        private Fault fault(JsonNode node, String at) {
            unknown(node, at, Set.of("service", "operation", "times", "error", "during"));
            String service = node.path("service").asText("lambda");
            Set<String> operations = FaultableOperations.BY_SERVICE.get(service);
            if (operations == null) {
                problems.add(at + ".service: expected lambda, cloudwatch, sns, apigateway or route53, got \"" + service + "\"");
            }
            String error = node.path("error").asText("throttled");
            if (!Set.of("throttled", "serviceError").contains(error)) {
                problems.add(at + ".error: expected throttled or serviceError, got \"" + error + "\"");
            }
            String operation = text(node, at, "operation", null);
            if (operation != null && operations != null && !operations.contains(operation)) {
                problems.add(at + ".operation: expected one of " + new TreeSet<>(operations) + " for " + service
                        + ", got \"" + operation + "\"");
            }
            int times = 1;
            if (node.has("times")) {
                JsonNode count = node.get("times");
                if (!count.canConvertToInt() || !count.isIntegralNumber() || count.asInt() < 1
                        || count.asInt() > MAX_FAULT_TIMES) {
                    problems.add(at + ".times: expected a whole number from 1 to " + MAX_FAULT_TIMES + ", got " + count);
                } else {
                    times = count.asInt();
                }
            }
            Optional<String> during = node.has("during") ? Optional.of(node.path("during").asText()) : Optional.empty();
            during.filter(task -> !TaskFunctions.handlerNames().contains(task)).ifPresent(task -> problems.add(
                    at + ".during: expected the name of a task state's function, one of " + TaskFunctions.handlerNames()
                            + ", got \"" + task + "\""));
            return new Fault(service, operation, times, error, during);
        }

        private VersionBehaviour behaviour(JsonNode node, String at) {
            double errorRate = node.path("errorRate").asDouble(0);
            double latency = node.path("latencyMs").asDouble(100);
            if (errorRate < 0 || errorRate > 1) {
                problems.add(at + ".errorRate: expected a share from 0 to 1, got " + errorRate);
                return VersionBehaviour.HEALTHY;
            }
            if (latency < 0) {
                problems.add(at + ".latencyMs: expected zero or more, got " + latency);
                return VersionBehaviour.HEALTHY;
            }
            return new VersionBehaviour(errorRate, latency);
        }

        private Duration duration(JsonNode node, String at) {
            Optional<Duration> parsed = node.isIntegralNumber() ? Optional.of(Duration.ofSeconds(node.asLong()))
                    : node.isTextual() ? Durations.parse(node.asText()) : Optional.empty();
            if (parsed.isEmpty()) {
                problems.add(at + ": expected a duration such as \"90s\" or \"3m\"");
                return Duration.ZERO;
            }
            return parsed.get();
        }

        private String text(JsonNode node, String at, String field, String fallback) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                if (fallback == null) {
                    problems.add((at.isEmpty() ? "" : at + ".") + field + ": is required");
                }
                return fallback;
            }
            return value.asText();
        }

        private void unknown(JsonNode node, String at, Set<String> allowed) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    problems.add((at.isEmpty() ? "" : at + ".") + name + ": unknown field; expected one of "
                            + new TreeSet<>(allowed));
                }
            }
        }

        private static boolean isVersion(String version, int count) {
            return version.matches("[1-9][0-9]*") && Integer.parseInt(version) <= count;
        }
    }
}
