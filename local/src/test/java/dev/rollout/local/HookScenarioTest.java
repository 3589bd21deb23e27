package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import dev.rollout.local.asl.EventDetails;
import dev.rollout.local.asl.HistoryEvent;
import dev.rollout.local.asl.HistoryEventType;
import dev.rollout.local.aws.PublishedMessage;
import dev.rollout.local.time.VirtualClock;

/** Pre-traffic and post-traffic hooks on the real state machine: how they are invoked and how they fail a rollout. */
class HookScenarioTest {
    private static final Path ROOT = ProjectRoot.path();

    /** Function orders, versions 1 and 2, live on 1, rolled out as a canary with the given hooks and hook functions. */
    private static ObjectNode world(JsonNode hooks, ObjectNode hookFunctions) {
        ObjectNode scenario = Json.object();
        scenario.put("function", "orders");
        scenario.putArray("versions").add(Json.object().put("errorRate", 0.0)).add(Json.object().put("errorRate", 0.0));
        scenario.set("hooks", hookFunctions);
        ObjectNode rollout = scenario.putObject("rollout");
        rollout.put("functionName", "orders").put("targetVersion", "2").put("strategy", "Canary10Percent5Minutes");
        rollout.set("hooks", hooks);
        return scenario;
    }

    private static ObjectNode behaviour(String answer, String message) {
        return Json.object().put("answer", answer).put("message", message);
    }

    private record Run(Simulation.Result result, Simulation simulation) {
        List<String> statesEntered() {
            List<String> names = new ArrayList<>();
            for (HistoryEvent event : result.execution().history()) {
                if (event.type().name().endsWith("_STATE_ENTERED")) {
                    names.add(event.details(EventDetails.StateEntered.class).name());
                }
            }
            return names;
        }

        String cause() {
            return result.execution().cause().orElse("");
        }
    }

    private static Run run(JsonNode scenario) throws Exception {
        Simulation simulation = new Simulation(ROOT, Scenario.read(scenario), new VirtualClock(Simulation.START), null,
                line -> { });
        return new Run(simulation.run(), simulation);
    }

    @Test
    void passingHooksRunBeforeTheFirstShiftAndAfterPromotionWithTheRolloutsContext() throws Exception {
        ObjectNode hooks = Json.object().put("preTraffic", "orders-smoke").put("postTraffic", "orders-e2e");
        ObjectNode functions = Json.object();
        functions.set("orders-smoke", behaviour("pass", "ok"));
        functions.set("orders-e2e", behaviour("pass", "ok"));
        Run run = run(world(hooks, functions));

        assertEquals(Outcome.PROMOTED, run.result().outcome());
        List<String> states = run.statesEntered();
        assertTrue(states.indexOf("InvokeHook") < states.indexOf("ShiftTraffic"), states::toString);
        assertTrue(states.lastIndexOf("InvokeHook") > states.indexOf("Promote"), states::toString);
        assertTrue(states.lastIndexOf("InvokeHook") < states.indexOf("NotifyPromoted"), states::toString);

        List<SimulatedHooks.Invocation> invocations = run.simulation().hooks().invocations();
        assertEquals(List.of("orders-smoke", "orders-e2e"),
                invocations.stream().map(SimulatedHooks.Invocation::function).toList());
        JsonNode pre = invocations.get(0).event();
        assertEquals("preTraffic", pre.path("hook").asText());
        assertEquals("BeforeAllowTraffic", pre.path("lifecycleEvent").asText());
        assertEquals("orders", pre.path("functionName").asText());
        assertEquals("live", pre.path("alias").asText());
        assertEquals("1", pre.path("fromVersion").asText());
        assertEquals("2", pre.path("toVersion").asText());
        assertEquals(0, pre.path("weight").asInt(-1));
        assertEquals(run.result().execution().executionArn(), pre.path("executionId").asText());
        assertFalse(pre.has("taskToken"), "a returning hook gets no task token");
        JsonNode post = invocations.get(1).event();
        assertEquals("AfterAllowTraffic", post.path("lifecycleEvent").asText());
        assertEquals(100, post.path("weight").asInt(-1));
    }

    @Test
    void aCallbackHookAnswersThroughItsTaskTokenAndTheRolloutWaitsForIt() throws Exception {
        ObjectNode hooks = Json.object();
        hooks.putObject("preTraffic").put("function", "orders-load-test").put("callback", true).put("timeout", "1h");
        ObjectNode functions = Json.object();
        functions.set("orders-load-test", behaviour("pass", "p99 81 ms").put("after", "20m"));
        Run run = run(world(hooks, functions));

        Run withoutHook = run(world(Json.object(), Json.object()));

        assertEquals(Outcome.PROMOTED, run.result().outcome());
        assertTrue(run.simulation().hooks().invocations().get(0).event().hasNonNull("taskToken"));
        assertEquals(Duration.ofMinutes(20), run.result().simulated().minus(withoutHook.result().simulated()),
                "the rollout waits the 20 minutes of the load test");
        assertTrue(run.statesEntered().contains("AwaitHookCallback"));
    }

    static Stream<Arguments> failingPreTrafficHooks() {
        return Stream.of(
                Arguments.of("a hook answering Failed rolls back, quoting its message",
                        Json.object().put("preTraffic", "orders-smoke"), behaviour("fail", "GET /orders answered 500"),
                        "pre-traffic hook orders-smoke failed: GET /orders answered 500", Duration.ZERO),
                Arguments.of("a hook that throws rolls back, quoting the exception's message",
                        Json.object().put("preTraffic", "orders-smoke"), behaviour("throw", "connection refused"),
                        "pre-traffic hook orders-smoke failed with java.lang.IllegalStateException: connection refused",
                        Duration.ZERO),
                Arguments.of("a hook that never returns rolls back when its timeout passes",
                        hook("orders-smoke", false, "90s"), behaviour("hang", ""),
                        "pre-traffic hook orders-smoke did not answer within its timeout of 90 seconds",
                        Duration.ofSeconds(90)),
                Arguments.of("a callback hook that never answers rolls back when its timeout passes",
                        hook("orders-smoke", true, "2h"), behaviour("hang", ""),
                        "pre-traffic hook orders-smoke did not answer within its timeout of 7200 seconds",
                        Duration.ofHours(2)),
                Arguments.of("a callback hook answering Failed through its token rolls back",
                        hook("orders-smoke", true, "1h"), behaviour("fail", "3 of 40 checks failed").put("after", "7m"),
                        "pre-traffic hook orders-smoke failed: 3 of 40 checks failed", Duration.ofMinutes(7)));
    }

    private static ObjectNode hook(String function, boolean callback, String timeout) {
        ObjectNode hooks = Json.object();
        hooks.putObject("preTraffic").put("function", function).put("callback", callback).put("timeout", timeout);
        return hooks;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failingPreTrafficHooks")
    void aFailingPreTrafficHookRollsBackBeforeAnyTrafficMoved(String sentence, JsonNode hooks, ObjectNode hookFunction,
                                                              String cause, Duration took) throws Exception {
        ObjectNode functions = Json.object();
        functions.set("orders-smoke", hookFunction);
        Run run = run(world(hooks, functions));

        assertEquals(Outcome.ROLLED_BACK, run.result().outcome());
        assertEquals("Rollout.HookFailed", run.result().execution().error().orElse(""));
        assertEquals(cause, run.cause());
        assertFalse(run.statesEntered().contains("ShiftTraffic"), "no traffic moved");
        assertEquals("version 1 100%", run.result().finalAlias());
        assertEquals(took, run.result().simulated());
        List<PublishedMessage> notices = run.simulation().aws().sns().outbox();
        assertTrue(notices.get(notices.size() - 1).message().contains(cause),
                "the rolled-back notice names the hook and its message");
    }

    @Test
    void aFailingPostTrafficHookRollsBackFromFullTraffic() throws Exception {
        ObjectNode hooks = Json.object().put("postTraffic", "orders-e2e");
        ObjectNode functions = Json.object();
        functions.set("orders-e2e", behaviour("fail", "checkout journey failed"));
        Run run = run(world(hooks, functions));

        assertEquals(Outcome.ROLLED_BACK, run.result().outcome());
        assertEquals("post-traffic hook orders-e2e failed: checkout journey failed", run.cause());
        List<String> states = run.statesEntered();
        assertTrue(states.indexOf("Promote") < states.indexOf("InvokeHook"), states::toString);
        assertTrue(states.indexOf("InvokeHook") < states.indexOf("Rollback"), states::toString);
        assertFalse(states.contains("NotifyPromoted"), states::toString);
        assertEquals("version 1 100%", run.result().finalAlias());
        boolean promoted = run.result().execution().history().stream()
                .filter(event -> event.type() == HistoryEventType.TASK_STATE_EXITED)
                .map(event -> event.details(EventDetails.StateExited.class))
                .anyMatch(exited -> exited.name().equals("Promote") && exited.output().contains("\"routing\":\"version 2 100%\""));
        assertTrue(promoted, "the alias was fully on version 2 before the hook ran");
    }

    @Test
    void aCodeDeployAppSpecStartsARolloutWithItsVersionsAndHooks() throws Exception {
        ObjectNode functions = Json.object();
        functions.set("orders-smoke", behaviour("pass", "ok"));
        functions.set("orders-e2e", behaviour("pass", "ok"));
        ObjectNode scenario = world(null, functions);
        scenario.putArray("versions").add(Json.object()).add(Json.object()).add(Json.object());
        scenario.put("liveVersion", "2");
        ObjectNode rollout = scenario.putObject("rollout");
        rollout.put("appSpec", """
                version: 0.0
                Resources:
                  - orders:
                      Type: AWS::Lambda::Function
                      Properties:
                        Name: orders
                        Alias: live
                        CurrentVersion: "2"
                        TargetVersion: "3"
                Hooks:
                  - BeforeAllowTraffic: orders-smoke
                  - AfterAllowTraffic: orders-e2e
                """);
        rollout.put("strategy", "CodeDeployDefault.LambdaLinear10PercentEvery1Minute");
        Run run = run(scenario);

        assertEquals(Outcome.PROMOTED, run.result().outcome());
        assertEquals("version 3 100%", run.result().finalAlias());
        assertEquals(List.of("orders-smoke", "orders-e2e"),
                run.simulation().hooks().invocations().stream().map(SimulatedHooks.Invocation::function).toList());
        assertEquals("3", run.simulation().hooks().invocations().get(0).event().path("toVersion").asText());
        assertTrue(run.result().execution().name().startsWith("orders-live-v3"), run.result().execution().name());
    }

    @Test
    void anAppSpecWhoseCurrentVersionIsNotWhatTheAliasServesIsRefusedBeforeTrafficMoves() throws Exception {
        ObjectNode scenario = world(null, Json.object());
        ObjectNode rollout = scenario.putObject("rollout");
        rollout.put("appSpec", "version: 0.0\nResources: [{orders: {Type: AWS::Lambda::Function, Properties:"
                + " {Name: orders, Alias: live, CurrentVersion: 4, TargetVersion: 2}}}]");
        rollout.put("strategy", "AllAtOnce");
        Run run = run(scenario);

        assertEquals(Outcome.REFUSED, run.result().outcome());
        assertEquals("Rollout.Conflict", run.result().execution().error().orElse(""));
        assertTrue(run.cause().contains("currentVersion is 4, but alias orders:live serves version 1"), run.cause());
        assertFalse(run.statesEntered().contains("ShiftTraffic"));
    }

    @Test
    void aScenarioHookWithAnUnknownAnswerIsRefusedNamingIt() {
        ObjectNode functions = Json.object();
        functions.set("orders-smoke", behaviour("maybe", ""));
        functions.set("orders-e2e", Json.object().put("answer", "pass").put("after", "soon").put("delay", "1m"));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Scenario.read(world(Json.object(), functions)));
        assertEquals("invalid scenario: hooks.orders-smoke.answer: expected pass, fail, throw or hang, got \"maybe\"; "
                + "hooks.orders-e2e.delay: unknown field; expected one of [after, answer, message]; "
                + "hooks.orders-e2e.after: expected a duration such as \"90s\" or \"3m\"", refused.getMessage());
    }
}
