package dev.rollout.domain;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The opaque id in an approval link or a control link. It finds the pending approval (or the rollout) and is all a
 * person needs to decide it, so it is random (256 bits, far past guessing) and carries no meaning: the task tokens it
 * stands for never leave their table.
 */
public record Reference(String value) {
    private static final int RANDOM_BYTES = 32;
    /** 32 bytes in unpadded base64url: exactly 43 characters, so a link cut short is told from a valid one. */
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    public Reference {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("a link reference is 43 base64url characters, got "
                    + (value == null ? "null" : value.length() + " characters"));
        }
    }

    public static Reference random(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return new Reference(BASE64URL.encodeToString(bytes));
    }

    /** The reference in {@code text}, or empty when the text cannot be one (altered, cut short, padded). */
    public static Optional<Reference> parse(String text) {
        return text != null && FORM.matcher(text).matches() ? Optional.of(new Reference(text)) : Optional.empty();
    }

    /** Enough of the reference to tell approvals apart in logs, too little to decide one with. */
    public String abbreviated() {
        return value.substring(0, 6) + "...";
    }

    @Override
    public String toString() {
        return value;
    }
}
