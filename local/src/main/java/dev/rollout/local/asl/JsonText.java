package dev.rollout.local.asl;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Iterator;
import java.util.Map;

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

    /**
     * @param known texts already written for some containers, by identity: a tree that holds one of them (a task
     *              payload holding {@code $rollout}) has it copied in rather than written again; trees never change
     */
    String write(JsonNode node, Map<JsonNode, String> known) {
        try {
            writeTree(node, known);
            generator.flush();
            return buffer.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("A JSON tree could not be written as text", e);
        } finally {
            buffer.setLength(0);
        }
    }

    private void writeTree(JsonNode node, Map<JsonNode, String> known) throws IOException {
        if (!node.isContainerNode()) {
            node.serialize(generator, serializers);
            return;
        }
        String text = known.get(node);
        if (text != null) {
            generator.writeRawValue(text);
        } else if (node.isObject()) {
            generator.writeStartObject();
            for (Iterator<Map.Entry<String, JsonNode>> members = node.fields(); members.hasNext(); ) {
                Map.Entry<String, JsonNode> member = members.next();
                generator.writeFieldName(member.getKey());
                writeTree(member.getValue(), known);
            }
            generator.writeEndObject();
        } else {
            generator.writeStartArray();
            for (JsonNode element : node) {
                writeTree(element, known);
            }
            generator.writeEndArray();
        }
    }
}
