package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EvidenceTest {

    static Stream<Arguments> descriptions() {
        return Stream.of(
                Arguments.of("invocations are counted", new Evidence("2", 60), "60 invocations of version 2"),
                Arguments.of("one invocation is one", new Evidence("2", 1), "1 invocation of version 2"),
                Arguments.of("none is said to be no evidence", new Evidence("2", 0),
                        "no invocations of version 2 in this window, so it is no evidence of its health"),
                Arguments.of("a canary's requests are counted", Evidence.canaryRequests("d2", 300),
                        "300 requests to the canary (deployment d2)"),
                Arguments.of("a canary without requests is said to be no evidence", Evidence.canaryRequests("d2", 0),
                        "no requests to the canary (deployment d2) in this window, so it is no evidence of its"
                                + " health"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptions")
    void saysWhatTheWindowSaw(String sentence, Evidence evidence, String expected) {
        assertEquals(expected, evidence.describe());
    }
}
