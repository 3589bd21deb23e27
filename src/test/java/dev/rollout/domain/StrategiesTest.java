package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StrategiesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static Plan plan(String spec) {
        Problems problems = new Problems();
        Optional<Plan> plan = Strategies.plan(json(spec), "strategy", Duration.ofHours(24), OnTimeout.ROLLBACK, problems);
        assertTrue(problems.isEmpty(), () -> "unexpected problems: " + problems.list());
        return plan.orElseThrow();
    }

    private static List<String> problems(String spec) {
        Problems problems = new Problems();
        Optional<Plan> plan = Strategies.plan(json(spec), "strategy", Duration.ofHours(24), OnTimeout.ROLLBACK, problems);
        assertTrue(plan.isEmpty(), "an invalid strategy must not produce a plan");
        return problems.list().stream().map(Problems.Problem::toString).toList();
    }

    private static List<Step> bakes(long seconds, int... weights) {
        return java.util.Arrays.stream(weights)
                .boxed()
                .flatMap(weight -> Stream.<Step>of(new Step.Shift(weight), new Step.Bake(seconds)))
                .toList();
    }

    static Stream<Arguments> finalBakes() {
        return Stream.of(
                Arguments.of("a canary keeps watching for one more interval", "\"Canary10Percent5Minutes\"", 300),
                Arguments.of("a long canary keeps watching ten minutes, not thirty", "\"Canary10Percent30Minutes\"", 600),
                Arguments.of("a linear rollout keeps watching for one more step", "\"Linear10PercentEvery3Minutes\"", 180),
                Arguments.of("a slow linear rollout keeps watching ten minutes", "\"Linear10PercentEvery10Minutes\"", 600),
                Arguments.of("everything at once, which watched nothing before, keeps watching ten minutes",
                        "\"AllAtOnce\"", 600),
                Arguments.of("a custom canary keeps watching for its interval",
                        "{\"type\":\"TimeBasedCanary\",\"percentage\":20,\"intervalMinutes\":2}", 120),
                Arguments.of("a step list has no final bake unless its input asks for one",
                        "{\"type\":\"Steps\",\"steps\":[{\"setWeight\":50},{\"pause\":{\"duration\":\"1h\"}}]}", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("finalBakes")
    void eachStrategyHasADefaultFinalBake(String sentence, String spec, long seconds) {
        assertEquals(seconds, plan(spec).finalBakeSeconds());
    }

    static Stream<Arguments> predefined() {
        return Stream.of(
                Arguments.of("Canary10Percent5Minutes sends 10% for five minutes, then promotes",
                        "\"Canary10Percent5Minutes\"", bakes(300, 10)),
                Arguments.of("Canary10Percent10Minutes sends 10% for ten minutes",
                        "\"Canary10Percent10Minutes\"", bakes(600, 10)),
                Arguments.of("Canary10Percent15Minutes sends 10% for fifteen minutes",
                        "\"Canary10Percent15Minutes\"", bakes(900, 10)),
                Arguments.of("Canary10Percent30Minutes sends 10% for thirty minutes",
                        "\"Canary10Percent30Minutes\"", bakes(1800, 10)),
                Arguments.of("Linear10PercentEvery1Minute adds 10% a minute and promotes after 90%",
                        "\"Linear10PercentEvery1Minute\"", bakes(60, 10, 20, 30, 40, 50, 60, 70, 80, 90)),
                Arguments.of("Linear10PercentEvery2Minutes adds 10% every two minutes",
                        "\"Linear10PercentEvery2Minutes\"", bakes(120, 10, 20, 30, 40, 50, 60, 70, 80, 90)),
                Arguments.of("Linear10PercentEvery3Minutes adds 10% every three minutes",
                        "\"Linear10PercentEvery3Minutes\"", bakes(180, 10, 20, 30, 40, 50, 60, 70, 80, 90)),
                Arguments.of("Linear10PercentEvery10Minutes adds 10% every ten minutes",
                        "\"Linear10PercentEvery10Minutes\"", bakes(600, 10, 20, 30, 40, 50, 60, 70, 80, 90)),
                Arguments.of("AllAtOnce promotes straight away", "\"AllAtOnce\"", List.of()),
                Arguments.of("the CodeDeployDefault.Lambda prefix names the same canary",
                        "\"CodeDeployDefault.LambdaCanary10Percent5Minutes\"", bakes(300, 10)),
                Arguments.of("the CodeDeployDefault.Lambda prefix names the same linear configuration",
                        "\"CodeDeployDefault.LambdaLinear10PercentEvery10Minutes\"",
                        bakes(600, 10, 20, 30, 40, 50, 60, 70, 80, 90)),
                Arguments.of("the CodeDeployDefault.Lambda prefix names AllAtOnce",
                        "\"CodeDeployDefault.LambdaAllAtOnce\"", List.of()),
                Arguments.of("TimeBasedCanary sends its percentage for its interval",
                        "{\"type\":\"TimeBasedCanary\",\"percentage\":25,\"intervalMinutes\":7}", bakes(420, 25)),
                Arguments.of("TimeBasedLinear stops short of 100 when the percentage does not divide it",
                        "{\"type\":\"TimeBasedLinear\",\"percentage\":30,\"intervalMinutes\":2}", bakes(120, 30, 60, 90)),
                Arguments.of("TimeBasedLinear with 50% has a single increment",
                        "{\"type\":\"TimeBasedLinear\",\"percentage\":50,\"intervalMinutes\":1}", bakes(60, 50)),
                Arguments.of("a step list keeps its order and reads durations as text",
                        "{\"type\":\"Steps\",\"steps\":[{\"setWeight\":5},{\"pause\":{\"duration\":\"1h30m\"}},"
                                + "{\"setWeight\":50},{\"approval\":{\"timeout\":\"2h\",\"onTimeout\":\"promote\"}},"
                                + "{\"pause\":{\"duration\":90}}]}",
                        List.of(new Step.Shift(5), new Step.Bake(5400), new Step.Shift(50),
                                new Step.Approval(7200, OnTimeout.PROMOTE), new Step.Bake(90))),
                Arguments.of("an approval step without a timeout takes the request's default",
                        "{\"type\":\"Steps\",\"steps\":[{\"setWeight\":20},{\"approval\":{}}]}",
                        List.of(new Step.Shift(20), new Step.Approval(86400, OnTimeout.ROLLBACK))),
                Arguments.of("a final setWeight 100 means promote and adds no step",
                        "{\"type\":\"Steps\",\"steps\":[{\"setWeight\":40},{\"pause\":{\"duration\":\"5m\"}},{\"setWeight\":100}]}",
                        List.of(new Step.Shift(40), new Step.Bake(300))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("predefined")
    void turnsAStrategyIntoSteps(String sentence, String spec, List<Step> expected) {
        assertEquals(expected, plan(spec).steps());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("an unknown name is refused with the allowed names",
                        "\"Canary50Percent1Minute\"", "strategy: unknown strategy \"Canary50Percent1Minute\"; expected one of"),
                Arguments.of("a missing strategy is refused", "null", "strategy: is required"),
                Arguments.of("a number is not a strategy", "7", "strategy: expected a configuration name or an object"),
                Arguments.of("an unknown type is refused with the allowed types",
                        "{\"type\":\"BlueGreen\"}", "strategy.type: unknown type \"BlueGreen\"; expected one of TimeBasedCanary"),
                Arguments.of("a canary percentage above 99 is refused",
                        "{\"type\":\"TimeBasedCanary\",\"percentage\":150,\"intervalMinutes\":5}",
                        "strategy.percentage: expected a whole percentage from 1 to 99, got 150"),
                Arguments.of("a linear percentage of zero is refused",
                        "{\"type\":\"TimeBasedLinear\",\"percentage\":0,\"intervalMinutes\":5}",
                        "strategy.percentage: expected a whole percentage from 1 to 99, got 0"),
                Arguments.of("a negative interval is refused",
                        "{\"type\":\"TimeBasedCanary\",\"percentage\":10,\"intervalMinutes\":-5}",
                        "strategy.intervalMinutes: expected whole minutes from 1 to 525600"),
                Arguments.of("an interval beyond a year is refused",
                        "{\"type\":\"TimeBasedLinear\",\"percentage\":10,\"intervalMinutes\":600000}",
                        "strategy.intervalMinutes: expected whole minutes from 1 to 525600 (365d), got 600000"),
                Arguments.of("a linear plan longer than a year in total is refused",
                        "{\"type\":\"TimeBasedLinear\",\"percentage\":1,\"intervalMinutes\":10000}",
                        "longer than the 364d a rollout may wait: its execution times out after 365d"),
                Arguments.of("a plan of a whole year leaves no time to promote before the time-out and is refused",
                        "{\"type\":\"TimeBasedCanary\",\"percentage\":10,\"intervalMinutes\":525600}",
                        "waits up to 365d10m in total"),
                Arguments.of("a misspelt field is named",
                        "{\"type\":\"TimeBasedCanary\",\"percent\":10,\"intervalMinutes\":5}", "strategy.percent: unknown field"),
                Arguments.of("an empty step list is refused",
                        "{\"type\":\"Steps\",\"steps\":[]}", "strategy.steps: must hold at least one step"),
                Arguments.of("a weight above 100 is refused",
                        "{\"type\":\"Steps\",\"steps\":[{\"setWeight\":120}]}",
                        "strategy.steps[0].setWeight: expected a whole percentage from 0 to 100, got 120"),
                Arguments.of("a negative weight is refused",
                        "{\"type\":\"Steps\",\"steps\":[{\"setWeight\":-1}]}",
                        "strategy.steps[0].setWeight: expected a whole percentage from 0 to 100, got -1"),
                Arguments.of("a weight that does not increase is refused",
                        "{\"type\":\"Steps\",\"steps\":[{\"setWeight\":30},{\"setWeight\":20}]}",
                        "strategy.steps[1].setWeight: weights must increase: 20 does not exceed the previous weight 30"),
                Arguments.of("a fractional weight is refused",
                        "{\"type\":\"Steps\",\"steps\":[{\"setWeight\":12.5}]}",
                        "strategy.steps[0].setWeight: expected a whole percentage from 0 to 100, got the number 12.5"),
                Arguments.of("a negative pause is refused",
                        "{\"type\":\"Steps\",\"steps\":[{\"setWeight\":10},{\"pause\":{\"duration\":-60}}]}",
                        "strategy.steps[1].pause.duration: must not be negative, got -60"),
                Arguments.of("a pause beyond what Step Functions allows is refused",
                        "{\"type\":\"Steps\",\"steps\":[{\"setWeight\":10},{\"pause\":{\"duration\":\"400d\"}}]}",
                        "strategy.steps[1].pause.duration: is 400d; at most 365d"),
                Arguments.of("unreadable duration text is refused",
                        "{\"type\":\"Steps\",\"steps\":[{\"pause\":{\"duration\":\"ten minutes\"}}]}",
                        "strategy.steps[0].pause.duration: expected a duration such as 90, \"90s\", \"10m\" or \"1h30m\""),
                Arguments.of("an approval timeout of zero is refused",
                        "{\"type\":\"Steps\",\"steps\":[{\"approval\":{\"timeout\":0}}]}",
                        "strategy.steps[0].approval.timeout: must be longer than 0s"),
                Arguments.of("an unknown onTimeout is refused",
                        "{\"type\":\"Steps\",\"steps\":[{\"approval\":{\"onTimeout\":\"ignore\"}}]}",
                        "strategy.steps[0].approval.onTimeout: expected \"rollback\" or \"promote\""),
                Arguments.of("an unknown step kind is refused",
                        "{\"type\":\"Steps\",\"steps\":[{\"analysis\":{}}]}",
                        "strategy.steps[0]: unknown step \"analysis\"; expected setWeight, pause or approval"),
                Arguments.of("a step with two kinds is refused",
                        "{\"type\":\"Steps\",\"steps\":[{\"setWeight\":10,\"pause\":{\"duration\":60}}]}",
                        "strategy.steps[0]: expected an object with exactly one of setWeight, pause, approval"),
                Arguments.of("nothing may follow setWeight 100",
                        "{\"type\":\"Steps\",\"steps\":[{\"setWeight\":100},{\"pause\":{\"duration\":60}}]}",
                        "strategy.steps[1]: nothing may follow setWeight 100"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refusesAnInvalidStrategyNamingTheField(String sentence, String spec, String expectedProblem) {
        List<String> problems = problems(spec);
        assertTrue(problems.stream().anyMatch(problem -> problem.startsWith(expectedProblem)
                        || problem.contains(expectedProblem)),
                () -> "expected a problem like <" + expectedProblem + "> but got " + problems);
    }

    @Test
    void everyPredefinedNameIsAcceptedWithAndWithoutThePrefix() {
        assertEquals(9, Strategies.predefinedNames().size());
        for (String name : Strategies.predefinedNames()) {
            assertEquals(plan("\"" + name + "\"").steps(),
                    plan("\"" + Strategies.CODEDEPLOY_PREFIX + name + "\"").steps(), name);
        }
    }

    @Test
    void aStepListReportsEveryBadStepAtOnce() {
        List<String> problems = problems("{\"type\":\"Steps\",\"steps\":[{\"setWeight\":120},"
                + "{\"pause\":{\"duration\":-1}},{\"jump\":1}]}");
        assertEquals(3, problems.size(), problems::toString);
    }

    @Test
    void aStepListWithoutItsTypeIsRefusedWithTheProblemsOfItsStepsInTheSameRefusal() {
        assertEquals(List.of("strategy.type: is required: \"Steps\" for a list of steps",
                        "strategy.steps[1].setWeight: weights must increase: 20 does not exceed the previous weight 50"),
                problems("{\"steps\": [{\"setWeight\": 50}, {\"setWeight\": 20}]}"));
    }
}
