package dev.rollout.local.aws;

import java.time.Instant;
import java.util.List;

/** The outcome of one simulated burst of requests to an alias, per version that served them. */
public record InvocationBatch(String functionName, String alias, Instant timestamp, List<VersionTraffic> byVersion) {

    public InvocationBatch {
        byVersion = List.copyOf(byVersion);
    }

    public long requests() {
        return byVersion.stream().mapToLong(VersionTraffic::requests).sum();
    }

    public long errors() {
        return byVersion.stream().mapToLong(VersionTraffic::errors).sum();
    }
}
