package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdmissionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant SINCE = Instant.parse("2026-11-22T09:00:00Z");
    private static final AliasRouting ON_1 = AliasRouting.of("1", Map.of(), "r1");
    private static final AliasRouting SPLIT = AliasRouting.of("1", Map.of("2", 0.1), "r2");
    private static final AliasRouting ON_LATEST = AliasRouting.of("$LATEST", Map.of(), "r3");
    private static final AlarmStatus OK = new AlarmStatus("orders-errors", "OK", SINCE, "fine");
    private static final AlarmStatus FIRING = new AlarmStatus("orders-errors", "ALARM", SINCE, "Threshold Crossed");

    private static RolloutSettings.Checked request(String strategy, String... alarms) {
        return checked("{\"functionName\": \"orders\", \"targetVersion\": \"2\", \"strategy\": \"" + strategy
                + "\", \"alarms\": " + names(alarms) + "}", Map.of());
    }

    /** The alias and the alarm list come from tags, so messages name those tags. */
    private static RolloutSettings.Checked fromTags(String strategy, String... alarms) {
        Map<String, String> tags = alarms.length == 0 ? Map.of("rollout:alias", "live")
                : Map.of("rollout:alias", "live", "rollout:alarms", String.join(" ", alarms));
        return checked("{\"functionName\": \"orders\", \"targetVersion\": \"2\", \"strategy\": \"" + strategy
                + "\"}", tags);
    }

    private static RolloutSettings.Checked checked(String input, Map<String, String> tags) {
        try {
            return RolloutSettings.check(JSON.readTree(input), tags, StackDefaults.NONE);
        } catch (java.io.IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    private static String names(String... alarms) {
        try {
            return JSON.writeValueAsString(alarms);
        } catch (java.io.IOException unwritable) {
            throw new IllegalStateException(unwritable);
        }
    }

    private static Admission.Found found(Optional<AliasRouting> alias, boolean targetExists, AlarmStatus... alarms) {
        return new Admission.Found(true, alias, targetExists, List.of(alarms));
    }

    static Stream<Arguments> refusedInputs() {
        return Stream.of(
                Arguments.of("a function that does not exist is the only problem with it named",
                        fromTags("AllAtOnce"), Admission.Found.noFunction(List.of()),
                        List.of("functionName: no Lambda function named \"orders\" exists in this account and region")),
                Arguments.of("an alias that does not exist is named after where its value came from",
                        fromTags("AllAtOnce"), found(Optional.empty(), true),
                        List.of("tag rollout:alias: function orders has no alias \"live\"; create it on the version"
                                + " that serves traffic today")),
                Arguments.of("a gradual rollout from $LATEST is refused because Lambda cannot split it",
                        fromTags("Linear10PercentEvery1Minute"), found(Optional.of(ON_LATEST), true),
                        List.of("tag rollout:alias: alias live serves $LATEST, and Lambda splits traffic only between"
                                + " published versions; point it at a published version first, or roll out with"
                                + " AllAtOnce")),
                Arguments.of("a target version that is not published is refused",
                        fromTags("AllAtOnce"), found(Optional.of(ON_1), false),
                        List.of("targetVersion: version 2 of orders does not exist; publish it first (aws lambda"
                                + " publish-version)")),
                Arguments.of("a target version the alias already serves leaves nothing to roll out",
                        fromTags("AllAtOnce"), found(Optional.of(AliasRouting.of("2", Map.of(), "r")), true),
                        List.of("targetVersion: alias live already serves version 2; there is nothing to roll out")),
                Arguments.of("a watched alarm that does not exist is named by its place in the list",
                        fromTags("AllAtOnce", "orders-errors", "orders-latency"), found(Optional.of(ON_1), true, OK),
                        List.of("tag rollout:alarms: no CloudWatch alarm named \"orders-latency\" exists in this"
                                + " account and region")),
                Arguments.of("watched alarms are looked up even when the function does not exist",
                        fromTags("AllAtOnce", "orders-errors"), Admission.Found.noFunction(List.of()),
                        List.of("functionName: no Lambda function named \"orders\" exists in this account and region",
                                "tag rollout:alarms: no CloudWatch alarm named \"orders-errors\" exists in this"
                                        + " account and region")),
                Arguments.of("input problems and a missing alarm are listed together",
                        checked("{\"functionName\": \"orders\", \"targetVersion\": \"2\", \"strategy\": {\"type\": \"Steps\", \"steps\":"
                                + " [{\"setWeight\": 30}, {\"setWeight\": 20}]}, \"alarms\": [\"orders-latency\"]}",
                                Map.of()),
                        found(Optional.of(ON_1), true),
                        List.of("strategy.steps[1].setWeight: weights must increase: 20 does not exceed the previous"
                                        + " weight 30",
                                "alarms[0]: no CloudWatch alarm named \"orders-latency\" exists in this account and"
                                        + " region")),
                Arguments.of("a missing alarm keeps its place in the list when an earlier entry is malformed",
                        checked("{\"functionName\": \"orders\", \"targetVersion\": \"2\", \"strategy\": \"AllAtOnce\","
                                + " \"alarms\": [7, \"orders-latency\"]}", Map.of()),
                        found(Optional.of(ON_1), true),
                        List.of("alarms[0]: expected an alarm name (1 to 255 characters), got the number 7",
                                "alarms[1]: no CloudWatch alarm named \"orders-latency\" exists in this account and"
                                        + " region")),
                Arguments.of("a malformed function name is only itself a problem: nothing of it was looked up",
                        checked("{\"functionName\": \"orders/x\", \"targetVersion\": \"2\", \"strategy\":"
                                + " \"AllAtOnce\"}", Map.of()),
                        Admission.Found.noFunction(List.of()),
                        List.of("functionName: expected a function name (letters, digits, - and _, at most 64) or an"
                                + " unqualified function ARN, got \"orders/x\"")),
                Arguments.of("every problem is listed at once, in input order",
                        fromTags("AllAtOnce", "orders-latency"), found(Optional.empty(), false),
                        List.of("tag rollout:alias: function orders has no alias \"live\"; create it on the version"
                                        + " that serves traffic today",
                                "targetVersion: version 2 of orders does not exist; publish it first (aws lambda"
                                        + " publish-version)",
                                "tag rollout:alarms: no CloudWatch alarm named \"orders-latency\" exists in this"
                                        + " account and region")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedInputs")
    void refusesInputThatDoesNotMatchTheAccount(String sentence, RolloutSettings.Checked request,
                                                Admission.Found found, List<String> problems) {
        Rollout.InvalidInput refused = assertThrows(Rollout.InvalidInput.class,
                () -> Admission.admit(request, found));
        assertEquals(problems, refused.problems());
    }

    static Stream<Arguments> refusedStates() {
        return Stream.of(
                Arguments.of("an alias already split means another rollout is under way",
                        found(Optional.of(SPLIT), true, OK), Rollout.Conflict.class,
                        "alias orders:live already routes version 1 90%, version 2 10%: another rollout is in progress"
                                + " or was interrupted; let it finish or roll it back before starting a new one"),
                Arguments.of("a watched alarm already firing stops the rollout before traffic moves",
                        found(Optional.of(ON_1), true, FIRING), Rollout.AlarmTriggered.class,
                        "alarm orders-errors is already in ALARM (since 2026-11-22T09:00:00Z): Threshold Crossed;"
                                + " no traffic was moved"),
                Arguments.of("a split alias is reported before a firing alarm",
                        found(Optional.of(SPLIT), true, FIRING), Rollout.Conflict.class,
                        "alias orders:live already routes version 1 90%, version 2 10%: another rollout is in progress"
                                + " or was interrupted; let it finish or roll it back before starting a new one"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedStates")
    void refusesATargetThatIsNotReady(String sentence, Admission.Found found, Class<? extends RuntimeException> error,
                                      String message) {
        RuntimeException refused = assertThrows(error,
                () -> Admission.admit(request("AllAtOnce", "orders-errors"), found));
        assertEquals(message, refused.getMessage());
    }

    static Stream<Arguments> admitted() {
        return Stream.of(
                Arguments.of("a whole alias on another version with quiet alarms starts from that version",
                        found(Optional.of(ON_1), true, OK)),
                Arguments.of("an alarm with insufficient data does not stop the start",
                        found(Optional.of(ON_1), true,
                                new AlarmStatus("orders-errors", "INSUFFICIENT_DATA", SINCE, "no data"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("admitted")
    void admitsAReadyTarget(String sentence, Admission.Found found) {
        assertEquals(ON_1, Admission.admit(request("AllAtOnce", "orders-errors"), found).routing());
    }

    static Stream<Arguments> watchedAlarms() {
        return Stream.of(
                Arguments.of("no watched alarms means none missing", List.of(), List.of(), List.of()),
                Arguments.of("an alarm CloudWatch describes is not missing", List.of("a"), List.of("a"), List.of()),
                Arguments.of("an alarm CloudWatch does not describe is missing at its place in the list",
                        List.of("a", "b", "c"), List.of("a", "c"), List.of(new WatchedAlarms.Missing(1, "b"))),
                Arguments.of("an alarm named twice and missing is reported at both places",
                        List.of("b", "a", "b"), List.of("a"),
                        List.of(new WatchedAlarms.Missing(0, "b"), new WatchedAlarms.Missing(2, "b"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("watchedAlarms")
    void findsWatchedAlarmsThatDoNotExist(String sentence, List<String> watched, List<String> existing,
                                          List<WatchedAlarms.Missing> missing) {
        List<AlarmStatus> found = existing.stream().map(name -> new AlarmStatus(name, "OK", SINCE, "")).toList();
        assertEquals(missing, WatchedAlarms.missing(watched, found));
    }
}
