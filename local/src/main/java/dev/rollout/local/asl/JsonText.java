package dev.rollout.local.asl;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes trees as JSON text, the way the Step Functions API carries them, through one generator and buffer reused
 * for every tree: an execution writes a few hundred texts into its history. One per thread: it is not reentrant.
 */
final class JsonText {
    private final StringBuilder buffer = new StringBuilder(1024);
    private final JsonGenerator generator;
    private final SerializerProvider serializers = Json.MAPPER.getSerializerProviderInstance();

    JsonText() {
        try {
            this.generator = Json.MAPPER.getFactory().createGenerator(new Writer() {
                @Override
                public void write(char[] characters, int offset, int length) {
                    buffer.append(characters, offset, length);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            });
            generator.setRootValueSeparator(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String write(JsonNode node) {
        try {
            node.serialize(generator, serializers);
            generator.flush();
            return buffer.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("A JSON tree could not be written as text", e);
        } finally {
            buffer.setLength(0);
        }
    }
}
