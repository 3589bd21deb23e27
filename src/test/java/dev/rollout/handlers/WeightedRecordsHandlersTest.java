package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.rollout.aws.Targets;
import dev.rollout.aws.WeightedRecords;
import dev.rollout.domain.StackDefaults;
import dev.rollout.local.aws.InMemoryRoute53;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.GetHealthCheckStatusRequest;
import software.amazon.awssdk.services.route53.model.GetHealthCheckStatusResponse;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsRequest;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The traffic handlers on two Route 53 weighted record sets, against the in-memory Route 53: the starting weights
 * recorded and restored exactly, every write a compare-and-swap batch, the wait for a change to settle, and the
 * records' own health checks.
 */
class WeightedRecordsHandlersTest {
    private static final String ZONE = "Z0123456789ABCDEFGHIJ";
    private static final String NAME = "api.example.com";

    private final World world = new World();
    private final InMemoryRoute53 route53 = new InMemoryRoute53(world.clock, world.cloudWatch);
    private final Targets targets = new Targets(world.lambda, () -> world.apiGateway, () -> route53,
            () -> world.cloudWatch);
    private final Prepare prepare = new Prepare(targets, world.lambda, world.cloudWatch, world.clock,
            StackDefaults.NONE);
    private final ShiftTraffic shift = new ShiftTraffic(targets, world.cloudWatch, world.clock);
    private final Settle settle = new Settle(targets, world.clock);
    private final Promote promote = new Promote(targets, world.cloudWatch, world.dynamoDb, World.LEASES, World.CONTROLS, world.clock);
    private final CheckHealth check = new CheckHealth(targets, world.cloudWatch, world.dynamoDb, World.LEASES, World.CONTROLS,
            world.clock);
    private final Rollback rollback = new Rollback(targets, world.clock);
    private final Map<String, String> healthChecks = new LinkedHashMap<>();

    WeightedRecordsHandlersTest() {
        route53.addHostedZone(ZONE, "example.com");
        for (String region : List.of("eu-west-1", "us-east-1")) {
            healthChecks.put(region, route53.createHealthCheck(request -> request.callerReference(region)
                    .healthCheckConfig(config -> config.type(HealthCheckType.HTTPS)
                            .fullyQualifiedDomainName(region + ".api.example.net").failureThreshold(3)))
                    .healthCheck().id());
        }
        healthChecks.keySet().forEach(region -> route53.setEndpointHealthy(region + ".api.example.net", true));
        route53.addRecordSets(ZONE, List.of(record("eu-west-1", 255, "192.0.2.10"),
                record("us-east-1", 0, "198.51.100.20")));
    }

    private ResourceRecordSet record(String region, long weight, String address) {
        return ResourceRecordSet.builder().name(NAME).type("A").setIdentifier(region).weight(weight).ttl(60L)
                .healthCheckId(healthChecks.get(region))
                .resourceRecords(ResourceRecord.builder().value(address).build()).build();
    }

    private static ObjectNode request() {
        ObjectNode input = Json.object();
        input.putObject("target").put("type", "Route53Weighted").put("hostedZoneId", ZONE).put("recordName", NAME)
                .put("recordType", "A").put("from", "eu-west-1").put("to", "us-east-1");
        input.put("strategy", "Canary10Percent5Minutes");
        input.putArray("alarms").add(World.ALARM);
        return input;
    }

    private JsonNode prepared() {
        return prepare.handle(request());
    }

    /** The weights of the two record sets as Route 53 lists them, eu-west-1 first. */
    private List<Long> weights() {
        Map<String, Long> weights = new LinkedHashMap<>();
        route53.listResourceRecordSets(request -> request.hostedZoneId(ZONE)).resourceRecordSets().stream()
                .filter(set -> set.setIdentifier() != null)
                .forEach(set -> weights.put(set.setIdentifier(), set.weight()));
        return List.of(weights.get("eu-west-1"), weights.get("us-east-1"));
    }

    /** Reweighs as a person at the console would: DELETE and CREATE of both record sets in one batch. */
    private void reweighByHand(long from, long to) {
        Map<String, ResourceRecordSet> current = new LinkedHashMap<>();
        route53.listResourceRecordSets(request -> request.hostedZoneId(ZONE)).resourceRecordSets().stream()
                .filter(set -> set.setIdentifier() != null).forEach(set -> current.put(set.setIdentifier(), set));
        route53.changeResourceRecordSets(request -> request.hostedZoneId(ZONE).changeBatch(batch -> batch.changes(
                change(ChangeAction.DELETE, current.get("eu-west-1")),
                change(ChangeAction.DELETE, current.get("us-east-1")),
                change(ChangeAction.CREATE, current.get("eu-west-1").toBuilder().weight(from).build()),
                change(ChangeAction.CREATE, current.get("us-east-1").toBuilder().weight(to).build()))));
    }

    private static Change change(ChangeAction action, ResourceRecordSet set) {
        return Change.builder().action(action).resourceRecordSet(set).build();
    }

    private static ObjectNode settleInput(JsonNode moved) {
        ObjectNode input = Json.object();
        input.set("propagation", moved.get("propagation"));
        return input;
    }

    @Test
    void prepareRecordsTheStartingWeightsAndTheSideTheRecordsServe() {
        JsonNode prepared = prepared();
        assertEquals("eu-west-1", prepared.at("/rollout/fromVersion").asText());
        assertEquals("us-east-1", prepared.at("/rollout/toVersion").asText());
        assertEquals(255, prepared.at("/rollout/target/startingWeights/from").asLong());
        assertEquals(0, prepared.at("/rollout/target/startingWeights/to").asLong());
        assertTrue(prepared.path("revisionId").asText().startsWith("route53:"), prepared::toString);
    }

    @Test
    void prepareListsAMissingRecordSetTogetherWithTheInputsOtherProblems() {
        ObjectNode input = request();
        ((ObjectNode) input.get("target")).put("to", "ap-south-1");
        input.put("strategy", "Canary200Percent5Minutes");
        input.putArray("alarms").add("api-latency");
        Rollout.InvalidInput refused = assertThrows(Rollout.InvalidInput.class, () -> prepare.handle(input));
        assertEquals(3, refused.problems().size(), refused.problems()::toString);
        assertTrue(refused.problems().stream().anyMatch(problem -> problem.startsWith("strategy:")),
                refused.problems()::toString);
        assertTrue(refused.problems().contains("target.to: hosted zone " + ZONE + " has no weighted record set " + NAME
                + " A with SetIdentifier \"ap-south-1\"; create it with weight 0 first"), refused.problems()::toString);
        assertTrue(refused.problems().stream().anyMatch(problem -> problem.startsWith("alarms[0]: no CloudWatch alarm"
                + " named \"api-latency\"")), refused.problems()::toString);
        assertEquals(List.of(255L, 0L), weights());
    }

    @Test
    void prepareListsAMissingHostedZoneTogetherWithTheInputsOtherProblems() {
        ObjectNode input = request();
        ((ObjectNode) input.get("target")).put("hostedZoneId", "Z9999999999NOSUCHZONE");
        input.put("strategy", "Canary200Percent5Minutes");
        Rollout.InvalidInput refused = assertThrows(Rollout.InvalidInput.class, () -> prepare.handle(input));
        assertEquals(2, refused.problems().size(), refused.problems()::toString);
        assertTrue(refused.problems().contains("target.hostedZoneId: no hosted zone Z9999999999NOSUCHZONE exists in"
                + " this account"), refused.problems()::toString);
    }

    @Test
    void aMalformedRecordIsNeverLookedUpWhileTheRestOfTheInputIs() {
        ObjectNode input = request();
        ((ObjectNode) input.get("target")).put("recordName", "api..example.com");
        input.putArray("alarms").add("api-latency");
        int before = route53.faults().calls("ListResourceRecordSets");
        Rollout.InvalidInput refused = assertThrows(Rollout.InvalidInput.class, () -> prepare.handle(input));
        assertEquals(2, refused.problems().size(), refused.problems()::toString);
        assertTrue(refused.problems().get(0).startsWith("target.recordName: expected a DNS name"),
                refused.problems()::toString);
        assertTrue(refused.problems().get(1).startsWith("alarms[0]: no CloudWatch alarm named \"api-latency\""),
                refused.problems()::toString);
        assertEquals(before, route53.faults().calls("ListResourceRecordSets"), "nothing malformed is sent to Route 53");
    }

    @Test
    void aStepReweighsBothRecordSetsAndCountsOnlyOnceTheChangeIsInSyncAndTheTtlHasPassed() {
        JsonNode prepared = prepared();
        JsonNode shifted = shift.handle(TaskInputs.shift(prepared, 10, prepared.path("revisionId").asText()));
        assertEquals(List.of(90L, 10L), weights());
        assertEquals("record set eu-west-1 90%, record set us-east-1 10%", shifted.path("routing").asText());
        assertEquals(60, shifted.at("/propagation/ttlSeconds").asLong());
        assertEquals(10, shifted.at("/propagation/weight").asInt());
        assertFalse(shifted.at("/propagation/changeId").isNull(), shifted::toString);

        assertThrows(Rollout.ChangePending.class, () -> settle.handle(settleInput(shifted)),
                "Route 53 takes a while to put a change on every name server");
        world.pass(InMemoryRoute53.DEFAULT_PROPAGATION);
        Instant inSync = world.clock.instant();
        JsonNode settled = settle.handle(settleInput(shifted));
        assertEquals(inSync.plus(Duration.ofSeconds(60)).toString(), settled.path("settledAt").asText(),
                "resolvers may answer from their caches for one TTL after the change is in sync");
        assertEquals(10, settled.path("weight").asInt());
    }

    @Test
    void anAliasMoveTakesEffectAtOnceAndHasNothingToSettle() {
        JsonNode prepared = prepare.handle(TaskInputs.request(World.FUNCTION, World.ALARM, "Canary10Percent5Minutes"));
        JsonNode shifted = shift.handle(TaskInputs.shift(prepared, 10, prepared.path("revisionId").asText()));
        assertTrue(shifted.path("propagation").isNull(), shifted::toString);
    }

    @Test
    void promotionMirrorsTheStartingWeightsAndARollbackAfterItRestoresThemExactly() {
        JsonNode prepared = prepared();
        JsonNode shifted = shift.handle(TaskInputs.shift(prepared, 10, prepared.path("revisionId").asText()));
        world.pass(Duration.ofMinutes(5));
        JsonNode promoted = promote.handle(TaskInputs.withRevision(prepared, shifted.path("revisionId").asText()));
        assertEquals(List.of(0L, 255L), weights());
        assertEquals("record set us-east-1 100%", promoted.path("routing").asText());
        assertEquals(100, promoted.at("/propagation/weight").asInt());

        JsonNode restored = rollback.handle(TaskInputs.rollback(prepared));
        assertEquals("ROLLED_BACK", restored.path("phase").asText());
        assertEquals(List.of(255L, 0L), weights(), "the starting weights, not 100 and 0");
    }

    @Test
    void aRetriedShiftFindsItsOwnChangeAndWaitsTheTtlFromNow() {
        JsonNode prepared = prepared();
        String revision = prepared.path("revisionId").asText();
        JsonNode first = shift.handle(TaskInputs.shift(prepared, 10, revision));
        JsonNode again = shift.handle(TaskInputs.shift(prepared, 10, revision));
        assertEquals(first.path("revisionId").asText(), again.path("revisionId").asText());
        assertTrue(again.at("/propagation/changeId").isNull(), "a read does not know the change's id");
        JsonNode settled = settle.handle(settleInput(again));
        assertEquals(world.clock.instant().plusSeconds(60).toString(), settled.path("settledAt").asText());
    }

    @Test
    void someoneElsesWeightsStopTheRolloutAndAreLeftAsTheySetThem() {
        JsonNode prepared = prepared();
        JsonNode shifted = shift.handle(TaskInputs.shift(prepared, 10, prepared.path("revisionId").asText()));
        reweighByHand(70, 30);

        Rollout.Conflict conflict = assertThrows(Rollout.Conflict.class, () -> shift.handle(
                TaskInputs.shift(prepared, 50, shifted.path("revisionId").asText())));
        assertTrue(conflict.getMessage().startsWith("record api.example.com A was changed outside this rollout"),
                conflict.getMessage());
        ObjectNode input = TaskInputs.rollback(prepared);
        input.putObject("failure").put("Error", "Rollout.Conflict").put("Cause", conflict.getMessage());
        JsonNode stopped = rollback.handle(input);
        assertEquals("STOPPED", stopped.path("phase").asText());
        assertEquals(List.of(70L, 30L), weights());
    }

    @Test
    void aChangeLandingBetweenTheReadAndTheBatchMakesRoute53RefuseTheBatchWhole() {
        JsonNode prepared = prepared();
        // Someone reweighs the records right after the adapter's last read before its batch.
        Route53Client racing = new Route53Client() {
            private int reads;

            @Override
            public ListResourceRecordSetsResponse listResourceRecordSets(ListResourceRecordSetsRequest request) {
                ListResourceRecordSetsResponse response = route53.listResourceRecordSets(request);
                if (++reads == 2) {
                    reweighByHand(200, 55);
                }
                return response;
            }

            @Override
            public ChangeResourceRecordSetsResponse changeResourceRecordSets(ChangeResourceRecordSetsRequest request) {
                return route53.changeResourceRecordSets(request);
            }

            @Override
            public GetHealthCheckStatusResponse getHealthCheckStatus(GetHealthCheckStatusRequest request) {
                return route53.getHealthCheckStatus(request);
            }

            @Override
            public String serviceName() {
                return route53.serviceName();
            }

            @Override
            public void close() {
            }
        };
        ShiftTraffic racingShift = new ShiftTraffic(new Targets(world.lambda, () -> world.apiGateway, () -> racing,
                () -> world.cloudWatch), world.cloudWatch, world.clock);
        Rollout.Conflict conflict = assertThrows(Rollout.Conflict.class, () -> racingShift.handle(
                TaskInputs.shift(prepared, 10, prepared.path("revisionId").asText())));
        assertTrue(conflict.getMessage().contains("Route 53 refused to delete record api.example.com A as this rollout"
                + " last saw it"), conflict.getMessage());
        assertEquals(List.of(200L, 55L), weights(), "their weights, not the rollout's 90 and 10");
    }

    @Test
    void aFailingHealthCheckOfARecordSetReceivingQueriesFailsTheCheckNamingItsRegion() {
        JsonNode prepared = prepared();
        JsonNode shifted = shift.handle(TaskInputs.shift(prepared, 10, prepared.path("revisionId").asText()));
        route53.setEndpointHealthy("us-east-1.api.example.net", false);
        world.pass(Duration.ofMinutes(5));

        ObjectNode checkInput = TaskInputs.withRevision(prepared, shifted.path("revisionId").asText());
        checkInput.put("since", shifted.path("checkedAt").asText());
        Rollout.HealthCheckFailed failed = assertThrows(Rollout.HealthCheckFailed.class,
                () -> check.handle(checkInput));
        assertTrue(failed.getMessage().contains("record set \"us-east-1\" fails its Route 53 health check "
                + healthChecks.get("us-east-1") + " is unhealthy"), failed.getMessage());
        assertThrows(Rollout.HealthCheckFailed.class, () -> promote.handle(checkInput));
        assertEquals(List.of(90L, 10L), weights(), "no promotion onto a failing Region");

        ObjectNode input = TaskInputs.rollback(prepared);
        input.putObject("failure").put("Error", "Rollout.HealthCheckFailed").put("Cause", failed.getMessage());
        JsonNode restored = rollback.handle(input);
        assertEquals("ROLLED_BACK", restored.path("phase").asText());
        assertTrue(restored.path("reason").asText().contains("\"us-east-1\""), restored::toString);
        assertEquals(List.of(255L, 0L), weights());
    }

    /** Minutes pass; Route 53 publishes its health checks' HealthCheckStatus each minute, as it does in us-east-1. */
    private void passMinutes(int minutes) {
        for (int i = 0; i < minutes; i++) {
            world.pass(Duration.ofMinutes(1));
            route53.publishHealthCheckMetrics();
        }
    }

    @Test
    void aRegionThatFailedItsHealthCheckAndRecoveredWithinTheWindowStillFailsTheCheck() {
        JsonNode prepared = prepared();
        JsonNode shifted = shift.handle(TaskInputs.shift(prepared, 10, prepared.path("revisionId").asText()));
        passMinutes(1);
        route53.setEndpointHealthy("us-east-1.api.example.net", false);
        passMinutes(3);
        route53.setEndpointHealthy("us-east-1.api.example.net", true);
        passMinutes(3);
        assertEquals(Optional.empty(), new WeightedRecords(route53)
                .unhealthy(healthChecks.get("us-east-1")), "healthy again by the time of the check");

        ObjectNode checkInput = TaskInputs.withRevision(prepared, shifted.path("revisionId").asText());
        checkInput.put("since", shifted.path("checkedAt").asText());
        Rollout.HealthCheckFailed failed = assertThrows(Rollout.HealthCheckFailed.class,
                () -> check.handle(checkInput));
        assertTrue(failed.getMessage().contains("record set \"us-east-1\" failed its Route 53 health check "
                + healthChecks.get("us-east-1") + " in the minute from "), failed.getMessage());
    }

    @Test
    void aWindowWhoseRecordSetsPassedTheirHealthChecksThroughoutIsHealthy() {
        JsonNode prepared = prepared();
        JsonNode shifted = shift.handle(TaskInputs.shift(prepared, 10, prepared.path("revisionId").asText()));
        passMinutes(5);
        ObjectNode checkInput = TaskInputs.withRevision(prepared, shifted.path("revisionId").asText());
        checkInput.put("since", shifted.path("checkedAt").asText());
        JsonNode checked = check.handle(checkInput);
        assertTrue(checked.path("healthy").asBoolean());
        // Route 53 counts queries per hosted zone: no metric compares the record sets, their health checks judge them.
        assertEquals("NOT_APPLICABLE", checked.path("metrics").path("outcome").asText());
        assertEquals("metrics not judged (record api.example.com (A) in hosted zone " + ZONE + " moves queries between"
                + " record sets, which Route 53 keeps no metrics of: their health checks and the alarms judge the"
                + " window)", checked.path("metrics").path("summary").asText());
    }

    @Test
    void aFailingHealthCheckOfARecordSetReceivingNoQueriesDoesNotCount() {
        route53.setEndpointHealthy("us-east-1.api.example.net", false);
        world.pass(Duration.ofMinutes(5));
        JsonNode prepared = prepared();
        ObjectNode checkInput = TaskInputs.withRevision(prepared, prepared.path("revisionId").asText());
        assertTrue(check.handle(checkInput).path("healthy").asBoolean(),
                "us-east-1 weighs 0: Route 53 sends it nothing, failing or not");
    }

    @Test
    void prepareRefusesWhatItCannotShiftExactlyBeforeAnythingMoves() {
        route53.addRecordSets(ZONE, List.of(record("ap-south-1", 50, "203.0.113.5")));
        Rollout.InvalidInput refused = assertThrows(Rollout.InvalidInput.class, this::prepared);
        assertEquals(List.of("target.recordName: record api.example.com A also sends queries to weighted record sets"
                + " {ap-south-1=50} (SetIdentifier=weight), so no step's percent would be the share of queries"
                + " \"us-east-1\" receives; set their weights to 0 first"), refused.problems());
        assertEquals(List.of(255L, 0L), weights());
    }

    @Test
    void prepareNamesAMissingZoneAndAMissingRecordSetByField() {
        ObjectNode noZone = request();
        ((ObjectNode) noZone.get("target")).put("hostedZoneId", "Z999");
        assertEquals(List.of("target.hostedZoneId: no hosted zone Z999 exists in this account"),
                assertThrows(Rollout.InvalidInput.class, () -> prepare.handle(noZone)).problems());

        ObjectNode noRecordSet = request();
        ((ObjectNode) noRecordSet.get("target")).put("to", "us-west-2");
        assertEquals(List.of("target.to: hosted zone " + ZONE + " has no weighted record set api.example.com A with"
                        + " SetIdentifier \"us-west-2\"; create it with weight 0 first"),
                assertThrows(Rollout.InvalidInput.class, () -> prepare.handle(noRecordSet)).problems());
    }

    @Test
    void recordsAlreadySplitAreAnotherRolloutsAndRefused() {
        reweighByHand(50, 50);
        Rollout.Conflict refused = assertThrows(Rollout.Conflict.class, this::prepared);
        assertTrue(refused.getMessage().startsWith("record api.example.com A already routes record set eu-west-1 50%,"
                + " record set us-east-1 50%"), refused.getMessage());
    }
}
