package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OnTimeoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> wireNames() {
        return Stream.of(
                Arguments.of("rollback is read as rolling back", "rollback", Optional.of(OnTimeout.ROLLBACK)),
                Arguments.of("promote is read as promoting", "promote", Optional.of(OnTimeout.PROMOTE)),
                Arguments.of("the enum constant's own spelling is not a wire name", "PROMOTE", Optional.empty()),
                Arguments.of("an unknown word is nothing", "continue", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wireNames")
    void readsWireNames(String sentence, String text, Optional<OnTimeout> expected) {
        assertEquals(expected, OnTimeout.fromWireName(text));
    }

    static Stream<Arguments> approvalSteps() {
        return Stream.of(
                Arguments.of("an approval step that rolls back on silence says rollback to the state machine",
                        new Step.Approval(60, OnTimeout.ROLLBACK), "{\"type\":\"Approval\",\"timeoutSeconds\":60,"
                                + "\"onTimeout\":\"rollback\"}"),
                Arguments.of("an approval step that promotes on silence says promote to the state machine",
                        new Step.Approval(3600, OnTimeout.PROMOTE), "{\"type\":\"Approval\",\"timeoutSeconds\":3600,"
                                + "\"onTimeout\":\"promote\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("approvalSteps")
    void approvalStepsTravelAsTheStateMachineReadsThem(String sentence, Step.Approval step, String json)
            throws Exception {
        assertEquals(json, JSON.writeValueAsString((Step) step));
        assertEquals(step, JSON.readValue(json, Step.class));
    }
}
