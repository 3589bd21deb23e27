package dev.rollout.aws;

import java.util.Optional;
import java.util.function.UnaryOperator;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Problems;
import dev.rollout.domain.RolloutRequest;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Target;
import dev.rollout.domain.TrafficTarget;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The one place that picks the adapter for a kind of {@link Target}: every handler that reads or moves traffic goes
 * through here, so a new kind is a new adapter and a new case below, and nothing else.
 */
public final class Targets {
    private final Aliases aliases;
    private final Stages stages;

    public Targets(LambdaClient lambda, ApiGatewayClient apiGateway) {
        this.aliases = new Aliases(lambda);
        this.stages = new Stages(apiGateway);
    }

    /** The rollout's target, bound to its two sides. */
    public TrafficTarget open(PreparedRollout rollout) {
        Target target = rollout.target();
        if (target instanceof Target.LambdaAlias alias) {
            return new AliasTarget(aliases, alias, rollout.fromVersion(), rollout.toVersion());
        }
        if (target instanceof Target.StageCanary stage) {
            return new StageCanaryTarget(stages, stage, rollout.fromVersion(), rollout.toVersion());
        }
        throw unknown(target);
    }

    /**
     * Reads the target a request names, before anything moves, and records every problem with it: what does not
     * exist, and what the kind cannot roll out.
     *
     * @param fieldName how a message names an input field (after the tag or stack parameter it came from)
     * @return where the target's traffic is, or empty when it cannot be read
     */
    public Optional<Routing> inspect(RolloutRequest request, UnaryOperator<String> fieldName, Problems problems) {
        Target target = request.target();
        if (target instanceof Target.LambdaAlias alias) {
            return inspectAlias(alias, request, fieldName, problems);
        }
        if (target instanceof Target.StageCanary stage) {
            return inspectStage(stage, request, problems);
        }
        throw unknown(target);
    }

    /** Java 17 has no exhaustive switch over a sealed type: a kind added to Target without a case lands here. */
    private static IllegalStateException unknown(Target target) {
        return new IllegalStateException("no adapter for targets of kind " + target.getClass().getSimpleName());
    }

    private Optional<Routing> inspectStage(Target.StageCanary target, RolloutRequest request, Problems problems) {
        Optional<Routing> stage = stages.find(target.restApiId(), target.stage());
        if (stage.isEmpty()) {
            problems.add("target.stage", "REST API " + target.restApiId() + " has no stage \"" + target.stage()
                    + "\" in this account and region (or the API does not exist)");
            return stage;
        }
        if (!stages.deploymentExists(target.restApiId(), request.targetVersion())) {
            problems.add("target.deploymentId", "REST API " + target.restApiId() + " has no deployment \""
                    + request.targetVersion() + "\"; create it first (aws apigateway create-deployment)");
        } else if (!stage.get().isSplit() && stage.get().primary().equals(request.targetVersion())) {
            problems.add("target.deploymentId", "stage " + target.stage() + " already serves deployment "
                    + request.targetVersion() + "; there is nothing to roll out");
        }
        return stage;
    }

    private Optional<Routing> inspectAlias(Target.LambdaAlias target, RolloutRequest request,
                                           UnaryOperator<String> fieldName, Problems problems) {
        String function = target.functionName();
        if (!aliases.functionExists(function)) {
            problems.add("functionName", "no Lambda function named \"" + function + "\" exists in this account and region");
            return Optional.empty();
        }
        Optional<Routing> alias = aliases.find(function, target.alias());
        if (alias.isEmpty()) {
            problems.add(fieldName.apply("alias"), "function " + function + " has no alias \"" + target.alias()
                    + "\"; create it on the version that serves traffic today");
        } else if (alias.get().primary().equals("$LATEST") && !request.plan().weights().isEmpty()) {
            problems.add(fieldName.apply("alias"), "alias " + target.alias() + " serves $LATEST, and Lambda splits"
                    + " traffic only between published versions; point it at a published version first, or roll out"
                    + " with AllAtOnce");
        }
        if (!aliases.versionExists(function, request.targetVersion())) {
            problems.add("targetVersion", "version " + request.targetVersion() + " of " + function
                    + " does not exist; publish it first (aws lambda publish-version)");
        } else if (alias.isPresent() && !alias.get().isSplit()
                && alias.get().primary().equals(request.targetVersion())) {
            problems.add("targetVersion", "alias " + target.alias() + " already serves version "
                    + request.targetVersion() + "; there is nothing to roll out");
        }
        return alias;
    }
}
