package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HealthCheckTest {
    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant END = Instant.parse("2026-11-22T10:05:00Z");

    private static AlarmStatus status(String state, String since) {
        return new AlarmStatus("errors", state, Instant.parse(since), "threshold crossed");
    }

    private static AlarmTransition change(String at, String from, String to) {
        return new AlarmTransition("errors", Instant.parse(at), from, to, "reason " + to);
    }

    static Stream<Arguments> windows() {
        return Stream.of(
                Arguments.of("an alarm that stayed OK is healthy",
                        status("OK", "2026-11-21T00:00:00Z"), List.of(), true),
                Arguments.of("an alarm in ALARM now is unhealthy",
                        status("ALARM", "2026-11-22T10:03:00Z"), List.of(change("2026-11-22T10:03:00Z", "OK", "ALARM")), false),
                Arguments.of("an alarm that fired and cleared inside the window is unhealthy",
                        status("OK", "2026-11-22T10:04:00Z"),
                        List.of(change("2026-11-22T10:02:00Z", "OK", "ALARM"), change("2026-11-22T10:04:00Z", "ALARM", "OK")),
                        false),
                Arguments.of("an alarm that fired before the window and cleared before it is healthy",
                        status("OK", "2026-11-22T09:50:00Z"), List.of(change("2026-11-22T09:40:00Z", "OK", "ALARM")), true),
                Arguments.of("an alarm still in ALARM since before the window is unhealthy",
                        status("ALARM", "2026-11-22T09:00:00Z"), List.of(), false),
                Arguments.of("insufficient data is not an alarm",
                        status("INSUFFICIENT_DATA", "2026-11-22T10:01:00Z"),
                        List.of(change("2026-11-22T10:01:00Z", "OK", "INSUFFICIENT_DATA")), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void judgesTheWholeWindow(String sentence, AlarmStatus status, List<AlarmTransition> history, boolean healthy) {
        Verdict verdict = HealthCheck.judge(List.of(status), history, START, END);
        assertEquals(healthy, verdict.healthy(), verdict::summary);
        assertEquals(healthy ? 0 : 1, verdict.findings().size());
    }
}
