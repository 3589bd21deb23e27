package dev.rollout.local.aws;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasConfiguration;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;
import software.amazon.awssdk.services.lambda.model.CreateAliasRequest;
import software.amazon.awssdk.services.lambda.model.CreateAliasResponse;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;
import software.amazon.awssdk.services.lambda.model.GetAliasRequest;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.GetFunctionRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionResponse;
import software.amazon.awssdk.services.lambda.model.LastUpdateStatus;
import software.amazon.awssdk.services.lambda.model.ListAliasesRequest;
import software.amazon.awssdk.services.lambda.model.ListAliasesResponse;
import software.amazon.awssdk.services.lambda.model.ListTagsRequest;
import software.amazon.awssdk.services.lambda.model.ListTagsResponse;
import software.amazon.awssdk.services.lambda.model.ListVersionsByFunctionRequest;
import software.amazon.awssdk.services.lambda.model.ListVersionsByFunctionResponse;
import software.amazon.awssdk.services.lambda.model.PackageType;
import software.amazon.awssdk.services.lambda.model.PublishVersionRequest;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.TagResourceRequest;
import software.amazon.awssdk.services.lambda.model.TagResourceResponse;
import software.amazon.awssdk.services.lambda.model.UntagResourceRequest;
import software.amazon.awssdk.services.lambda.model.UntagResourceResponse;
import software.amazon.awssdk.services.lambda.model.UpdateAliasRequest;
import software.amazon.awssdk.services.lambda.model.UpdateAliasResponse;

/**
 * Lambda functions, versions and aliases in memory, with Lambda's validation and errors. Traffic through the
 * aliases is simulated by {@link LambdaTraffic}.
 */
public final class InMemoryLambda implements LambdaClient {

    private static final Pattern ALIAS_NAME = Pattern.compile("(?!^[0-9]+$)([a-zA-Z0-9-_]+)");
    private static final Pattern VERSION = Pattern.compile("\\$LATEST|[0-9]+");
    private static final Pattern FUNCTION_ARN = Pattern.compile(
            "arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d:\\d{12}:function:[a-zA-Z0-9-_]+"
                    + "(?::(?:\\$LATEST|[a-zA-Z0-9-_]+))?");
    private static final int MAX_ALIAS_NAME_LENGTH = 128;
    private static final int DEFAULT_MAX_ITEMS = 50;
    private static final int MAX_ITEMS_LIMIT = 10_000;

    private final Clock clock;
    private final AwsAccount account;
    private final Map<String, LambdaFunction> functions = new TreeMap<>();
    private final FaultInjector faults = new FaultInjector(Set.of("GetFunction", "GetFunctionConfiguration",
            "PublishVersion", "ListVersionsByFunction", "CreateAlias", "GetAlias", "UpdateAlias", "ListAliases",
            "ListTags", "TagResource", "UntagResource"));

    public InMemoryLambda(Clock clock) {
        this(clock, AwsAccount.DEFAULT);
    }

    public InMemoryLambda(Clock clock, AwsAccount account) {
        this.clock = clock;
        this.account = account;
    }

    // ---- Scenario API: setting the world up ----

    /** Creates a function with only {@code $LATEST}; returns its ARN. */
    public synchronized String addFunction(String name) {
        String parsed = FunctionReference.parseUnqualified(name, account);
        if (functions.containsKey(parsed)) {
            throw LambdaErrors.conflict("Function already exist: " + parsed);
        }
        LambdaFunction function = new LambdaFunction(parsed, account, clock.instant());
        functions.put(parsed, function);
        return function.arn();
    }

    /** Deploys new code to {@code $LATEST} and publishes it, as a deployment does; returns the new version. */
    public synchronized String publishNewVersion(String functionName) {
        LambdaFunction function = function(functionName);
        function.deployNewCode(clock.instant());
        return function.publish("", clock.instant()).version();
    }

    // ---- for LambdaTraffic: what an invocation needs to know, by Lambda's rules ----

    /** An alias and the name of the function it belongs to. */
    record AliasOf(String functionName, FunctionAlias alias) {
    }

    /** The alias an invocation goes through; Lambda's not-found errors for a missing function or alias. */
    synchronized AliasOf aliasOf(String functionName, String aliasName) {
        LambdaFunction function = function(functionName);
        return new AliasOf(function.name(), function.alias(aliasName));
    }

    /** The name of the function {@code functionName} (a name or ARN) refers to; not found if there is none. */
    synchronized String functionName(String functionName) {
        return function(functionName).name();
    }

    /** The function's name, once {@code version} is known to exist ({@code $LATEST} or published). */
    synchronized String requireVersion(String functionName, String version) {
        LambdaFunction function = function(functionName);
        function.version(version);
        return function.name();
    }

    /** Plans failures of this service's operations, named as in the Lambda API (e.g. {@code UpdateAlias}). */
    public FaultInjector faults() {
        return faults;
    }

    // ---- LambdaClient ----

    @Override
    public synchronized GetFunctionResponse getFunction(GetFunctionRequest request) {
        faults.enter("GetFunction");
        FunctionReference reference = FunctionReference.parse(request.functionName(), request.qualifier(), account);
        LambdaFunction function = function(reference);
        return GetFunctionResponse.builder()
                .configuration(configuration(function, reference))
                .tags(function.tags())
                .build();
    }

    @Override
    public synchronized GetFunctionConfigurationResponse getFunctionConfiguration(
            GetFunctionConfigurationRequest request) {
        faults.enter("GetFunctionConfiguration");
        FunctionReference reference = FunctionReference.parse(request.functionName(), request.qualifier(), account);
        return SdkShapes.copy(configuration(function(reference), reference),
                GetFunctionConfigurationResponse.builder()).build();
    }

    @Override
    public synchronized PublishVersionResponse publishVersion(PublishVersionRequest request) {
        faults.enter("PublishVersion");
        LambdaFunction function = function(request.functionName());
        FunctionVersion latest = function.latest();
        if (request.revisionId() != null && !request.revisionId().equals(latest.revisionId())) {
            throw LambdaErrors.revisionMismatch();
        }
        if (request.codeSha256() != null && !request.codeSha256().equals(latest.codeSha256())) {
            throw LambdaErrors.invalidParameter("CodeSHA256 (" + request.codeSha256()
                    + ") is different from current CodeSHA256 in $LATEST (" + latest.codeSha256()
                    + "). Please try again with the CodeSHA256 in $LATEST.");
        }
        FunctionVersion version = function.publish(request.description(), clock.instant());
        return SdkShapes.copy(configuration(function, version, function.arn(version.version())),
                PublishVersionResponse.builder()).build();
    }

    @Override
    public synchronized ListVersionsByFunctionResponse listVersionsByFunction(ListVersionsByFunctionRequest request) {
        faults.enter("ListVersionsByFunction");
        LambdaFunction function = function(request.functionName());
        Page<FunctionConfiguration> page = Page.of(
                function.versions().stream()
                        .map(v -> configuration(function, v, function.arn(v.version())))
                        .toList(),
                FunctionConfiguration::version, "versions", request.marker(), maxItems(request.maxItems()));
        return ListVersionsByFunctionResponse.builder().versions(page.items()).nextMarker(page.nextToken()).build();
    }

    @Override
    public synchronized CreateAliasResponse createAlias(CreateAliasRequest request) {
        faults.enter("CreateAlias");
        LambdaFunction function = function(request.functionName());
        checkAliasName(request.name());
        checkVersion(request.functionVersion());
        function.version(request.functionVersion());
        function.findAlias(request.name()).ifPresent(existing -> {
            throw LambdaErrors.conflict("Alias already exists: " + function.arn(existing.name()));
        });
        Map<String, Double> weights = weights(request.routingConfig());
        AliasRoutingRules.check(request.functionVersion(), weights, function::version);
        FunctionAlias alias = new FunctionAlias(request.name(), request.functionVersion(),
                request.description() == null ? "" : request.description(), weights, LambdaFunction.newRevisionId());
        function.putAlias(alias);
        return SdkShapes.copy(aliasConfiguration(function, alias), CreateAliasResponse.builder()).build();
    }

    @Override
    public synchronized GetAliasResponse getAlias(GetAliasRequest request) {
        faults.enter("GetAlias");
        LambdaFunction function = function(request.functionName());
        return SdkShapes.copy(aliasConfiguration(function, function.alias(request.name())),
                GetAliasResponse.builder()).build();
    }

    /**
     * Omitted fields keep their value; a RoutingConfig without weights removes the routing. The resulting alias is
     * checked as a whole, so moving the primary version onto the additional one needs the routing removed in the
     * same call, as in Lambda.
     */
    @Override
    public synchronized UpdateAliasResponse updateAlias(UpdateAliasRequest request) {
        faults.enter("UpdateAlias");
        LambdaFunction function = function(request.functionName());
        FunctionAlias current = function.alias(request.name());
        if (request.revisionId() != null && !request.revisionId().equals(current.revisionId())) {
            throw LambdaErrors.revisionMismatch();
        }
        String version = current.functionVersion();
        if (request.functionVersion() != null) {
            checkVersion(request.functionVersion());
            function.version(request.functionVersion());
            version = request.functionVersion();
        }
        Map<String, Double> weights = request.routingConfig() != null
                ? weights(request.routingConfig())
                : current.additionalWeights();
        AliasRoutingRules.check(version, weights, function::version);
        FunctionAlias updated = new FunctionAlias(current.name(), version,
                request.description() != null ? request.description() : current.description(), weights,
                LambdaFunction.newRevisionId());
        function.putAlias(updated);
        return SdkShapes.copy(aliasConfiguration(function, updated), UpdateAliasResponse.builder()).build();
    }

    /** With FunctionVersion, only the aliases that invoke that version, as primary or additional version. */
    @Override
    public synchronized ListAliasesResponse listAliases(ListAliasesRequest request) {
        faults.enter("ListAliases");
        LambdaFunction function = function(request.functionName());
        if (request.functionVersion() != null) {
            checkVersion(request.functionVersion());
        }
        Page<AliasConfiguration> page = Page.of(
                function.aliases().stream()
                        .filter(a -> request.functionVersion() == null || a.invokes(request.functionVersion()))
                        .map(a -> aliasConfiguration(function, a))
                        .toList(),
                AliasConfiguration::name, "aliases", request.marker(), maxItems(request.maxItems()));
        return ListAliasesResponse.builder().aliases(page.items()).nextMarker(page.nextToken()).build();
    }

    @Override
    public synchronized ListTagsResponse listTags(ListTagsRequest request) {
        faults.enter("ListTags");
        return ListTagsResponse.builder().tags(taggedFunction(request.resource()).tags()).build();
    }

    @Override
    public synchronized TagResourceResponse tagResource(TagResourceRequest request) {
        faults.enter("TagResource");
        LambdaFunction function = taggedFunction(request.resource());
        function.tags().putAll(request.tags());
        return TagResourceResponse.builder().build();
    }

    @Override
    public synchronized UntagResourceResponse untagResource(UntagResourceRequest request) {
        faults.enter("UntagResource");
        LambdaFunction function = taggedFunction(request.resource());
        request.tagKeys().forEach(function.tags()::remove);
        return UntagResourceResponse.builder().build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        // Nothing to release: the state lives as long as the object.
    }

    // ---- helpers ----

    /** The function an unqualified name or ARN refers to. */
    private LambdaFunction function(String functionName) {
        return functionNamed(FunctionReference.parseUnqualified(functionName, account));
    }

    private LambdaFunction function(FunctionReference reference) {
        return functionNamed(reference.name());
    }

    private LambdaFunction functionNamed(String name) {
        LambdaFunction function = functions.get(name);
        if (function == null) {
            throw LambdaErrors.notFound("Function not found: " + account.arn("lambda", "function:" + name));
        }
        return function;
    }

    /** Tags belong to functions only, addressed by ARN. */
    private LambdaFunction taggedFunction(String resource) {
        if (resource == null || !FUNCTION_ARN.matcher(resource).matches()) {
            throw LambdaErrors.validation(String.valueOf(resource), "resource",
                    "Member must satisfy regular expression pattern: " + FUNCTION_ARN.pattern());
        }
        FunctionReference reference = FunctionReference.parse(resource, account);
        if (reference.qualifier().isPresent()) {
            throw LambdaErrors.invalidParameter(
                    "Tags on function aliases and versions are not supported. Please specify a function ARN.");
        }
        return functionNamed(reference.name());
    }

    /** The configuration a qualifier resolves to: {@code $LATEST}, a version, or an alias's primary version. */
    private FunctionConfiguration configuration(LambdaFunction function, FunctionReference reference) {
        if (reference.qualifier().isEmpty()) {
            return configuration(function, function.latest(), function.arn());
        }
        String qualifier = reference.qualifier().get();
        String qualifiedArn = function.arn(qualifier);
        if (VERSION.matcher(qualifier).matches()) {
            return configuration(function, function.version(qualifier), qualifiedArn);
        }
        FunctionAlias alias = function.findAlias(qualifier)
                .orElseThrow(() -> LambdaErrors.notFound("Function not found: " + qualifiedArn));
        return configuration(function, function.version(alias.functionVersion()), qualifiedArn);
    }

    private FunctionConfiguration configuration(LambdaFunction function, FunctionVersion version, String arn) {
        return FunctionConfiguration.builder()
                .functionName(function.name())
                .functionArn(arn)
                .runtime(Runtime.JAVA21)
                .role(account.globalArn("iam", "role/" + function.name() + "-role"))
                .handler("example.Handler::handleRequest")
                .codeSha256(version.codeSha256())
                .description(version.description())
                .timeout(30)
                .memorySize(512)
                // Lambda's LastModified uses the same format as CloudWatch's JSON timestamps.
                .lastModified(Json.timestamp(version.lastModified()))
                .version(version.version())
                .revisionId(version.revisionId())
                .state(State.ACTIVE)
                .lastUpdateStatus(LastUpdateStatus.SUCCESSFUL)
                .packageType(PackageType.ZIP)
                .build();
    }

    private static AliasConfiguration aliasConfiguration(LambdaFunction function, FunctionAlias alias) {
        return AliasConfiguration.builder()
                .aliasArn(function.arn(alias.name()))
                .name(alias.name())
                .functionVersion(alias.functionVersion())
                .description(alias.description())
                .routingConfig(alias.additionalWeights().isEmpty() ? null
                        : AliasRoutingConfiguration.builder().additionalVersionWeights(alias.additionalWeights())
                                .build())
                .revisionId(alias.revisionId())
                .build();
    }

    private static Map<String, Double> weights(AliasRoutingConfiguration routing) {
        return routing == null || !routing.hasAdditionalVersionWeights()
                ? Map.of()
                : routing.additionalVersionWeights();
    }

    private static void checkAliasName(String name) {
        if (name == null || name.length() > MAX_ALIAS_NAME_LENGTH || !ALIAS_NAME.matcher(name).matches()) {
            throw LambdaErrors.validation(String.valueOf(name), "name",
                    "Member must satisfy regular expression pattern: " + ALIAS_NAME.pattern()
                            + " and have length less than or equal to " + MAX_ALIAS_NAME_LENGTH);
        }
    }

    private static void checkVersion(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw LambdaErrors.validation(String.valueOf(version), "functionVersion",
                    "Member must satisfy regular expression pattern: " + VERSION.pattern());
        }
    }

    private static int maxItems(Integer requested) {
        int maxItems = requested != null ? requested : DEFAULT_MAX_ITEMS;
        if (maxItems < 1 || maxItems > MAX_ITEMS_LIMIT) {
            throw LambdaErrors.validation(String.valueOf(maxItems), "maxItems",
                    "Member must have value between 1 and " + MAX_ITEMS_LIMIT);
        }
        return maxItems;
    }

    /** One page of a listing and the marker of the next, or null when this is the last page. */
    private record Page<T>(List<T> items, String nextToken) {

        static <T> Page<T> of(List<T> all, Function<T, String> key, String kind, String marker, int maxItems) {
            int from = 0;
            if (marker != null) {
                String last = PageToken.decode(kind, marker)
                        .orElseThrow(() -> LambdaErrors.invalidParameter("Invalid Marker: " + marker));
                from = all.stream().map(key).toList().indexOf(last) + 1;
                if (from == 0) {
                    throw LambdaErrors.invalidParameter("Invalid Marker: " + marker);
                }
            }
            int to = Math.min(all.size(), from + maxItems);
            List<T> items = all.subList(from, to);
            return new Page<>(items, to < all.size() ? PageToken.encode(kind, key.apply(items.get(items.size() - 1)))
                    : null);
        }
    }
}
