package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The input's {@code target} of type Route53Weighted: a hosted zone, a record name and type, two record sets. */
class WeightedRecordsInputTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode input(String target) throws Exception {
        return MAPPER.readTree("{\"target\": " + target + ", \"strategy\": \"Canary10Percent5Minutes\"}");
    }

    @Test
    void aWeightedTargetNamesTheZoneTheRecordAndTheTwoRecordSets() throws Exception {
        RolloutRequest request = RolloutRequest.parse(input("""
                {"type": "Route53Weighted", "hostedZoneId": "Z0123456789ABCDEFGHIJ", "recordName": "API.Example.com.",
                 "recordType": "A", "from": "eu-west-1", "to": "us-east-1"}"""));
        Target.Route53Weighted target = new Target.Route53Weighted("Z0123456789ABCDEFGHIJ", "api.example.com", "A",
                "eu-west-1", "us-east-1");
        assertEquals(target, request.target());
        assertEquals("us-east-1", request.targetVersion());
        assertEquals("record api.example.com A", target.describe());
        assertEquals("record set", target.unit());
        assertEquals("route53:Z0123456789ABCDEFGHIJ:api.example.com:A", target.key());
    }

    @Test
    void theKeyIsTheRecordNotThePairSoASecondRolloutOfTheNameIsRefusedWhateverItsRecordSets() {
        assertEquals(new Target.Route53Weighted("Z1", "api.example.com", "A", "eu-west-1", "us-east-1").key(),
                new Target.Route53Weighted("Z1", "api.example.com", "A", "blue", "green").key());
    }

    @Test
    void aPreparedTargetCarriesItsStartingWeightsThroughTheStateMachine() throws Exception {
        Target prepared = new Target.Route53Weighted("Z1", "api.example.com", "A", "eu-west-1", "us-east-1")
                .startingWith(new RecordWeights(255, 0));
        String json = MAPPER.writeValueAsString(prepared);
        assertEquals(prepared, MAPPER.readValue(json, Target.class));
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of("every missing field is named at once",
                        "{\"type\": \"Route53Weighted\"}",
                        List.of("target.hostedZoneId: is required", "target.recordName: is required",
                                "target.recordType: is required", "target.from: is required",
                                "target.to: is required")),
                Arguments.of("a malformed zone, name and type say what was expected",
                        "{\"type\": \"Route53Weighted\", \"hostedZoneId\": \"z-123\", \"recordName\": \"api..example.com\","
                                + " \"recordType\": \"SOA\", \"from\": \"eu-west-1\", \"to\": \"us-east-1\"}",
                        List.of("target.hostedZoneId: expected a hosted zone id such as \"Z0123456789ABCDEFGHIJ\""
                                        + " (upper-case letters and digits), got \"z-123\"",
                                "target.recordName: expected a DNS name such as \"api.example.com\" (labels of letters,"
                                        + " digits, - and _, up to 63 characters each), got \"api..example.com\"",
                                "target.recordType: expected a record type Route 53 routes by weight, one of A, AAAA,"
                                        + " CAA, CNAME, HTTPS, MX, NAPTR, NS, PTR, SPF, SRV, SSHFP, SVCB, TLSA, TXT, got"
                                        + " \"SOA\"")),
                Arguments.of("the same record set on both sides is refused",
                        "{\"type\": \"Route53Weighted\", \"hostedZoneId\": \"Z1\", \"recordName\": \"api.example.com\","
                                + " \"recordType\": \"A\", \"from\": \"eu-west-1\", \"to\": \"eu-west-1\"}",
                        List.of("target.to: names the same record set as target.from (\"eu-west-1\"); a rollout moves"
                                + " queries from one weighted record set to another")),
                Arguments.of("an unknown field lists the known ones",
                        "{\"type\": \"Route53Weighted\", \"hostedZoneId\": \"Z1\", \"recordName\": \"api.example.com\","
                                + " \"recordType\": \"A\", \"from\": \"eu-west-1\", \"to\": \"us-east-1\", \"ttl\": 60}",
                        List.of("target.ttl: unknown field; expected one of from, hostedZoneId, recordName, recordType,"
                                + " to, type")),
                Arguments.of("a minimum of invocations is refused, as Route 53 counts no queries per record set",
                        "{\"type\": \"Route53Weighted\", \"hostedZoneId\": \"Z1\", \"recordName\": \"api.example.com\","
                                + " \"recordType\": \"A\", \"from\": \"eu-west-1\", \"to\": \"us-east-1\"},"
                                + " \"minInvocations\": 100",
                        List.of("minInvocations: counts what the new side served (invocations of a Lambda version,"
                                + " requests to a stage's canary), and Route 53 counts queries per hosted zone, not per"
                                + " weighted record set; leave minInvocations out and watch each record set with its"
                                + " health check and with alarms on its endpoint's own metrics")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void refusesWithEveryProblemNamed(String sentence, String target, List<String> problems) {
        Rollout.InvalidInput refused = assertThrows(Rollout.InvalidInput.class, () -> RolloutRequest.parse(input(target)));
        assertEquals(problems, refused.problems());
    }
}
