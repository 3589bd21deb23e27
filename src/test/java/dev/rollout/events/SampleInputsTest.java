package dev.rollout.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import dev.rollout.ProjectRoot;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import dev.rollout.domain.AppSpec;
import dev.rollout.domain.EnvironmentChain;
import dev.rollout.domain.RolloutSettings;
import dev.rollout.domain.StackDefaults;
import dev.rollout.domain.Step;
import dev.rollout.domain.RolloutRequest;
import dev.rollout.domain.Target;
import dev.rollout.handlers.Json;

/** The start inputs the README tells people to paste into the console are valid rollout inputs. */
class SampleInputsTest {
    private static final Path EVENTS = ProjectRoot.path().resolve("events");

    static Stream<Path> consoleInputs() throws Exception {
        try (Stream<Path> files = Files.list(EVENTS)) {
            List<Path> inputs = files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
            assertEquals(6, inputs.size(), inputs::toString);
            return inputs.stream();
        }
    }

    static Stream<Path> appSpecInputs() throws Exception {
        try (Stream<Path> files = Files.list(EVENTS.resolve("appspec"))) {
            List<Path> inputs = files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
            assertEquals(2, inputs.size(), inputs::toString);
            return inputs.stream();
        }
    }

    @ParameterizedTest(name = "{0} is a valid rollout input")
    @MethodSource("appSpecInputs")
    void appSpecInputsParse(Path input) throws Exception {
        RolloutRequest request = RolloutRequest.parse(AppSpec.expand(Json.MAPPER.readTree(input.toFile())));
        assertEquals("lambda-rollout-greeter", ((Target.LambdaAlias) request.target()).functionName());
        assertEquals("1", request.currentVersion());
        assertEquals("lambda-rollout-smoke-test", request.hooks().preTraffic().function());
        assertEquals("lambda-rollout-e2e-check", request.hooks().postTraffic().function());
    }

    @Test
    void theYamlInputCarriesTheAppSpecFileAsItIs() throws Exception {
        assertEquals(Files.readString(EVENTS.resolve("appspec/appspec.yaml")),
                Json.MAPPER.readTree(EVENTS.resolve("appspec/appspec-yaml.json").toFile()).path("appSpec").asText());
    }

    static Stream<Path> environmentInputs() throws Exception {
        try (Stream<Path> files = Files.list(EVENTS.resolve("environments"))) {
            List<Path> inputs = files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
            assertEquals(2, inputs.size(), inputs::toString);
            return inputs.stream();
        }
    }

    /**
     * With the serving function's tags and the template's default environment settings (what a stack deployed with
     * defaults has), each environment input is a valid rollout of its own alias, and prod's moves nothing before a
     * person approves.
     */
    @ParameterizedTest(name = "{0} is a valid rollout input of its environment")
    @MethodSource("environmentInputs")
    void environmentInputsResolve(Path input) throws Exception {
        JsonNode document = Json.MAPPER.readTree(input.toFile());
        RolloutRequest request = RolloutSettings.resolve(document, Map.of(
                RolloutSettings.STRATEGY_TAG, "Canary10Percent5Minutes",
                RolloutSettings.ALARMS_TAG, "lambda-rollout-greeter-errors",
                EnvironmentChain.TAG, "dev test prod"),
                StackDefaults.NONE.withEnvironments("dev=AllAtOnce,test=Canary10Percent5Minutes", "prod")).request();
        String environment = input.getFileName().toString().replace(".json", "");
        assertEquals(new Target.LambdaAlias("lambda-rollout-greeter", environment), request.target());
        assertEquals(environment.equals("prod"), !request.plan().steps().isEmpty()
                && request.plan().steps().get(0) instanceof Step.Approval);
    }

    @ParameterizedTest(name = "{0} is a valid rollout input")
    @MethodSource("consoleInputs")
    void parses(Path input) throws Exception {
        RolloutRequest request = RolloutRequest.parse(Json.MAPPER.readTree(input.toFile()));
        if (request.target() instanceof Target.StageCanary stage) {
            assertEquals("live", stage.stage(), "the serving API's stage");
        } else if (request.target() instanceof Target.Route53Weighted records) {
            // The template names the weighted record sets by Region (docs/regions.md).
            assertEquals(List.of("eu-west-1", "us-east-1"), List.of(records.from(), records.to()));
        } else {
            assertEquals(new Target.LambdaAlias("lambda-rollout-greeter", "live"), request.target());
        }
        assertFalse(request.plan().strategy().isEmpty());
    }
}
