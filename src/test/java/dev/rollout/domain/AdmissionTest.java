package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AdmissionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant SINCE = Instant.parse("2026-11-22T09:00:00Z");
    private static final Routing ON_1 = Routing.ofAlias("1", Map.of(), "r1");
    private static final Routing SPLIT = Routing.ofAlias("1", Map.of("2", 0.1), "r2");
    private static final Routing ON_LATEST = Routing.ofAlias("$LATEST", Map.of(), "r3");
    private static final AlarmStatus OK = new AlarmStatus("orders-errors", "OK", SINCE, "fine");
    private static final AlarmStatus FIRING = new AlarmStatus("orders-errors", "ALARM", SINCE, "Threshold Crossed");

    private static RolloutRequest request(String strategy, String... alarms) {
        try {
            return RolloutRequest.parse(JSON.readTree("{\"functionName\": \"orders\", \"targetVersion\": \"2\", "
                    + "\"strategy\": \"" + strategy + "\", \"alarms\": " + JSON.writeValueAsString(alarms) + "}"));
        } catch (java.io.IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    private static Admission.Found found(Optional<Routing> alias, boolean targetExists, AlarmStatus... alarms) {
        return new Admission.Found(true, alias, targetExists, List.of(alarms));
    }

    static Stream<Arguments> refusedInputs() {
        return Stream.of(
                Arguments.of("a function that does not exist is the only problem with it named",
                        request("AllAtOnce"), Admission.Found.noOwner(List.of()),
                        List.of("functionName: no Lambda function named \"orders\" exists in this account and region")),
                Arguments.of("an alias that does not exist is named after where its value came from",
                        request("AllAtOnce"), found(Optional.empty(), true),
                        List.of("tag rollout:alias: function orders has no alias \"live\"; create it on the version"
                                + " that serves traffic today")),
                Arguments.of("a gradual rollout from $LATEST is refused because Lambda cannot split it",
                        request("Linear10PercentEvery1Minute"), found(Optional.of(ON_LATEST), true),
                        List.of("tag rollout:alias: alias live serves $LATEST, and Lambda splits traffic only between"
                                + " published versions; point it at a published version first, or roll out with"
                                + " AllAtOnce")),
                Arguments.of("a target version that is not published is refused",
                        request("AllAtOnce"), found(Optional.of(ON_1), false),
                        List.of("targetVersion: version 2 of orders does not exist; publish it first (aws lambda"
                                + " publish-version)")),
                Arguments.of("a target version the alias already serves leaves nothing to roll out",
                        request("AllAtOnce"), found(Optional.of(Routing.ofAlias("2", Map.of(), "r")), true),
                        List.of("targetVersion: alias live already serves version 2; there is nothing to roll out")),
                Arguments.of("a watched alarm that does not exist is named by its place in the list",
                        request("AllAtOnce", "orders-errors", "orders-latency"), found(Optional.of(ON_1), true, OK),
                        List.of("tag rollout:alarms: no CloudWatch alarm named \"orders-latency\" exists in this"
                                + " account and region")),
                Arguments.of("watched alarms are looked up even when the function does not exist",
                        request("AllAtOnce", "orders-errors"), Admission.Found.noOwner(List.of()),
                        List.of("functionName: no Lambda function named \"orders\" exists in this account and region",
                                "tag rollout:alarms: no CloudWatch alarm named \"orders-errors\" exists in this"
                                        + " account and region")),
                Arguments.of("every problem is listed at once, in input order",
                        request("AllAtOnce", "orders-latency"), found(Optional.empty(), false),
                        List.of("tag rollout:alias: function orders has no alias \"live\"; create it on the version"
                                        + " that serves traffic today",
                                "targetVersion: version 2 of orders does not exist; publish it first (aws lambda"
                                        + " publish-version)",
                                "tag rollout:alarms: no CloudWatch alarm named \"orders-latency\" exists in this"
                                        + " account and region")));
    }

    private static RolloutRequest stageRequest() {
        try {
            return RolloutRequest.parse(JSON.readTree("{\"target\": {\"type\": \"ApiGatewayCanary\", \"restApiId\":"
                    + " \"a1b2c3d4e5\", \"stage\": \"prod\", \"deploymentId\": \"d2\"}, \"strategy\": \"AllAtOnce\"}"));
        } catch (java.io.IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    static Stream<Arguments> refusedStages() {
        Routing onD1 = Routing.whole("d1", "stage d1", "deployment");
        return Stream.of(
                Arguments.of("a stage that does not exist is named by the target's stage field",
                        Admission.Found.noOwner(List.of()),
                        List.of("target.stage: REST API a1b2c3d4e5 has no stage \"prod\" in this account and region"
                                + " (or the API does not exist)")),
                Arguments.of("a deployment that does not exist is named by the target's deployment field",
                        new Admission.Found(true, Optional.of(onD1), false, List.of()),
                        List.of("target.deploymentId: REST API a1b2c3d4e5 has no deployment \"d2\"; create it first"
                                + " (aws apigateway create-deployment)")),
                Arguments.of("a deployment the stage already serves leaves nothing to roll out",
                        new Admission.Found(true, Optional.of(Routing.whole("d2", "r", "deployment")), true, List.of()),
                        List.of("target.deploymentId: stage prod already serves deployment d2; there is nothing to"
                                + " roll out")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedStages")
    void refusesAStageCanaryThatDoesNotMatchTheAccount(String sentence, Admission.Found found, List<String> problems) {
        Rollout.InvalidInput refused = assertThrows(Rollout.InvalidInput.class,
                () -> Admission.admit(stageRequest(), found, UnaryOperator.identity()));
        assertEquals(problems, refused.problems());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedStageStates")
    void refusesAStageWithACanaryAlready(String sentence, Admission.Found found, String message) {
        Rollout.Conflict refused = assertThrows(Rollout.Conflict.class,
                () -> Admission.admit(stageRequest(), found, UnaryOperator.identity()));
        assertEquals(message, refused.getMessage());
    }

    static Stream<Arguments> refusedStageStates() {
        return Stream.of(Arguments.of("a stage that already has a canary means another rollout or a test by hand",
                new Admission.Found(true, Optional.of(Routing.split("d1", "d9", Weight.percent(5), "r", "deployment")),
                        true, List.of()),
                "stage a1b2c3d4e5/prod already routes deployment d1 95%, deployment d9 5%: another rollout is in"
                        + " progress or was interrupted; let it finish or roll it back before starting a new one"));
    }

    /** Names "alias" and the alarm list as if they came from tags, as RolloutSettings would. */
    private static final UnaryOperator<String> FROM_TAGS = field -> field.equals("alias") ? "tag rollout:alias"
            : field.startsWith("alarms[") ? "tag rollout:alarms" : field;

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedInputs")
    void refusesInputThatDoesNotMatchTheAccount(String sentence, RolloutRequest request, Admission.Found found,
                                                List<String> problems) {
        Rollout.InvalidInput refused = assertThrows(Rollout.InvalidInput.class,
                () -> Admission.admit(request, found, FROM_TAGS));
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
                () -> Admission.admit(request("AllAtOnce", "orders-errors"), found, UnaryOperator.identity()));
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
        assertEquals(ON_1, Admission.admit(request("AllAtOnce", "orders-errors"), found, UnaryOperator.identity()));
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

    private static RolloutSettings.Checked checked(String input) {
        try {
            return RolloutSettings.check(JSON.readTree(input), Map.of(), StackDefaults.NONE);
        } catch (java.io.IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    static Stream<Arguments> invalidInputsWithAccountProblems() {
        Routing onD1 = Routing.whole("d1", "stage d1", "deployment");
        return Stream.of(
                Arguments.of("input problems, a missing version and a missing alarm are listed together",
                        checked("{\"functionName\": \"orders\", \"targetVersion\": \"9\", \"strategy\":"
                                + " {\"type\": \"Steps\", \"steps\": [{\"setWeight\": 30}, {\"setWeight\": 20}]},"
                                + " \"alarms\": [\"orders-latency\"]}"),
                        found(Optional.of(ON_1), false),
                        List.of("strategy.steps[1].setWeight: weights must increase: 20 does not exceed the previous"
                                        + " weight 30",
                                "targetVersion: version 9 of orders does not exist; publish it first (aws lambda"
                                        + " publish-version)",
                                "alarms[0]: no CloudWatch alarm named \"orders-latency\" exists in this account and"
                                        + " region")),
                Arguments.of("a missing alarm keeps its place in the list when an earlier entry is malformed",
                        checked("{\"functionName\": \"orders\", \"targetVersion\": \"2\", \"strategy\":"
                                + " \"AllAtOnce\", \"alarms\": [7, \"orders-latency\"]}"),
                        found(Optional.of(ON_1), true),
                        List.of("alarms[0]: expected an alarm name (1 to 255 characters), got the number 7",
                                "alarms[1]: no CloudWatch alarm named \"orders-latency\" exists in this account and"
                                        + " region")),
                Arguments.of("a malformed alias is only itself a problem, and the function is still judged",
                        checked("{\"functionName\": \"orders\", \"alias\": \"7\", \"targetVersion\": \"2\","
                                + " \"strategy\": \"AllAtOnce\"}"),
                        Admission.Found.noOwner(List.of()),
                        List.of("alias: expected an alias name (letters, digits, - and _, not all digits), got \"7\"",
                                "functionName: no Lambda function named \"orders\" exists in this account and region")),
                Arguments.of("a malformed function name is only itself a problem: nothing of it was looked up",
                        checked("{\"functionName\": \"orders/x\", \"targetVersion\": \"2\", \"strategy\":"
                                + " \"AllAtOnce\"}"),
                        found(Optional.empty(), false),
                        List.of("functionName: expected a function name (letters, digits, - and _, at most 64) or an"
                                + " unqualified function ARN, got \"orders/x\"")),
                Arguments.of("a stage canary's missing deployment is listed beside a bad strategy",
                        checked("{\"target\": {\"type\": \"ApiGatewayCanary\", \"restApiId\": \"a1b2c3d4e5\","
                                + " \"stage\": \"prod\", \"deploymentId\": \"d2\"}, \"strategy\": {\"type\": \"Steps\", \"steps\":"
                                + " [{\"setWeight\": 30}, {\"setWeight\": 20}]}}"),
                        new Admission.Found(true, Optional.of(onD1), false, List.of()),
                        List.of("strategy.steps[1].setWeight: weights must increase: 20 does not exceed the previous"
                                        + " weight 30",
                                "target.deploymentId: REST API a1b2c3d4e5 has no deployment \"d2\"; create it first"
                                        + " (aws apigateway create-deployment)")),
                Arguments.of("a stage canary's missing stage is listed beside a malformed deployment id",
                        checked("{\"target\": {\"type\": \"ApiGatewayCanary\", \"restApiId\": \"a1b2c3d4e5\","
                                + " \"stage\": \"prod\", \"deploymentId\": \"d 2\"}, \"strategy\": \"AllAtOnce\"}"),
                        Admission.Found.noOwner(List.of()),
                        List.of("target.deploymentId: expected the id of a deployment of the API (aws apigateway"
                                        + " create-deployment prints it), or no deploymentId to deploy the API as it"
                                        + " is now, got \"d 2\"",
                                "target.stage: REST API a1b2c3d4e5 has no stage \"prod\" in this account and region"
                                        + " (or the API does not exist)")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidInputsWithAccountProblems")
    void refusesAnInvalidInputWithEveryProblemOfItsWellFormedPartsToo(String sentence, RolloutSettings.Checked checked,
                                                                     Admission.Found found, List<String> problems) {
        Rollout.InvalidInput refused = assertThrows(Rollout.InvalidInput.class, () -> Admission.admit(checked, found));
        assertEquals(problems, refused.problems());
    }

    static Stream<Arguments> lookups() {
        return Stream.of(
                Arguments.of("a malformed function name means nothing of the target is looked up",
                        "{\"functionName\": \"orders/x\", \"alias\": \"live\", \"targetVersion\": \"2\"}",
                        Optional.empty(), Optional.empty(), Optional.of("2")),
                Arguments.of("a malformed alias leaves the function and version to look up",
                        "{\"functionName\": \"orders\", \"alias\": \"live!\", \"targetVersion\": \"2\"}",
                        Optional.of("orders"), Optional.empty(), Optional.of("2")),
                Arguments.of("an alias left out is the default one",
                        "{\"functionName\": \"orders\", \"targetVersion\": \"$LATEST\"}",
                        Optional.of("orders"), Optional.of(new Target.LambdaAlias("orders", "live")), Optional.empty()),
                Arguments.of("a stage canary without a deploymentId has no side to look up: Prepare creates it",
                        "{\"target\": {\"type\": \"ApiGatewayCanary\", \"restApiId\": \"a1b2c3d4e5\", \"stage\":"
                                + " \"prod\"}}",
                        Optional.of("a1b2c3d4e5"), Optional.of(new Target.StageCanary("a1b2c3d4e5", "prod", Map.of())),
                        Optional.empty()),
                Arguments.of("a stage canary with a malformed API id looks up nothing of its target",
                        "{\"target\": {\"type\": \"ApiGatewayCanary\", \"restApiId\": \"API\", \"stage\": \"prod\","
                                + " \"deploymentId\": \"d2\"}}",
                        Optional.empty(), Optional.empty(), Optional.of("d2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lookups")
    void looksUpOnlyTheWellFormedPartsOfAnInput(String sentence, String input, Optional<String> owner,
                                                Optional<Target> target, Optional<String> to) throws Exception {
        Lookups lookups = Lookups.readable(JSON.readTree(input));
        assertEquals(owner, lookups.owner());
        assertEquals(target, lookups.target());
        assertEquals(to, lookups.to());
    }

    @org.junit.jupiter.api.Test
    void aValidStageCanaryWithoutADeploymentIdLooksUpNoSide() throws Exception {
        RolloutRequest request = RolloutRequest.parse(JSON.readTree("{\"target\": {\"type\": \"ApiGatewayCanary\","
                + " \"restApiId\": \"a1b2c3d4e5\", \"stage\": \"prod\"}, \"strategy\": \"AllAtOnce\"}"));
        assertEquals(Optional.empty(), Lookups.of(request).to());
    }
}
