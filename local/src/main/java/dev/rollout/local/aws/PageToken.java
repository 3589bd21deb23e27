package dev.rollout.local.aws;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Opaque pagination tokens that name the last item a page returned, so a listing resumes correctly even when items
 * were added between pages.
 */
final class PageToken {

    private PageToken() {
    }

    static String encode(String kind, String lastItem) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + lastItem).getBytes(StandardCharsets.UTF_8));
    }

    /** The last item of the previous page, or empty for a token that this kind of listing never issued. */
    static Optional<String> decode(String kind, String token) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            return decoded.startsWith(kind + ":")
                    ? Optional.of(decoded.substring(kind.length() + 1))
                    : Optional.empty();
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }
}
