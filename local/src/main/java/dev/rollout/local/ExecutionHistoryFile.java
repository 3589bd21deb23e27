package dev.rollout.local;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.ExecutionHandle;

/** Writes an execution's history as GetExecutionHistory would list it: {@code {"events": [...]}}, indented. */
public final class ExecutionHistoryFile {
    private ExecutionHistoryFile() {
    }

    public static void write(ExecutionHandle execution, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), Map.of("events", execution.history()));
    }
}
