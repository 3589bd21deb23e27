package dev.rollout.domain;

/**
 * How much a health window saw of the new version: the invocations it served. A window without any says nothing
 * about the new version, and a verdict says so rather than calling it healthy on no evidence.
 *
 * @param invocations invocations of the new version through the alias during the window
 */
public record Evidence(String version, long invocations) {
    /** Whether the window saw the new version serve at least one request. */
    public boolean any() {
        return invocations > 0;
    }

    /** For example {@code 60 invocations of version 2}, or a warning when there were none. */
    public String describe() {
        if (!any()) {
            return "no invocations of version " + version + " in this window, so it is no evidence of its health";
        }
        return invocations + (invocations == 1 ? " invocation" : " invocations") + " of version " + version;
    }

}
