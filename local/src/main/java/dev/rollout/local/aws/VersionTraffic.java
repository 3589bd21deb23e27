package dev.rollout.local.aws;

/** Invocations of one function version and how many of them failed. */
public record VersionTraffic(String version, long requests, long errors) {

    VersionTraffic plus(long moreRequests, long moreErrors) {
        return new VersionTraffic(version, requests + moreRequests, errors + moreErrors);
    }
}
