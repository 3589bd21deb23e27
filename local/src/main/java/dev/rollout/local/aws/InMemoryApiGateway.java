package dev.rollout.local.aws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import dev.rollout.domain.StageMetrics;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.CanarySettings;
import software.amazon.awssdk.services.apigateway.model.CreateDeploymentRequest;
import software.amazon.awssdk.services.apigateway.model.CreateDeploymentResponse;
import software.amazon.awssdk.services.apigateway.model.GetDeploymentRequest;
import software.amazon.awssdk.services.apigateway.model.GetDeploymentResponse;
import software.amazon.awssdk.services.apigateway.model.GetRestApiRequest;
import software.amazon.awssdk.services.apigateway.model.GetRestApiResponse;
import software.amazon.awssdk.services.apigateway.model.GetStageRequest;
import software.amazon.awssdk.services.apigateway.model.GetStageResponse;
import software.amazon.awssdk.services.apigateway.model.PatchOperation;
import software.amazon.awssdk.services.apigateway.model.UpdateStageRequest;
import software.amazon.awssdk.services.apigateway.model.UpdateStageResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * An in-memory API Gateway (REST APIs) behind the SDK's {@link ApiGatewayClient}: APIs, deployments, stages with
 * variables and canary settings, and simulated requests routed as API Gateway routes them.
 *
 * <p>Each API has one Lambda proxy integration whose function alias comes from a stage variable
 * ({@code function:${stageVariables.lambdaAlias}}, as in template.yaml). A request to a stage goes to the canary
 * with the canary's {@code percentTraffic} (split with carried rounding, so totals track the share exactly), and
 * runs with the stage's variables, overridden by the canary's {@code stageVariableOverrides} on the canary.
 *
 * <p>Rules kept as API Gateway keeps them: a stage's deployment must exist and cannot be replaced while a canary is
 * attached (only promoted from it with {@code copy}); {@code percentTraffic} is from 0.0 to 100.0; a patch applies
 * whole or not at all; unknown APIs, stages and deployments are {@code NotFoundException}.
 *
 * <p>Metrics ({@code AWS/ApiGateway}: {@code Count}, {@code 5XXError}, {@code 4XXError}, {@code Latency}) are
 * published under {@code {ApiName}} and {@code {ApiName, Stage}} for every request. Requests the canary serves are
 * also published under {@code {ApiName, Stage=<stage>/Canary}}. API Gateway's documentation says a canary has its
 * own metrics and names its log group {@code API-Gateway-Execution-Logs/{rest-api-id}/{stage-name}/Canary}, but its
 * dimension table does not name the canary's dimension; this follows the log group's naming (see
 * docs/targets.md).
 */
public final class InMemoryApiGateway implements ApiGatewayClient {

    static final String NAMESPACE = "AWS/ApiGateway";
    /** What a stage adds to the integration's time. */
    static final double OVERHEAD_MILLIS = 5;

    private final Clock clock;
    private final LambdaTraffic lambda;
    private final InMemoryCloudWatch cloudWatch;
    private final Map<String, Api> apis = new TreeMap<>();
    private final DiffusedRounding rounding = new DiffusedRounding();
    /** Each stage's last minute of traffic, by API id and stage name, while the next may repeat it. */
    private final Map<String, StageMinute> lastMinutes = new HashMap<>();
    private final Random ids = new Random(7);
    private final FaultInjector faults =
            new FaultInjector(Set.of("GetRestApi", "GetStage", "GetDeployment", "UpdateStage", "CreateDeployment"));

    public InMemoryApiGateway(Clock clock, LambdaTraffic lambda, InMemoryCloudWatch cloudWatch) {
        this.clock = clock;
        this.lambda = lambda;
        this.cloudWatch = cloudWatch;
    }

    public FaultInjector faults() {
        return faults;
    }

    // ---- Scenario API: setting the world up and driving traffic ----

    /**
     * A REST API whose one method invokes {@code function} through the alias named by stage variable
     * {@code aliasVariable}.
     */
    public synchronized void addRestApi(String id, String name, String function, String aliasVariable) {
        if (apis.containsKey(id)) {
            throw ApiGatewayErrors.badRequest("REST API " + id + " already exists");
        }
        apis.put(id, new Api(id, name, function, aliasVariable));
    }

    /** A deployment with a known id; {@code errorRate} of its requests fail in the gateway itself (5XX). */
    public synchronized void addDeployment(String apiId, String deploymentId, double errorRate) {
        api(apiId).deployments.put(deploymentId, new Deployment(deploymentId, errorRate, clock.instant()));
    }

    public synchronized void addStage(String apiId, String stage, String deploymentId, Map<String, String> variables) {
        Api api = api(apiId);
        api.deployment(deploymentId);
        api.stages.put(stage, new Stage(stage, deploymentId, new TreeMap<>(variables), null, clock.instant()));
    }

    /** Requests a side of a stage served, and how many of them failed (5XX). */
    public record Served(String deploymentId, boolean canary, long requests, long serverErrors) {
    }

    /** Sends {@code requests} to the stage now, split between its deployment and its canary. */
    public synchronized List<Served> invokeStage(String apiId, String stageName, long requests) {
        Api api = api(apiId);
        Stage stage = api.stage(stageName);
        List<String> keys = new ArrayList<>(List.of(canaryKey(apiId, stageName), errorsKey(apiId, stage.deploymentId)));
        if (stage.canary != null) {
            keys.add(errorsKey(apiId, stage.canary.deploymentId));
        }
        List<Double> carried = keys.stream().map(rounding::carry).toList();
        StageMinute minute = new StageMinute(clock.instant(), requests, stage, new ArrayList<>(), new ArrayList<>());
        long toCanary = stage.canary == null ? 0
                : rounding.share(canaryKey(apiId, stageName), requests, stage.canary.percentTraffic / 100);
        List<Served> served = new ArrayList<>();
        served.add(serve(api, stage, stage.deploymentId, stage.variables, false, requests - toCanary, minute));
        if (stage.canary != null) {
            Map<String, String> variables = new TreeMap<>(stage.variables);
            variables.putAll(stage.canary.overrides);
            served.add(serve(api, stage, stage.canary.deploymentId, variables, true, toCanary, minute));
        }
        // A minute that left every rounding error as it found it is one the next minute repeats, given the same
        // numbers from Lambda: only then may minutes like it be sent at once.
        String key = apiId + "/" + stageName;
        if (keys.stream().map(rounding::carry).toList().equals(carried)) {
            lastMinutes.put(key, minute);
        } else {
            lastMinutes.remove(key);
        }
        return List.copyOf(served);
    }

    /**
     * Sends the stage {@code minutes} more minutes of {@code requests}, one every {@code interval} from now on, at
     * once, when each would repeat the minute just sent in every number (the stage and its canary unchanged, every
     * batch the aliases behind them serve alike, no rounding error carried on) and no alarm could change state
     * meanwhile (the caller has nothing else happen until the last): what calling {@link #invokeStage} at each of those
     * times and evaluating the alarms after each would do. Returns the time of the last, or empty when they must be
     * sent one at a time.
     */
    public synchronized Optional<Instant> continueSteadily(String apiId, String stageName, long requests,
                                                           Duration interval, long minutes) {
        Api api = api(apiId);
        StageMinute minute = lastMinutes.get(apiId + "/" + stageName);
        Instant now = clock.instant();
        if (minutes < 1 || minute == null || !minute.at().equals(now) || minute.requests() != requests
                || minute.stage() != api.stage(stageName)) {
            return Optional.empty();
        }
        Map<MetricId, DatapointValues> continuing = new HashMap<>();
        List<LambdaTraffic.SteadyContinuation> aliases = new ArrayList<>();
        for (Map.Entry<String, Long> side : minute.aliases()) {
            Optional<LambdaTraffic.SteadyContinuation> next =
                    lambda.steadyContinuation(api.function, side.getKey(), side.getValue(), interval);
            if (next.isEmpty() || !next.get().everyBatchAlike()) {
                return Optional.empty();
            }
            continuing.putAll(next.get().continuing());
            aliases.add(next.get());
        }
        Instant last = now.plus(interval.multipliedBy(minutes));
        Map<Datapoint, Integer> datapoints = new LinkedHashMap<>();
        minute.published().forEach(datapoint -> datapoints.merge(datapoint, 1, Integer::sum));
        for (Map.Entry<Datapoint, Integer> each : datapoints.entrySet()) {
            Datapoint datapoint = each.getKey();
            List<DatapointValues> runs = cloudWatch.extendable(datapoint.metric(), last, datapoint.aggregate(),
                    datapoint.unit(), interval);
            if (runs.size() < each.getValue()) {
                return Optional.empty();
            }
            continuing.putIfAbsent(datapoint.metric(), runs.get(0));
        }
        if (!cloudWatch.alarmsSettled(continuing)) {
            return Optional.empty();
        }
        aliases.forEach(alias -> alias.send(minutes));
        for (Datapoint datapoint : minute.published()) {
            cloudWatch.extend(datapoint.metric(), last, datapoint.aggregate(), datapoint.unit(), interval);
        }
        lastMinutes.put(apiId + "/" + stageName,
                new StageMinute(last, requests, minute.stage(), minute.aliases(), minute.published()));
        return Optional.of(last);
    }

    private static String canaryKey(String apiId, String stageName) {
        return "canary:" + apiId + "/" + stageName;
    }

    private static String errorsKey(String apiId, String deploymentId) {
        return "errors:" + apiId + "/" + deploymentId;
    }

    private Served serve(Api api, Stage stage, String deploymentId, Map<String, String> variables, boolean canary,
                         long requests, StageMinute minute) {
        if (requests == 0) {
            return new Served(deploymentId, canary, 0, 0);
        }
        Instant now = clock.instant();
        // Without the alias the integration cannot be invoked: API Gateway answers 500 Internal server error.
        long lambdaErrors = requests;
        double latency = OVERHEAD_MILLIS;
        String alias = variables.get(api.aliasVariable);
        if (alias != null) {
            try {
                InvocationBatch batch = lambda.invokeAlias(api.function, alias, requests);
                minute.aliases().add(Map.entry(alias, requests));
                lambdaErrors = batch.errors();
                double total = 0;
                for (VersionTraffic traffic : batch.byVersion()) {
                    total += traffic.requests() * lambda.latencyMillis(api.function, traffic.version());
                }
                latency = total / requests + OVERHEAD_MILLIS;
            } catch (ResourceNotFoundException noSuchAlias) {
                lambdaErrors = requests;
            }
        }
        Deployment deployment = api.deployment(deploymentId);
        long gatewayErrors = rounding.share(errorsKey(api.id, deploymentId), requests - lambdaErrors,
                deployment.errorRate);
        long errors = lambdaErrors + gatewayErrors;
        publish(api, stage.name, canary, requests, errors, latency, now, minute.published());
        return new Served(deploymentId, canary, requests, errors);
    }

    /** A metric's datapoint. */
    private record Datapoint(MetricId metric, Aggregate aggregate, StandardUnit unit) {
    }

    /**
     * A stage's minute of traffic: when, how many requests, the stage as it was, the aliases its two sides invoked
     * with how many requests each, and the datapoints it published.
     */
    private record StageMinute(Instant at, long requests, Stage stage, List<Map.Entry<String, Long>> aliases,
                               List<Datapoint> published) {
    }

    private void publish(Api api, String stage, boolean canary, long n, long errors, double latency, Instant at,
                         List<Datapoint> published) {
        // API Gateway publishes the name without its characters that are not ASCII, or the id when none is left.
        Dimension apiName = dimension("ApiName", StageMetrics.apiNameDimension(api.name, api.id));
        List<List<Dimension>> sets = canary
                ? List.of(List.of(apiName), List.of(apiName, dimension("Stage", stage)),
                        List.of(apiName, dimension("Stage", stage + "/Canary")))
                : List.of(List.of(apiName), List.of(apiName, dimension("Stage", stage)));
        for (List<Dimension> dimensions : sets) {
            record(dimensions, "Count", new Aggregate(n, n, 1, 1), StandardUnit.COUNT, at, published);
            record(dimensions, "5XXError", new Aggregate(n, errors, errors == n ? 1 : 0, errors > 0 ? 1 : 0),
                    StandardUnit.COUNT, at, published);
            record(dimensions, "4XXError", new Aggregate(n, 0, 0, 0), StandardUnit.COUNT, at, published);
            record(dimensions, "Latency", new Aggregate(n, n * latency, latency, latency), StandardUnit.MILLISECONDS,
                    at, published);
        }
    }

    private void record(List<Dimension> dimensions, String metric, Aggregate aggregate, StandardUnit unit,
                        Instant at, List<Datapoint> published) {
        MetricId id = MetricId.of(NAMESPACE, metric, dimensions);
        cloudWatch.record(id, at, aggregate, unit);
        published.add(new Datapoint(id, aggregate, unit));
    }

    private static Dimension dimension(String name, String value) {
        return Dimension.builder().name(name).value(value).build();
    }

    // ---- ApiGatewayClient ----

    @Override
    public synchronized GetRestApiResponse getRestApi(GetRestApiRequest request) {
        faults.enter("GetRestApi");
        Api api = api(request.restApiId());
        return GetRestApiResponse.builder().id(api.id).name(api.name).build();
    }

    @Override
    public synchronized GetStageResponse getStage(GetStageRequest request) {
        faults.enter("GetStage");
        Stage stage = api(request.restApiId()).stage(request.stageName());
        return GetStageResponse.builder()
                .stageName(stage.name)
                .deploymentId(stage.deploymentId)
                .variables(stage.variables)
                .canarySettings(stage.canary == null ? null : stage.canary.settings())
                .lastUpdatedDate(stage.lastUpdated)
                .build();
    }

    @Override
    public synchronized GetDeploymentResponse getDeployment(GetDeploymentRequest request) {
        faults.enter("GetDeployment");
        Deployment deployment = api(request.restApiId()).deployment(request.deploymentId());
        return GetDeploymentResponse.builder().id(deployment.id).createdDate(deployment.created).build();
    }

    @Override
    public synchronized CreateDeploymentResponse createDeployment(CreateDeploymentRequest request) {
        faults.enter("CreateDeployment");
        if (request.stageName() != null || request.canarySettings() != null) {
            // With a stage name API Gateway also moves (or creates) that stage: nothing in a rollout may do so.
            throw new UnsupportedOperationException("CreateDeployment with a stage name or canary settings moves a"
                    + " stage; the in-memory API Gateway creates deployments without a stage only");
        }
        Api api = api(request.restApiId());
        String id = newId(6);
        api.deployments.put(id, new Deployment(id, 0, clock.instant()));
        return CreateDeploymentResponse.builder().id(id).createdDate(clock.instant())
                .description(request.description()).build();
    }

    @Override
    public synchronized UpdateStageResponse updateStage(UpdateStageRequest request) {
        faults.enter("UpdateStage");
        Api api = api(request.restApiId());
        Stage current = api.stage(request.stageName());
        Stage next = current.copy();
        for (PatchOperation operation : request.patchOperations()) {
            apply(api, next, operation);
        }
        next.lastUpdated = clock.instant();
        // A patch applies whole or not at all.
        api.stages.put(next.name, next);
        return UpdateStageResponse.builder()
                .stageName(next.name)
                .deploymentId(next.deploymentId)
                .variables(next.variables)
                .canarySettings(next.canary == null ? null : next.canary.settings())
                .lastUpdatedDate(next.lastUpdated)
                .build();
    }

    private static void apply(Api api, Stage stage, PatchOperation operation) {
        String op = operation.opAsString();
        String path = operation.path() == null ? "" : operation.path();
        switch (op) {
            case "replace" -> replace(api, stage, path, operation.value());
            case "remove" -> remove(stage, path);
            case "copy" -> copy(stage, operation.from(), path);
            default -> throw ApiGatewayErrors.badRequest("Invalid patch operation specified. Must be one of:"
                    + " [replace, copy, remove] for path " + path);
        }
    }

    private static void replace(Api api, Stage stage, String path, String value) {
        if (path.equals("/deploymentId")) {
            api.deployment(value);
            if (stage.canary != null) {
                throw ApiGatewayErrors.badRequest("Stage " + stage.name + " has a canary: it cannot be associated"
                        + " with another deployment until the canary settings are removed");
            }
            stage.deploymentId = value;
        } else if (path.startsWith("/variables/")) {
            stage.variables.put(path.substring("/variables/".length()), value);
        } else if (path.startsWith("/canarySettings/")) {
            Canary canary = stage.canary == null
                    ? new Canary(stage.deploymentId, 0, new TreeMap<>(), false)
                    : stage.canary;
            String field = path.substring("/canarySettings/".length());
            if (field.equals("deploymentId")) {
                api.deployment(value);
                canary = new Canary(value, canary.percentTraffic, canary.overrides, canary.useStageCache);
            } else if (field.equals("percentTraffic")) {
                double percent = percent(value);
                canary = new Canary(canary.deploymentId, percent, canary.overrides, canary.useStageCache);
            } else if (field.equals("useStageCache")) {
                canary = new Canary(canary.deploymentId, canary.percentTraffic, canary.overrides,
                        Boolean.parseBoolean(value));
            } else if (field.startsWith("stageVariableOverrides/")) {
                Map<String, String> overrides = new TreeMap<>(canary.overrides);
                overrides.put(field.substring("stageVariableOverrides/".length()), value);
                canary = new Canary(canary.deploymentId, canary.percentTraffic, overrides, canary.useStageCache);
            } else {
                throw invalidPath(path);
            }
            stage.canary = canary;
        } else {
            throw invalidPath(path);
        }
    }

    private static void remove(Stage stage, String path) {
        if (path.equals("/canarySettings")) {
            stage.canary = null;
        } else if (path.startsWith("/variables/")) {
            stage.variables.remove(path.substring("/variables/".length()));
        } else {
            throw invalidPath(path);
        }
    }

    /** The two copies that promote a canary: its deployment, and its variables (merged into the stage's). */
    private static void copy(Stage stage, String from, String path) {
        if (stage.canary == null) {
            throw ApiGatewayErrors.badRequest("Stage " + stage.name + " has no canary settings to copy from");
        }
        if ("/canarySettings/deploymentId".equals(from) && path.equals("/deploymentId")) {
            stage.deploymentId = stage.canary.deploymentId;
        } else if ("/canarySettings/stageVariableOverrides".equals(from) && path.equals("/variables")) {
            stage.variables.putAll(stage.canary.overrides);
        } else {
            throw invalidPath(from + " -> " + path);
        }
    }

    private static double percent(String value) {
        try {
            double percent = Double.parseDouble(value);
            if (percent < 0 || percent > 100) {
                throw ApiGatewayErrors.badRequest("Canary traffic percentage must be between 0.0 and 100.0");
            }
            return percent;
        } catch (NumberFormatException notANumber) {
            throw ApiGatewayErrors.badRequest("Invalid value for percentTraffic: " + value);
        }
    }

    private static RuntimeException invalidPath(String path) {
        return ApiGatewayErrors.badRequest("Invalid patch path " + path);
    }

    private Api api(String id) {
        Api api = apis.get(id);
        if (api == null) {
            throw ApiGatewayErrors.notFound("Invalid API identifier specified " + id);
        }
        return api;
    }

    private String newId(int length) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < length; i++) {
            id.append(alphabet.charAt(ids.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }

    private static final class Api {
        final String id;
        final String name;
        final String function;
        final String aliasVariable;
        final Map<String, Deployment> deployments = new LinkedHashMap<>();
        final Map<String, Stage> stages = new TreeMap<>();

        Api(String id, String name, String function, String aliasVariable) {
            this.id = id;
            this.name = name;
            this.function = function;
            this.aliasVariable = aliasVariable;
        }

        Deployment deployment(String id) {
            Deployment deployment = deployments.get(id);
            if (deployment == null) {
                throw ApiGatewayErrors.notFound("Invalid Deployment identifier specified");
            }
            return deployment;
        }

        Stage stage(String name) {
            Stage stage = stages.get(name);
            if (stage == null) {
                throw ApiGatewayErrors.notFound("Invalid Stage identifier specified");
            }
            return stage;
        }
    }

    private record Deployment(String id, double errorRate, Instant created) {
    }

    private record Canary(String deploymentId, double percentTraffic, Map<String, String> overrides,
                          boolean useStageCache) {
        CanarySettings settings() {
            return CanarySettings.builder().deploymentId(deploymentId).percentTraffic(percentTraffic)
                    .stageVariableOverrides(overrides).useStageCache(useStageCache).build();
        }
    }

    private static final class Stage {
        final String name;
        String deploymentId;
        final Map<String, String> variables;
        Canary canary;
        Instant lastUpdated;

        Stage(String name, String deploymentId, Map<String, String> variables, Canary canary, Instant lastUpdated) {
            this.name = name;
            this.deploymentId = deploymentId;
            this.variables = variables;
            this.canary = canary;
            this.lastUpdated = lastUpdated;
        }

        Stage copy() {
            return new Stage(name, deploymentId, new TreeMap<>(variables), canary, lastUpdated);
        }
    }
}
