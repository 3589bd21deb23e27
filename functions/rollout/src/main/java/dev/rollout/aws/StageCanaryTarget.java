package dev.rollout.aws;

import dev.rollout.domain.Routing;
import dev.rollout.domain.Target;
import dev.rollout.domain.TrafficTarget;
import dev.rollout.domain.Weight;

/**
 * An API Gateway stage as a rollout target: each step sets the canary's share of the stage's traffic; promotion
 * makes the canary's deployment and variables the stage's own and removes the canary; restoring removes the canary.
 * Either way no canary is left on the stage.
 */
final class StageCanaryTarget implements TrafficTarget {
    private final Stages stages;
    private final Target.StageCanary stage;
    private final String from;
    private final String to;

    StageCanaryTarget(Stages stages, Target.StageCanary stage, String from, String to) {
        this.stages = stages;
        this.stage = stage;
        this.from = from;
        this.to = to;
    }

    @Override
    public Routing read() {
        return stages.read(stage.restApiId(), stage.stage());
    }

    @Override
    public Routing shift(Weight weight, String lastSeen) {
        return stages.canary(stage.restApiId(), stage.stage(), to, weight, stage.stageVariableOverrides(), lastSeen);
    }

    @Override
    public Routing promote(String lastSeen) {
        return stages.promote(stage.restApiId(), stage.stage(), to, stage.stageVariableOverrides(), lastSeen);
    }

    @Override
    public Routing restore(String lastSeen) {
        return stages.restore(stage.restApiId(), stage.stage(), from, stage.stageVariableOverrides().keySet(),
                stage.startingVariables(), lastSeen);
    }
}
