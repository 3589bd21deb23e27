package dev.rollout.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import dev.rollout.domain.Admission;
import dev.rollout.domain.AlarmStatus;
import dev.rollout.domain.Lookups;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Problems;
import dev.rollout.domain.RecordWeights;
import dev.rollout.domain.Propagation;
import dev.rollout.domain.RolloutRequest;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Target;
import dev.rollout.domain.TrafficTarget;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The one place that picks the adapter for a kind of {@link Target}: every handler that reads or moves traffic goes
 * through here. A new kind is a record in {@link Target} (with its input in {@code TargetInput} and its wording in
 * {@code Admission}), an adapter in this package, and a case in each method below.
 */
public final class Targets {
    private final Aliases aliases;
    private final Supplier<ApiGatewayClient> apiGateway;
    private final Supplier<Route53Client> route53;
    private final Supplier<CloudWatchClient> route53Metrics;
    private Stages stages;
    private WeightedRecords records;
    private HealthCheckHistory healthCheckHistory;

    public Targets(LambdaClient lambda, ApiGatewayClient apiGateway) {
        this(lambda, () -> apiGateway);
    }

    /** For a runtime without Route 53: a Route 53 rollout is refused with a message saying so. */
    public Targets(LambdaClient lambda, Supplier<ApiGatewayClient> apiGateway) {
        this(lambda, apiGateway, () -> {
            throw new IllegalStateException("this runtime was built without a Route 53 client");
        }, () -> {
            throw new IllegalStateException("this runtime was built without Route 53's CloudWatch");
        });
    }

    /**
     * @param apiGateway built the first time a stage canary is read or moved: a container that only ever moves
     *                   aliases never loads the API Gateway client and its HTTP client
     * @param route53    likewise, built the first time weighted records are read or moved
     * @param route53Metrics CloudWatch in us-east-1, where Route 53 publishes its health checks' status; likewise
     */
    public Targets(LambdaClient lambda, Supplier<ApiGatewayClient> apiGateway, Supplier<Route53Client> route53,
                   Supplier<CloudWatchClient> route53Metrics) {
        this.aliases = new Aliases(lambda);
        this.apiGateway = apiGateway;
        this.route53 = route53;
        this.route53Metrics = route53Metrics;
    }

    private synchronized Stages stages() {
        if (stages == null) {
            stages = new Stages(apiGateway.get());
        }
        return stages;
    }

    private synchronized WeightedRecords records() {
        if (records == null) {
            records = new WeightedRecords(route53.get());
        }
        return records;
    }

    private synchronized HealthCheckHistory healthCheckHistory() {
        if (healthCheckHistory == null) {
            healthCheckHistory = new HealthCheckHistory(route53Metrics.get());
        }
        return healthCheckHistory;
    }

    /** The rollout's target, bound to its two sides. */
    public TrafficTarget open(PreparedRollout rollout) {
        Target target = rollout.target();
        if (target instanceof Target.LambdaAlias alias) {
            return new AliasTarget(aliases, alias, rollout.fromVersion(), rollout.toVersion());
        }
        if (target instanceof Target.StageCanary stage) {
            return new StageCanaryTarget(stages(), stage, rollout.fromVersion(), rollout.toVersion());
        }
        if (target instanceof Target.Route53Weighted weighted) {
            return new WeightedRecordsTarget(records(), weighted);
        }
        throw unknown(target);
    }

    /**
     * Reads what admission judges about the target an input names, before anything moves: whether its owner exists,
     * where its traffic is, and whether the side to roll out exists. Only what {@code lookups} holds is asked about,
     * so an input with problems elsewhere has its well-formed parts checked and nothing malformed is sent.
     *
     * @param alarms the watched alarms' states, read by the caller
     */
    public Admission.Found inspect(Lookups lookups, List<AlarmStatus> alarms) {
        if (lookups.owner().isEmpty()) {
            return new Admission.Found(true, Optional.empty(), false, alarms);
        }
        String owner = lookups.owner().get();
        switch (lookups.kind()) {
            case LAMBDA_ALIAS -> {
                Optional<Routing> routing = lookups.target()
                        .flatMap(target -> aliases.find(owner, ((Target.LambdaAlias) target).alias()));
                // An existing alias or target version proves the function exists: only when neither was found does
                // a further call tell "no such function" from "no such alias or version".
                boolean targetExists = lookups.to().map(version -> aliases.versionExists(owner, version)).orElse(false);
                if (routing.isEmpty() && !targetExists && !aliases.functionExists(owner)) {
                    return Admission.Found.noOwner(alarms);
                }
                return new Admission.Found(true, routing, targetExists, alarms);
            }
            case STAGE_CANARY -> {
                Optional<Routing> routing = Optional.empty();
                if (lookups.target().isPresent()) {
                    routing = stages().find(owner, ((Target.StageCanary) lookups.target().get()).stage());
                    if (routing.isEmpty()) {
                        return Admission.Found.noOwner(alarms);
                    }
                }
                // A deployment still to be created is not looked for (Lookups has no side then): Prepare creates it
                // once the request is admitted.
                boolean deploymentExists = lookups.to()
                        .map(deployment -> stages().deploymentExists(owner, deployment)).orElse(false);
                return new Admission.Found(true, routing, deploymentExists, alarms);
            }
            case ROUTE53_WEIGHTED -> {
                // The zone is read through the record's sets, so Lookups names it only with a whole target.
                Target.Route53Weighted weighted = (Target.Route53Weighted) lookups.target().orElseThrow();
                Optional<WeightedRecords.Group> group = records().find(weighted);
                if (group.isEmpty()) {
                    return Admission.Found.noOwner(alarms);
                }
                refuseOthersServing(weighted, group.get());
                // Without the "to" record set there is no pair to read; the "from" one alone says the target exists,
                // and the missing side is the one problem named.
                Optional<Routing> routing = group.get().pair().map(WeightedRecords.Pair::routing)
                        .or(() -> group.get().weighted(weighted.from())
                                .map(from -> Routing.whole(weighted.from(), "", RecordWeights.UNIT)));
                return new Admission.Found(true, routing, group.get().weighted(weighted.to()).isPresent(), alarms);
            }
            default -> throw new IllegalStateException("no adapter for targets of kind " + lookups.kind());
        }
    }

    /**
     * The side an admitted request rolls out: the one its input names, or for a stage canary whose input names no
     * deployment, a deployment of the stage's API as it is now, created here (CreateDeployment without a stage: no
     * stage moves). A retried Prepare creates another; only the one its rollout records is ever routed to.
     */
    public String side(RolloutRequest request) {
        if (request.sideToCreate()) {
            Target.StageCanary stage = (Target.StageCanary) request.target();
            return stages().createDeployment(stage.restApiId(), "Canary of stage " + stage.stage()
                    + ", created by lambda-rollout");
        }
        return request.targetVersion();
    }

    /**
     * The target as the rollout carries it, once admitted: with what a rollback needs that only the account knows (a
     * stage's variables before its canary's overrides), and the name a stage's metrics are published under.
     */
    public Target prepared(Target target) {
        if (target instanceof Target.StageCanary stage) {
            return stage.prepared(stages().variables(stage.restApiId(), stage.stage()),
                    stages().metricsApiName(stage.restApiId()));
        }
        if (target instanceof Target.Route53Weighted weighted) {
            return weighted.startingWith(records().read(weighted).weights());
        }
        return target;
    }

    /**
     * A step's percent is the {@code to} record's share of the name's queries only while no other weighted record set
     * of the name and type receives any: refused otherwise, before anything moves.
     */
    private static void refuseOthersServing(Target.Route53Weighted target, WeightedRecords.Group group) {
        Map<String, Long> others = group.othersServing();
        if (!others.isEmpty()) {
            Problems problems = new Problems();
            problems.add("target.recordName", "record " + target.title() + " also sends queries to weighted record"
                    + " sets " + others + " (SetIdentifier=weight), so no step's percent would be the share of queries"
                    + " \"" + target.to() + "\" receives; set their weights to 0 first");
            problems.throwIfAny();
        }
    }

    /**
     * A target that checks its own sides' health besides the rollout's alarms: Route 53 fails queries over from a
     * record set whose health check fails, so a window is healthy only when every record set receiving queries passed
     * its health check at every moment of the window ({@code HealthCheckStatus}) and passes it now
     * ({@code GetHealthCheckStatus}); one without a health check passes. Other kinds have no health checks of their own.
     *
     * @throws Rollout.HealthCheckFailed naming the record set (SetIdentifier) whose health check failed
     */
    public void requireHealthChecks(PreparedRollout rollout, Instant since, Instant now) {
        if (!(rollout.target() instanceof Target.Route53Weighted weighted)) {
            return;
        }
        WeightedRecords.Pair pair = records().read(weighted);
        List<String> failing = new ArrayList<>();
        if (pair.weights().fromServes()) {
            failing.addAll(unhealthy(pair.from(), since, now));
        }
        if (pair.weights().toServes()) {
            failing.addAll(unhealthy(pair.to(), since, now));
        }
        if (!failing.isEmpty()) {
            throw new Rollout.HealthCheckFailed("unhealthy: " + String.join("; ", failing) + " (record "
                    + weighted.title() + "; Route 53 answers with the other record set while it fails)");
        }
    }

    private List<String> unhealthy(ResourceRecordSet set, Instant since, Instant now) {
        if (set.healthCheckId() == null) {
            return List.of();
        }
        String recordSet = "record set \"" + set.setIdentifier() + "\"";
        Optional<String> failingNow = records().unhealthy(set.healthCheckId())
                .map(reason -> recordSet + " fails its Route 53 " + reason);
        if (failingNow.isPresent()) {
            return List.of(failingNow.get());
        }
        return healthCheckHistory().firstUnhealthy(set.healthCheckId(), since, now)
                .map(at -> List.of(recordSet + " failed its Route 53 health check " + set.healthCheckId()
                        + " in the minute from " + at + " (HealthCheckStatus 0), healthy again now"))
                .orElse(List.of());
    }

    /**
     * When a change that takes effect later counts: once Route 53 reports it in sync, one record TTL later.
     *
     * @param now when this is asked; a change found by a read rather than made counts as in sync from here
     * @throws Rollout.ChangePending while Route 53 still propagates the change
     */
    public Instant settledAt(Propagation propagation, Instant now) {
        if (propagation.changeId().isPresent() && !records().inSync(propagation.changeId().get())) {
            throw new Rollout.ChangePending("Route 53 change " + propagation.changeId().get()
                    + " is still PENDING: not every Route 53 name server answers with the new weights yet");
        }
        return propagation.settledAt(now);
    }

    /** Java 17 has no exhaustive switch over a sealed type: a kind added to Target without a case lands here. */
    private static IllegalStateException unknown(Target target) {
        return new IllegalStateException("no adapter for targets of kind " + target.getClass().getSimpleName());
    }
}
