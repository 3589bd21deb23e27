package dev.rollout.local.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;

/** Appends published messages to a file, one JSON object a line, for people and tools outside the JVM to read. */
final class MessageJournal {

    private final Path file;

    MessageJournal(Path file) {
        this.file = file;
    }

    void append(PublishedMessage m) {
        ObjectNode line = Json.MAPPER.createObjectNode();
        line.put("timestamp", m.timestamp().toString());
        line.put("messageId", m.messageId());
        line.put("topicArn", m.topicArn());
        line.put("subject", m.subject());
        line.put("message", m.message());
        ObjectNode attributes = line.putObject("messageAttributes");
        for (Map.Entry<String, MessageAttributeValue> e : m.messageAttributes().entrySet()) {
            ObjectNode value = attributes.putObject(e.getKey()).put("DataType", e.getValue().dataType());
            if (e.getValue().binaryValue() != null) {
                value.put("BinaryValue", Base64.getEncoder().encodeToString(e.getValue().binaryValue().asByteArray()));
            } else {
                value.put("StringValue", e.getValue().stringValue());
            }
        }
        try {
            Files.writeString(file, Json.write(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("could not append the published message to " + file, e);
        }
    }
}
