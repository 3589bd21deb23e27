package dev.rollout.local.aws;

import java.time.Instant;

/** An immutable published version, or the {@code $LATEST} working copy. */
record FunctionVersion(String version, String codeSha256, String description, Instant lastModified,
        String revisionId) {

    static final String LATEST = "$LATEST";
}
