package dev.rollout.domain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one Jackson mapper of a function's JVM, configured once: building a mapper and its serializer caches is a
 * visible share of a cold start, and every copy would build them again. Handlers reach it as
 * {@code dev.rollout.handlers.Json.MAPPER}.
 */
public final class SharedJson {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            // Newer state machine definitions may pass fields older handlers do not know yet.
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private SharedJson() {
    }
}
