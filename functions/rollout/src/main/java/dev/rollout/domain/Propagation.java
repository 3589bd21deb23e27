package dev.rollout.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How a change of a target takes effect when it does not at once: a Route 53 change counts once Route 53 reports it
 * {@code INSYNC} (every authoritative name server answers with it) and the answers resolvers cached before have
 * expired, one record TTL later. Until then a health check would judge the weight before the change.
 *
 * @param changeId   the change to wait for ({@code GetChange}); absent when the change was found by a read rather
 *                   than made by the call that reports it (a retried write finding its own earlier change), whose
 *                   change is then taken as in sync from the moment it was found
 * @param ttlSeconds how long resolvers may keep answering with the weights before the change
 */
public record Propagation(Optional<String> changeId, long ttlSeconds) {
    public Propagation {
        changeId = changeId == null ? Optional.empty() : changeId;
        if (ttlSeconds < 0) {
            throw new IllegalArgumentException("a TTL is not negative, got " + ttlSeconds);
        }
    }

    /** When the change counts, given the moment it was seen in sync. */
    public Instant settledAt(Instant inSync) {
        return inSync.plus(Duration.ofSeconds(ttlSeconds));
    }
}
