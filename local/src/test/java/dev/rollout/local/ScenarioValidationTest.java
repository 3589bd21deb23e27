package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;

/** Scenario files are checked like rollout inputs: every mistake named by its field, before anything runs. */
class ScenarioValidationTest {

    private static ObjectNode shipped() throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(ProjectRoot.resolve("events/scenarios/linear-healthy.json").toFile());
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("a fault on an operation that does not exist is refused, not ignored",
                        "{\"faults\": [{\"operation\": \"UpdateAliass\"}]}",
                        "faults[0].operation: expected one of [", "got \"UpdateAliass\""),
                Arguments.of("a negative fault count is refused",
                        "{\"faults\": [{\"operation\": \"UpdateAlias\", \"times\": -5}]}",
                        "faults[0].times: expected a whole number from 1 to 10000, got -5", ""),
                Arguments.of("a fault armed during a task that does not exist is refused, not left unarmed",
                        "{\"faults\": [{\"operation\": \"UpdateAlias\", \"during\": \"Rollbak\"}]}",
                        "faults[0].during: expected the name of a task state's function", "got \"Rollbak\""),
                Arguments.of("a function name Lambda would refuse is named as such",
                        "{\"function\": \"orders:live\"}", "function: expected a Lambda function name", ""),
                Arguments.of("extra routing to the live version is refused",
                        "{\"extraRouting\": {\"1\": 0.2}}", "extraRouting.1: the live version already gets the rest", ""),
                Arguments.of("extra routing with a weight Lambda refuses is refused",
                        "{\"extraRouting\": {\"2\": 1.5}}", "extraRouting.2: expected a weight above 0 and below 1", ""),
                Arguments.of("a Route 53 weight above 255 is refused with the field that holds it",
                        "{\"dns\": {\"hostedZone\": {\"id\": \"Z0123456789ABCDEFGHIJ\", \"name\": \"example.com\"},"
                                + " \"record\": {\"name\": \"api.example.com\"}, \"regions\": ["
                                + "{\"region\": \"eu-west-1\", \"endpoint\": \"eu.example.net\", \"version\": \"1\","
                                + " \"weight\": 300}, {\"region\": \"us-east-1\", \"endpoint\": \"us.example.net\","
                                + " \"version\": \"1\", \"weight\": 0}]}}",
                        "dns.regions[0].weight: expected a Route 53 weight, a whole number from 0 to 255, got 300", ""),
                Arguments.of("an unknown field of the dns setup is refused, not ignored",
                        "{\"dns\": {\"hostedZone\": {\"id\": \"Z0123456789ABCDEFGHIJ\", \"name\": \"example.com\"},"
                                + " \"record\": {\"name\": \"api.example.com\"}, \"resolver\": 5, \"regions\": []}}",
                        "dns.resolver: unknown field", "dns.regions: expected at least two Regions"),
                Arguments.of("a record outside its hosted zone and a change by someone else in an unknown Region are named",
                        "{\"dns\": {\"hostedZone\": {\"id\": \"Z0123456789ABCDEFGHIJ\", \"name\": \"example.com\"},"
                                + " \"record\": {\"name\": \"api.example.org\"}, \"regions\": ["
                                + "{\"region\": \"eu-west-1\", \"endpoint\": \"eu.example.net\", \"version\": \"1\","
                                + " \"weight\": 255}, {\"region\": \"us-east-1\", \"endpoint\": \"us.example.net\","
                                + " \"version\": \"1\", \"weight\": 0}],"
                                + " \"foreignChanges\": [{\"at\": \"3m\", \"region\": \"ap-south-1\", \"weight\": 9}]}}",
                        "dns.record.name: expected a name in the zone example.com",
                        "dns.foreignChanges[0].region: expected one of the Regions of dns.regions"),
                Arguments.of("a stop without a time is refused",
                        "{\"stop\": {\"after\": \"2m\"}}", "stop: expected an object such as {\"at\": \"2m30s\"}", ""),
                Arguments.of("a control that is neither abort nor promote is refused",
                        "{\"controls\": [{\"at\": \"7m\", \"action\": \"stop\"}]}",
                        "controls[0].action: expected abort or promote, got \"stop\"", ""),
                Arguments.of("a control without a time is refused",
                        "{\"controls\": [{\"action\": \"abort\", \"when\": \"7m\"}]}",
                        "controls[0].at: expected when, after the start", "controls[0].when: unknown field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void mistakesAreNamedByTheirField(String sentence, String patch, String expected, String also) throws Exception {
        ObjectNode scenario = shipped();
        scenario.setAll((ObjectNode) Json.MAPPER.readTree(patch));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Scenario.read(scenario));
        assertTrue(refused.getMessage().contains(expected) && refused.getMessage().contains(also),
                refused.getMessage());
    }

    @Test
    void simulateExitsWithTwoAndNamesEveryMistakeAtOnce(@TempDir Path dir) throws Exception {
        ObjectNode scenario = shipped();
        scenario.setAll((ObjectNode) Json.MAPPER.readTree("{\"faults\": [{\"operation\": \"UpdateAliass\", \"times\": -5,"
                + " \"during\": \"Rollbak\"}], \"stop\": {\"at\": \"soon\"}}"));
        Path file = dir.resolve("broken.json");
        Files.writeString(file, scenario.toString());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Simulate.run(new String[] {"--out", dir.toString(), file.toString()}, ProjectRoot.path(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, exit, message);
        for (String field : new String[] {"faults[0].operation", "faults[0].times", "faults[0].during", "stop.at"}) {
            assertTrue(message.contains(field), () -> field + " missing from " + message);
        }
    }
}
