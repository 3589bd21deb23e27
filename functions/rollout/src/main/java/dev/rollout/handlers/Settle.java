package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import dev.rollout.aws.Clients;
import dev.rollout.aws.Targets;
import dev.rollout.domain.Propagation;
import dev.rollout.domain.Routing;

/**
 * Waits, with the state machine, for a change of traffic that does not take effect at once: a Route 53 change counts
 * once {@code GetChange} reports it {@code INSYNC} and the answers resolvers cached before it have expired, one TTL
 * later. Until Route 53 reports it in sync this fails with {@code Rollout.ChangePending}, which the state machine
 * retries; then it tells until when the state machine waits ({@code settledAt}) before the next bake or check, so
 * that no window judges the weights before the change.
 *
 * <p>Input: {@code propagation}, as {@link ShiftTraffic} and {@link Promote} return it. Output: {@code settledAt},
 * {@code weight} (the new side's share it settles into) and a {@code summary}.
 */
public final class Settle extends TaskHandler {
    private final Targets targets;
    private final Clock clock;

    public Settle() {
        this(Clients.targets(), Clock.systemUTC());
    }

    public Settle(Targets targets, Clock clock) {
        this.targets = targets;
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        JsonNode node = input.path("propagation");
        if (!node.isObject()) {
            throw new IllegalArgumentException("task input \"propagation\" must be the object ShiftTraffic or Promote"
                    + " returned, got " + node + "; check the state machine's Arguments");
        }
        Optional<String> changeId = node.hasNonNull("changeId") ? Optional.of(node.get("changeId").asText())
                : Optional.empty();
        Propagation propagation = new Propagation(changeId, node.path("ttlSeconds").asLong());
        // Whole seconds, rounded up: a Wait state's Timestamp is RFC 3339, and waiting less would judge cached answers.
        Instant exact = targets.settledAt(propagation, clock.instant());
        Instant settledAt = exact.truncatedTo(ChronoUnit.SECONDS);
        if (settledAt.isBefore(exact)) {
            settledAt = settledAt.plusSeconds(1);
        }
        ObjectNode output = Json.object();
        output.put("settledAt", settledAt.toString());
        output.put("weight", node.path("weight").asInt());
        String until = settledAt.toString();
        output.put("summary", changeId.map(id -> "change " + id + " is in sync").orElse("the change is in place")
                + "; resolvers may answer from their caches for " + propagation.ttlSeconds() + " s more, until "
                + until);
        return output;
    }

    /**
     * What a move of traffic tells the state machine to wait for: {@code null} when it took effect at once, else the
     * change, the TTL and the new side's share it settles into.
     */
    static JsonNode propagation(Routing routing, int weight) {
        if (routing.propagation().isEmpty()) {
            return Json.MAPPER.nullNode();
        }
        Propagation propagation = routing.propagation().get();
        ObjectNode node = Json.object();
        propagation.changeId().ifPresentOrElse(id -> node.put("changeId", id), () -> node.putNull("changeId"));
        node.put("ttlSeconds", propagation.ttlSeconds());
        node.put("weight", weight);
        return node;
    }
}
