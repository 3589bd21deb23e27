package dev.rollout.aws;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import dev.rollout.domain.Admission;
import dev.rollout.domain.AlarmStatus;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.RolloutRequest;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Target;
import dev.rollout.domain.TrafficTarget;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The one place that picks the adapter for a kind of {@link Target}: every handler that reads or moves traffic goes
 * through here. A new kind is a record in {@link Target} (with its input in {@code TargetInput} and its wording in
 * {@code Admission}), an adapter in this package, and a case in each method below.
 */
public final class Targets {
    private final Aliases aliases;
    private final Supplier<ApiGatewayClient> apiGateway;
    private Stages stages;

    public Targets(LambdaClient lambda, ApiGatewayClient apiGateway) {
        this(lambda, () -> apiGateway);
    }

    /**
     * @param apiGateway built the first time a stage canary is read or moved: a container that only ever moves
     *                   aliases never loads the API Gateway client and its HTTP client
     */
    public Targets(LambdaClient lambda, Supplier<ApiGatewayClient> apiGateway) {
        this.aliases = new Aliases(lambda);
        this.apiGateway = apiGateway;
    }

    private synchronized Stages stages() {
        if (stages == null) {
            stages = new Stages(apiGateway.get());
        }
        return stages;
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
        throw unknown(target);
    }

    /**
     * Reads what admission judges about the target a request names, before anything moves: whether its owner
     * exists, where its traffic is, and whether the side to roll out exists.
     *
     * @param alarms the watched alarms' states, read by the caller
     */
    public Admission.Found inspect(RolloutRequest request, List<AlarmStatus> alarms) {
        Target target = request.target();
        if (target instanceof Target.LambdaAlias alias) {
            String function = alias.functionName();
            Optional<Routing> routing = aliases.find(function, alias.alias());
            // An existing target version proves the function exists: only a missing one costs a second call to tell
            // "no such function" from "no such version".
            boolean targetExists = aliases.versionExists(function, request.targetVersion());
            if (!targetExists && !aliases.functionExists(function)) {
                return Admission.Found.noOwner(alarms);
            }
            return new Admission.Found(true, routing, targetExists, alarms);
        }
        if (target instanceof Target.StageCanary stage) {
            Optional<Routing> routing = stages().find(stage.restApiId(), stage.stage());
            if (routing.isEmpty()) {
                return Admission.Found.noOwner(alarms);
            }
            // A deployment still to be created is not looked for: Prepare creates it once the request is admitted.
            return new Admission.Found(true, routing, !request.sideToCreate()
                    && stages().deploymentExists(stage.restApiId(), request.targetVersion()), alarms);
        }
        throw unknown(target);
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
        return target;
    }

    /** Java 17 has no exhaustive switch over a sealed type: a kind added to Target without a case lands here. */
    private static IllegalStateException unknown(Target target) {
        return new IllegalStateException("no adapter for targets of kind " + target.getClass().getSimpleName());
    }
}
