package dev.rollout.aws;

import java.util.Optional;
import java.util.function.UnaryOperator;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Problems;
import dev.rollout.domain.RolloutRequest;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Target;
import dev.rollout.domain.TrafficTarget;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The one place that picks the adapter for a kind of {@link Target}: every handler that reads or moves traffic goes
 * through here, so a new kind is a new adapter and a new case below, and nothing else.
 */
public final class Targets {
    private final Aliases aliases;

    public Targets(LambdaClient lambda) {
        this.aliases = new Aliases(lambda);
    }

    /** The rollout's target, bound to its two sides. */
    public TrafficTarget open(PreparedRollout rollout) {
        Target target = rollout.target();
        if (target instanceof Target.LambdaAlias alias) {
            return new AliasTarget(aliases, alias, rollout.fromVersion(), rollout.toVersion());
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
        throw unknown(target);
    }

    /** Java 17 has no exhaustive switch over a sealed type: a kind added to Target without a case lands here. */
    private static IllegalStateException unknown(Target target) {
        return new IllegalStateException("no adapter for targets of kind " + target.getClass().getSimpleName());
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
