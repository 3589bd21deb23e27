package dev.rollout.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import dev.rollout.ProjectRoot;
import dev.rollout.domain.SharedJson;
import dev.rollout.handlers.Json;
import org.junit.jupiter.api.Test;

/** A function's JVM builds one Jackson mapper: each extra one builds its caches again at cold start. */
class OneObjectMapperTest {
    private static final Pattern BUILDS_A_MAPPER =
            Pattern.compile("new\\s+(?:ObjectMapper|JsonMapper)\\s*\\(|JsonMapper\\s*\\.\\s*builder\\s*\\(|MAPPER\\s*\\.\\s*copy\\s*\\(");

    @Test
    void theRolloutFunctionsBuildTheirMapperInOnePlaceOnly() throws IOException {
        List<String> builders;
        try (Stream<Path> sources = Files.walk(ProjectRoot.resolve("functions/rollout/src/main/java"))) {
            builders = sources.filter(source -> source.toString().endsWith(".java"))
                    .filter(source -> BUILDS_A_MAPPER.matcher(read(source)).find())
                    .map(source -> source.getFileName().toString()).toList();
        }
        assertEquals(List.of("SharedJson.java"), builders);
    }

    @Test
    void theHandlersJsonHelpersUseThatMapper() {
        assertSame(SharedJson.MAPPER, Json.MAPPER);
    }

    private static String read(Path source) {
        try {
            return Files.readString(source);
        } catch (IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }
}
