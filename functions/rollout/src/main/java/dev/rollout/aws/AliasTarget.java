package dev.rollout.aws;

import java.util.Optional;
import dev.rollout.domain.Routing;
import dev.rollout.domain.Target;
import dev.rollout.domain.TrafficTarget;
import dev.rollout.domain.Weight;

/** A Lambda alias as a rollout target: weighted {@code RoutingConfig}, each write guarded by {@code RevisionId}. */
final class AliasTarget implements TrafficTarget {
    private final Aliases aliases;
    private final Target.LambdaAlias alias;
    private final String from;
    private final String to;

    AliasTarget(Aliases aliases, Target.LambdaAlias alias, String from, String to) {
        this.aliases = aliases;
        this.alias = alias;
        this.from = from;
        this.to = to;
    }

    @Override
    public Routing read() {
        return aliases.read(alias.functionName(), alias.alias());
    }

    @Override
    public Routing shift(Weight weight, String lastSeen) {
        return aliases.route(alias.functionName(), alias.alias(), from, Optional.of(to), weight, lastSeen);
    }

    @Override
    public Routing promote(String lastSeen) {
        return aliases.route(alias.functionName(), alias.alias(), to, Optional.empty(), Weight.NONE, lastSeen);
    }

    @Override
    public Routing restore(String lastSeen) {
        return aliases.route(alias.functionName(), alias.alias(), from, Optional.empty(), Weight.NONE, lastSeen);
    }
}
