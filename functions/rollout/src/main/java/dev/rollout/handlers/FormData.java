package dev.rollout.handlers;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The fields of an {@code application/x-www-form-urlencoded} request body, as browsers send forms. */
final class FormData {
    private final Map<String, String> fields;

    private FormData(Map<String, String> fields) {
        this.fields = fields;
    }

    /**
     * @param base64 whether API Gateway passed the body base64-encoded
     * @return the fields, the first value of each name; empty when the body is not form data
     */
    static Optional<FormData> parse(String body, boolean base64) {
        String text = body == null ? "" : body;
        Map<String, String> fields = new HashMap<>();
        try {
            if (base64) {
                text = new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
            }
            FormUrlEncoding.decode(text).forEach((name, values) -> fields.put(name, values.get(0)));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
        return Optional.of(new FormData(fields));
    }

    /** The field's value, or empty text when the form did not send it. */
    String get(String name) {
        return fields.getOrDefault(name, "");
    }
}
