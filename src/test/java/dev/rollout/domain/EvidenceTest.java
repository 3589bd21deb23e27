package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EvidenceTest {

    static Stream<Arguments> windows() {
        return Stream.of(
                Arguments.of("a window of a few seconds is counted by the minute", Duration.ofSeconds(5), 60),
                Arguments.of("a day fits 1,440 one-minute datapoints", Duration.ofDays(1), 60),
                Arguments.of("two days need two-minute datapoints", Duration.ofDays(2), 120),
                Arguments.of("beyond fifteen days CloudWatch keeps five-minute data", Duration.ofDays(16), 1_200),
                Arguments.of("beyond 63 days CloudWatch keeps hourly data", Duration.ofDays(364), 25_200));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void asksForPeriodsCloudWatchCanAnswerInOneCall(String sentence, Duration window, int expected) {
        assertEquals(expected, Evidence.periodSeconds(window));
    }

    static Stream<Arguments> descriptions() {
        return Stream.of(
                Arguments.of("invocations are counted", new Evidence("2", 60), "60 invocations of version 2"),
                Arguments.of("one invocation is one", new Evidence("2", 1), "1 invocation of version 2"),
                Arguments.of("none is said to be no evidence", new Evidence("2", 0),
                        "no invocations of version 2 in this window, so it is no evidence of its health"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("descriptions")
    void saysWhatTheWindowSaw(String sentence, Evidence evidence, String expected) {
        assertEquals(expected, evidence.describe());
    }
}
