package dev.rollout.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import dev.rollout.ProjectRoot;
import dev.rollout.domain.RolloutRequest;
import dev.rollout.handlers.Json;

/** The start inputs the README tells people to paste into the console are valid rollout inputs. */
class SampleInputsTest {
    private static final Path EVENTS = ProjectRoot.path().resolve("events");

    static Stream<Path> consoleInputs() throws Exception {
        try (Stream<Path> files = Files.list(EVENTS)) {
            List<Path> inputs = files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
            assertEquals(4, inputs.size(), inputs::toString);
            return inputs.stream();
        }
    }

    @ParameterizedTest(name = "{0} is a valid rollout input")
    @MethodSource("consoleInputs")
    void parses(Path input) throws Exception {
        RolloutRequest request = RolloutRequest.parse(Json.MAPPER.readTree(input.toFile()));
        assertEquals("lambda-rollout-greeter", request.functionName());
        assertFalse(request.plan().strategy().isEmpty());
    }
}
