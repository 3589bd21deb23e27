package dev.rollout.handlers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.rollout.domain.MetricRules;
import dev.rollout.domain.OnTimeout;
import dev.rollout.domain.PreparedRollout;
import dev.rollout.domain.Step;
import dev.rollout.domain.Target;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Work done before Lambda takes a function's SnapStart snapshot (an org.crac {@code beforeCheckpoint} hook), so that
 * a restored environment's first request finds it done: Jackson's serializers and deserializers for the rollout
 * document every task reads and writes, built and compiled. The SDK clients are already built by then (the handler's
 * constructor); no call is made here, and nothing unique or secret is created: one snapshot serves many environments.
 */
final class Priming implements Resource {
    /** org.crac holds resources weakly: this one stays reachable for the JVM's life. */
    private static final Priming INSTANCE = new Priming();
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();
    private static final int ROUNDS = 200;

    private Priming() {
    }

    /** Called by every handler's constructor; registers the hook once per JVM. */
    static void register() {
        if (REGISTERED.compareAndSet(false, true)) {
            Core.getGlobalContext().register(INSTANCE);
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: credentials come from the container endpoint, approval references are drawn per request.
    }

    /** Round-trips a rollout document as the tasks do; returns what the last round read back. */
    static PreparedRollout prime() {
        PreparedRollout rollout = new PreparedRollout(new Target.LambdaAlias("orders", "live"), "1", "2", "Canary10Percent5Minutes",
                List.of(new Step.Shift(10), new Step.Bake(300), new Step.Approval(3600, OnTimeout.ROLLBACK)),
                List.of("orders-errors"), "", "2026-01-05T09:00:00Z", 300, MetricRules.DEFAULTS);
        PreparedRollout read = rollout;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                JsonNode tree = Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(Json.MAPPER.valueToTree(read)));
                read = Json.MAPPER.treeToValue(tree, PreparedRollout.class);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the rollout document does not round-trip", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return read;
    }
}
