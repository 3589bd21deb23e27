package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import Rollout.InvalidInput;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Environment chains: the tag that names them, each environment's settings, where a version goes next. */
class EnvironmentChainTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final StackDefaults STACK = new StackDefaults("Linear10PercentEvery1Minute", "", "false")
            .withEnvironments("dev=AllAtOnce,test=Canary10Percent5Minutes", "prod");
    private static final Map<String, String> CHAINED = Map.of("rollout:environments", "dev test prod");

    private static ObjectNode alias(String alias) {
        return JSON.createObjectNode().put("functionName", "orders").put("alias", alias).put("targetVersion", "7");
    }

    private static EnvironmentChain chain(String tag) {
        return EnvironmentChain.of(Map.of(EnvironmentChain.TAG, tag)).orElseThrow();
    }

    static Stream<Arguments> nextEnvironments() {
        return Stream.of(
                Arguments.of("dev", Optional.of("test")),
                Arguments.of("test", Optional.of("prod")),
                Arguments.of("prod", Optional.empty()),
                Arguments.of("live", Optional.empty()));
    }

    @ParameterizedTest(name = "after {0} comes {1}")
    @MethodSource("nextEnvironments")
    void aPromotionStartsTheNextEnvironmentAndTheLastOneEndsTheChain(String promotedIn, Optional<String> next) {
        assertEquals(next, chain("dev test prod").next(promotedIn));
    }

    @Test
    void theTagListsAliasesSeparatedBySpacesAndTheFirstIsWhereAPublishedVersionGoes() {
        EnvironmentChain chain = chain("  dev   test prod ");
        assertEquals(List.of("dev", "test", "prod"), chain.environments());
        assertEquals("dev", chain.first());
        assertEquals("dev -> test -> prod", chain.describe());
        assertEquals(List.of("dev"), chain.before("test"));
        assertEquals(List.of("prod"), chain.after("test"));
    }

    @Test
    void anAbsentOrBlankTagMeansNoChain() {
        assertEquals(Optional.empty(), EnvironmentChain.of(Map.of()));
        assertEquals(Optional.empty(), EnvironmentChain.of(Map.of(EnvironmentChain.TAG, "  ")));
    }

    @Test
    void aMalformedChainIsRefusedNamingTheTag() {
        Problems problems = new Problems();
        assertEquals(Optional.empty(), EnvironmentChain.of(Map.of(EnvironmentChain.TAG, "dev 42 dev"), problems));
        String listed = problems.list().toString();
        assertTrue(listed.contains("tag rollout:environments") && listed.contains("\"42\" is not an alias name")
                && listed.contains("\"dev\" is listed twice"), listed);
    }

    @Test
    void theNextInputNamesTheNextAliasTheSameVersionAndWhereItComesFrom() {
        ObjectNode input = chain("dev test prod").nextInput("orders", "test", "7", "orders-test-v7-0a1b2c3d");
        assertEquals("orders", input.path("functionName").asText());
        assertEquals("prod", input.path("alias").asText());
        assertEquals("7", input.path("targetVersion").asText());
        assertEquals("Environment chain dev -> test -> prod: version 7 promoted in test (execution"
                + " orders-test-v7-0a1b2c3d), now prod", input.path("comment").asText());
        // Everything else is Prepare's to read from that environment's settings.
        assertEquals(4, input.size());
    }

    @Test
    void theStoppedNoticeSaysWhereWhatWasPromotedAndWhatWasNeverStarted() {
        Notice notice = chain("dev test prod").stopped("orders", "test", "7", "the execution failed (FAILED)",
                "https://console/x");
        assertEquals("Environment chain stopped at test: orders version 7", notice.subject());
        assertTrue(notice.body().contains("Stopped at:   test (the execution failed (FAILED))\n"), notice.body());
        assertTrue(notice.body().contains("Promoted in:  dev\n"), notice.body());
        assertTrue(notice.body().contains("Not started:  prod\n"), notice.body());
        assertEquals(Map.of("phase", "CHAIN_STOPPED", "function", "orders", "alias", "test"), notice.attributes());
    }

    static Stream<Arguments> defaultStrategies() {
        return Stream.of(
                Arguments.of("dev", "AllAtOnce", "stack parameter EnvironmentStrategies"),
                Arguments.of("test", "Canary10Percent5Minutes", "stack parameter EnvironmentStrategies"),
                Arguments.of("prod", "Linear10PercentEvery1Minute", "stack parameter DefaultStrategy"));
    }

    @ParameterizedTest(name = "{0} rolls out with {1} from {2}")
    @MethodSource("defaultStrategies")
    void eachEnvironmentTakesTheStacksStrategyForItElseTheStacksDefault(String environment, String strategy,
                                                                        String source) {
        RolloutSettings.Resolved resolved = RolloutSettings.resolve(alias(environment), CHAINED, STACK);
        assertEquals(strategy, resolved.request().plan().strategy());
        assertEquals(source, resolved.sources().get("strategy"));
    }

    @Test
    void anEnvironmentsOwnTagBeatsTheStackAndTheFunctionsStrategyTag() {
        Map<String, String> tags = Map.of("rollout:environments", "dev test prod",
                "rollout:strategy", "Canary10Percent30Minutes", "rollout:test:strategy", "Linear10PercentEvery2Minutes");
        assertEquals("Linear10PercentEvery2Minutes",
                RolloutSettings.resolve(alias("test"), tags, STACK).request().plan().strategy());
        assertEquals("Canary10Percent30Minutes",
                RolloutSettings.resolve(alias("prod"), tags, STACK).request().plan().strategy());
    }

    @Test
    void prodWaitsForApprovalBeforeAnyTrafficMovesAndTheOthersDoNot() {
        RolloutSettings.Resolved prod = RolloutSettings.resolve(alias("prod"), CHAINED, STACK);
        List<Step> steps = prod.request().plan().steps();
        assertEquals(new Step.Approval(24 * 3600, OnTimeout.ROLLBACK), steps.get(0));
        assertTrue(steps.stream().skip(1).noneMatch(Step.Approval.class::isInstance), steps.toString());
        assertEquals("stack parameter EnvironmentApprovals", prod.sources().get("approval.beforeStart"));
        for (String environment : List.of("dev", "test")) {
            assertTrue(RolloutSettings.resolve(alias(environment), CHAINED, STACK).request().plan().steps().stream()
                    .noneMatch(Step.Approval.class::isInstance), environment);
        }
    }

    @Test
    void anEnvironmentsApprovalTagTurnsItsApprovalOffOrOn() {
        Map<String, String> tags = Map.of("rollout:environments", "dev test prod", "rollout:prod:approval", "false",
                "rollout:test:approval", "true", "rollout:approval-timeout", "2h");
        assertTrue(RolloutSettings.resolve(alias("prod"), tags, STACK).request().plan().steps().stream()
                .noneMatch(Step.Approval.class::isInstance));
        assertEquals(new Step.Approval(2 * 3600, OnTimeout.ROLLBACK),
                RolloutSettings.resolve(alias("test"), tags, STACK).request().plan().steps().get(0));
    }

    @Test
    void anEnvironmentsSettingsApplyOnlyToItsOwnAliasNotToAnotherAliasOfTheFunction() {
        RolloutSettings.Resolved live = RolloutSettings.resolve(alias("live"), CHAINED, STACK);
        assertEquals("Linear10PercentEvery1Minute", live.request().plan().strategy());
        assertTrue(live.request().plan().steps().stream().noneMatch(Step.Approval.class::isInstance));
    }

    @Test
    void anInputThatSetsStrategyAndApprovalWinsOverTheEnvironmentsSettings() {
        ObjectNode input = alias("prod").put("strategy", "AllAtOnce");
        input.putObject("approval").put("beforeStart", false);
        RolloutRequest request = RolloutSettings.resolve(input, CHAINED, STACK).request();
        assertEquals("AllAtOnce", request.plan().strategy());
        assertTrue(request.plan().steps().stream().noneMatch(Step.Approval.class::isInstance));
    }

    @Test
    void environmentTagsForAnEnvironmentOutsideTheChainAndBadValuesAreRefusedNamingTheTag() {
        InvalidInput refused = assertThrows(InvalidInput.class, () -> RolloutSettings.resolve(alias("prod"),
                Map.of("rollout:environments", "dev test prod", "rollout:staging:strategy", "AllAtOnce",
                        "rollout:prod:approval", "yes", "rollout:prod:strategy", "Fast"), STACK));
        String problems = refused.problems().toString();
        assertTrue(problems.contains("tag rollout:staging:strategy: sets a setting of environment staging, which is"
                + " not in tag rollout:environments (dev -> test -> prod)"), problems);
        assertTrue(problems.contains("tag rollout:prod:approval: expected true or false"), problems);
        assertTrue(problems.contains("tag rollout:prod:strategy: unknown strategy \"Fast\""), problems);
    }

    @Test
    void aMalformedStackParameterIsRefusedNamingTheParameter() {
        StackDefaults broken = STACK.withEnvironments("dev:AllAtOnce", "prod");
        InvalidInput refused = assertThrows(InvalidInput.class,
                () -> RolloutSettings.resolve(alias("dev"), CHAINED, broken));
        assertTrue(refused.problems().toString().contains("stack parameter EnvironmentStrategies: expected"
                + " environment=value pairs"), refused.problems().toString());
    }

    @Test
    void aPublishedVersionOfAChainedFunctionRollsOutToTheFirstEnvironment() {
        RolloutTrigger trigger = new RolloutTrigger(List.of("orders"));
        PublishEvent.Published published = new PublishEvent.Published("orders",
                "arn:aws:lambda:eu-west-1:123456789012:function:orders", "7", "PublishVersion", "deployer", "event-1");
        RolloutTrigger.Start start = (RolloutTrigger.Start) trigger.decide(published, CHAINED,
                alias -> Optional.of(Routing.whole("6", "r1", "version")));
        assertEquals("dev", start.input().path("alias").asText());
        assertEquals(RolloutTrigger.executionName("orders", "dev", "7"), start.executionName());
    }
}
