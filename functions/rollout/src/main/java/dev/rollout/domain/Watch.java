package dev.rollout.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A rollout's wait (a bake, an approval) that a watched alarm entering ALARM interrupts: the wait's task token,
 * listed under the alarm until {@code until}, when the wait has ended on its own.
 *
 * @param executionArn the waiting rollout, for the record
 */
public record Watch(String alarmName, TaskToken token, String executionArn, Instant until) {
    /** Prefix of the attribute that holds a watch in its alarm's item; the rest is {@link #id()}. */
    public static final String ATTRIBUTE_PREFIX = "watch_";

    /** A short stable name for the token, usable as an attribute name: the token itself may be 1 KB long. */
    public String id() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.value().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException never) {
            throw new IllegalStateException("every Java runtime provides SHA-256", never);
        }
    }

    public boolean endedBy(Instant now) {
        return !now.isBefore(until);
    }
}
