package dev.rollout.statemachine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.rollout.ProjectRoot;

/** How the hook states in statemachine/rollout.asl.json read a hook's answer, evaluated with a real JSONata. */
class HookStatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode STATES;

    static {
        try {
            STATES = JSON.readTree(ProjectRoot.resolve("statemachine/rollout.asl.json").toFile()).path("States");
        } catch (IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    private static Object evaluate(JsonNode field, Map<String, Object> variables) {
        String text = field.asText();
        Jsonata expression = Jsonata.jsonata(text.substring(2, text.length() - 2));
        Jsonata.Frame frame = expression.createFrame();
        variables.forEach(frame::bind);
        return expression.evaluate(null, frame);
    }

    /** Variables after HookAnswered got {@code answerJson} from the pre- or post-traffic hook, without a final bake. */
    private static Map<String, Object> answered(String moment, String answerJson) throws IOException {
        return answered(moment, answerJson, 0);
    }

    private static Map<String, Object> answered(String moment, String answerJson, long finalBakeSeconds)
            throws IOException {
        Map<String, Object> variables = new HashMap<>();
        variables.put("rollout", Map.of("finalBakeSeconds", finalBakeSeconds));
        variables.put("hookMoment", moment);
        variables.put("hookName", moment.equals("preTraffic") ? "pre-traffic hook smoke" : "post-traffic hook e2e");
        Map<String, Object> states = new HashMap<>();
        states.put("input", JSON.readValue("{\"answer\": " + answerJson + "}", Object.class));
        variables.put("states", states);
        return variables;
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("a pre-traffic hook that succeeded lets the plan begin", "preTraffic",
                        "{\"status\": \"Succeeded\"}", "NextStep", ""),
                Arguments.of("a post-traffic hook that succeeded has the window since promotion judged, then the rollout"
                                + " ends promoted", "postTraffic",
                        "{\"status\": \"Succeeded\", \"message\": \"fine\"}", "CheckHealth", ""),
                Arguments.of("a hook that failed is quoted", "preTraffic",
                        "{\"status\": \"Failed\", \"message\": \"GET / answered 500\"}", "HookRefused",
                        "pre-traffic hook smoke failed: GET / answered 500"),
                Arguments.of("a hook that failed without a message says only that", "postTraffic",
                        "{\"status\": \"Failed\"}", "HookRefused", "post-traffic hook e2e failed"),
                Arguments.of("any other status fails, saying what came back", "preTraffic",
                        "{\"status\": \"succeeded\"}", "HookRefused",
                        "pre-traffic hook smoke answered {\"status\":\"succeeded\"} instead of {\"status\": \"Succeeded\"}"),
                Arguments.of("an answer that is not an object fails", "preTraffic", "\"Succeeded\"", "HookRefused",
                        "pre-traffic hook smoke answered Succeeded instead of {\"status\": \"Succeeded\"}"),
                Arguments.of("a hook returning null fails", "postTraffic", "null", "HookRefused",
                        "post-traffic hook e2e answered null instead of {\"status\": \"Succeeded\"}"));
    }

    @Test
    void aPostTrafficHookThatSucceededGoesOnToTheFinalBakeWhenTheRolloutHasOne() throws IOException {
        assertEquals("FinalBake", next(answered("postTraffic", "{\"status\": \"Succeeded\"}", 300)));
    }

    private static String next(Map<String, Object> variables) {
        for (JsonNode choice : STATES.path("HookAnswered").path("Choices")) {
            if (Boolean.TRUE.equals(evaluate(choice.path("Condition"), variables))) {
                return choice.path("Next").asText();
            }
        }
        return STATES.path("HookAnswered").path("Default").asText();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void hookAnsweredGoesOnOnlyOnSucceeded(String sentence, String moment, String answer, String next, String cause)
            throws IOException {
        Map<String, Object> variables = answered(moment, answer);
        List<String> matching = new ArrayList<>();
        for (JsonNode choice : STATES.path("HookAnswered").path("Choices")) {
            if (Boolean.TRUE.equals(evaluate(choice.path("Condition"), variables))) {
                matching.add(choice.path("Next").asText());
            }
        }
        String went = matching.isEmpty() ? STATES.path("HookAnswered").path("Default").asText() : matching.get(0);
        assertEquals(next, went);
        if (went.equals("HookRefused")) {
            JsonNode failure = STATES.at("/HookRefused/Assign/failure");
            assertEquals("Rollout.HookFailed", failure.path("Error").asText());
            assertEquals(cause, evaluate(failure.path("Cause"), variables));
        }
    }
}
