package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutTriggerTest {
    private static final String GREETER = "lambda-rollout-greeter";
    private final RolloutTrigger trigger = new RolloutTrigger(Set.of(GREETER, "orders"));

    private static PublishEvent.Published published(String version) {
        return new PublishEvent.Published(GREETER, "arn:aws:lambda:us-east-1:123456789012:function:" + GREETER,
                version, PublishEvent.PUBLISH_VERSION, "arn:aws:iam::123456789012:user/alice", "event-1");
    }

    private static Function<String, Optional<Routing>> aliases(Map<String, Routing> byName) {
        return name -> Optional.ofNullable(byName.get(name));
    }

    private static final Function<String, Optional<Routing>> LIVE_ON_1 =
            aliases(Map.of("live", Routing.ofAlias("1", Map.of(), "r1")));

    static Stream<Arguments> executionNames() {
        return Stream.of(
                Arguments.of("a name reads as function, alias and version, then a hash", "orders", "live", "7",
                        "orders-live-v7-"),
                Arguments.of("characters Step Functions or CloudWatch Logs would refuse become underscores", "orders",
                        "blue green", "7", "orders-blue_green-v7-"),
                Arguments.of("a name too long for Step Functions is cut before its hash", "f".repeat(64),
                        "a".repeat(64), "1234567890", "f".repeat(64) + "-" + "a".repeat(6) + "-"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("executionNames")
    void executionNamesAreReadableStepFunctionsNames(String sentence, String function, String alias, String version,
                                                     String readable) {
        String name = RolloutTrigger.executionName(function, alias, version);
        assertTrue(name.startsWith(readable), name);
        assertTrue(name.matches("[A-Za-z0-9_-]{1,80}"), name);
        assertEquals(readable.length() + 8, name.length(), name);
        assertEquals(name, RolloutTrigger.executionName(function, alias, version), "the same rollout, the same name");
    }

    @Test
    void rolloutsWhoseReadableNamesCoincideStillGetDifferentNames() {
        assertNotEquals(RolloutTrigger.executionName("a-b", "c", "1"), RolloutTrigger.executionName("a", "b-c", "1"));
        String longFunction = "f".repeat(64);
        assertNotEquals(RolloutTrigger.executionName(longFunction, "a".repeat(60) + "x", "1"),
                RolloutTrigger.executionName(longFunction, "a".repeat(60) + "y", "1"));
    }

    @Test
    void theManagedFunctionsListDropsBlanksAsAnEmptyParameterLeavesThem() {
        assertEquals(Set.of("lambda-rollout-greeter"), RolloutTrigger.managedFunctions("lambda-rollout-greeter,"));
        assertEquals(Set.of("a", "b"), RolloutTrigger.managedFunctions(" a , b "));
    }

    @Test
    void aFunctionThisStackDoesNotManageIsIgnoredNamingTheParameter() {
        assertInstanceOf(PublishEvent.Published.class, trigger.screen(PublishEventTest.publishVersion()));

        RolloutTrigger other = new RolloutTrigger(Set.of("orders"));
        PublishEvent.Ignored ignored = assertInstanceOf(PublishEvent.Ignored.class,
                other.screen(PublishEventTest.publishVersion()));
        assertEquals("function lambda-rollout-greeter is not managed by this stack (it manages orders; add it to the"
                + " ManagedFunctionNames parameter to roll it out automatically)", ignored.reason());
    }

    @Test
    void aPublishedVersionStartsItsRolloutOnTheLiveAlias() {
        RolloutTrigger.Start start = assertInstanceOf(RolloutTrigger.Start.class,
                trigger.decide(published("2"), Map.of(), LIVE_ON_1));
        assertEquals(RolloutTrigger.executionName(GREETER, "live", "2"), start.executionName());
        assertEquals("{\"functionName\":\"lambda-rollout-greeter\",\"alias\":\"live\",\"targetVersion\":\"2\","
                + "\"comment\":\"Started automatically: PublishVersion20150331 by arn:aws:iam::123456789012:user/alice"
                + " (CloudTrail event event-1)\"}", start.input().toString());
    }

    @Test
    void theAliasTagChoosesTheAlias() {
        RolloutTrigger.Start start = assertInstanceOf(RolloutTrigger.Start.class, trigger.decide(published("2"),
                Map.of(RolloutSettings.ALIAS_TAG, "prod"), aliases(Map.of("prod", Routing.ofAlias("1", Map.of(), "r")))));
        assertEquals("prod", start.input().path("alias").asText());
        assertEquals(RolloutTrigger.executionName(GREETER, "prod", "2"), start.executionName());
    }

    @Test
    void aMalformedAliasTagIsLeftToPrepareWhichNamesTheTag() {
        RolloutTrigger.Start start = assertInstanceOf(RolloutTrigger.Start.class, trigger.decide(published("2"),
                Map.of(RolloutSettings.ALIAS_TAG, "blue green"), name -> {
                    throw new AssertionError("a malformed alias must not be looked up, as Lambda would refuse it");
                }));
        assertFalse(start.input().has("alias"), start.input()::toString);
        assertTrue(start.executionName().startsWith("lambda-rollout-greeter-blue_green-v2-"), start.executionName());
    }

    static Stream<Arguments> skipped() {
        return Stream.of(
                Arguments.of("the first version of a function has nothing to roll out from", "1",
                        aliases(Map.of()), "version 1 is the first version of lambda-rollout-greeter and no alias live"
                                + " serves traffic yet"),
                Arguments.of("a version the alias already serves has nothing to roll out", "2",
                        aliases(Map.of("live", Routing.ofAlias("2", Map.of(), "r"))),
                        "alias live of lambda-rollout-greeter already serves version 2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("skipped")
    void publicationsWithNothingToRollOutStartNothing(String sentence, String version,
                                                      Function<String, Optional<Routing>> aliases, String reason) {
        RolloutTrigger.Skip skip = assertInstanceOf(RolloutTrigger.Skip.class,
                trigger.decide(published(version), Map.of(), aliases));
        assertTrue(skip.reason().startsWith(reason), skip.reason());
    }

    static Stream<Arguments> startedForPrepareToJudge() {
        return Stream.of(
                Arguments.of("a later version without the alias starts, so Prepare tells people to create the alias",
                        aliases(Map.of())),
                Arguments.of("a version published while the alias is split starts, so Prepare refuses it as a conflict",
                        aliases(Map.of("live", Routing.ofAlias("1", Map.of("2", 0.1), "r")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("startedForPrepareToJudge")
    void publicationsThatCannotRollOutNowStillStartSoThatPeopleAreTold(String sentence,
                                                                       Function<String, Optional<Routing>> aliases) {
        assertInstanceOf(RolloutTrigger.Start.class, trigger.decide(published("3"), Map.of(), aliases));
    }
}
