package dev.rollout.local.aws;

import static dev.rollout.local.aws.AwsAssertions.assertAwsError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricStatisticsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeInfo;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.HealthCheckObservation;
import software.amazon.awssdk.services.route53.model.HealthCheckType;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.InvalidInputException;
import software.amazon.awssdk.services.route53.model.NoSuchHostedZoneException;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.ThrottlingException;

class InMemoryRoute53Test {
    private static final String ZONE = "Z0123456789ABCDEFGHIJ";
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    private final ManualClock clock = new ManualClock(START);
    private final InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock);
    private final InMemoryRoute53 route53 = new InMemoryRoute53(clock, cloudWatch);

    InMemoryRoute53Test() {
        route53.addHostedZone(ZONE, "example.com");
        route53.addRecordSets(ZONE, List.of(weighted("eu-west-1", 255, "192.0.2.10"),
                weighted("us-east-1", 0, "198.51.100.20")));
    }

    private static ResourceRecordSet weighted(String region, long weight, String address) {
        return ResourceRecordSet.builder().name("api.example.com").type("A").setIdentifier(region).weight(weight)
                .ttl(60L).resourceRecords(ResourceRecord.builder().value(address).build()).build();
    }

    private ChangeInfo change(Change... changes) {
        return route53.changeResourceRecordSets(request -> request.hostedZoneId(ZONE)
                .changeBatch(batch -> batch.changes(changes))).changeInfo();
    }

    private static Change change(ChangeAction action, ResourceRecordSet record) {
        return Change.builder().action(action).resourceRecordSet(record).build();
    }

    private Map<String, Long> weights() {
        Map<String, Long> weights = new HashMap<>();
        route53.listResourceRecordSets(request -> request.hostedZoneId(ZONE)).resourceRecordSets()
                .forEach(record -> weights.put(record.setIdentifier(), record.weight()));
        return weights;
    }

    @Test
    void aDeleteOfTheExactRecordSetsLastSeenAndACreateOfTheNewOnesMovesTheWeights() {
        ChangeInfo info = change(change(ChangeAction.DELETE, weighted("eu-west-1", 255, "192.0.2.10")),
                change(ChangeAction.DELETE, weighted("us-east-1", 0, "198.51.100.20")),
                change(ChangeAction.CREATE, weighted("eu-west-1", 230, "192.0.2.10")),
                change(ChangeAction.CREATE, weighted("us-east-1", 25, "198.51.100.20")));

        assertEquals(ChangeStatus.PENDING, info.status());
        assertFalse(info.id().startsWith("/change/"), "the SDK strips the prefix: " + info.id());
        assertEquals(Map.of("eu-west-1", 230L, "us-east-1", 25L), weights());
    }

    @Test
    void aDeleteWhoseWeightNoLongerMatchesRefusesTheWholeBatchAndChangesNothing() {
        change(change(ChangeAction.UPSERT, weighted("us-east-1", 50, "198.51.100.20")));

        InvalidChangeBatchException refused = assertAwsError(InvalidChangeBatchException.class, 400,
                "InvalidChangeBatch", () -> change(
                        change(ChangeAction.DELETE, weighted("eu-west-1", 255, "192.0.2.10")),
                        change(ChangeAction.DELETE, weighted("us-east-1", 0, "198.51.100.20")),
                        change(ChangeAction.CREATE, weighted("eu-west-1", 230, "192.0.2.10")),
                        change(ChangeAction.CREATE, weighted("us-east-1", 25, "198.51.100.20"))));

        assertEquals(List.of("Tried to delete resource record set [name='api.example.com.', type='A',"
                + " set-identifier='us-east-1'] but the values provided do not match the current values",
                "Tried to create resource record set [name='api.example.com.', type='A', set-identifier='us-east-1']"
                        + " but it already exists"), refused.messages());
        assertEquals(Map.of("eu-west-1", 255L, "us-east-1", 50L), weights());
    }

    @Test
    void aDeleteOfARecordSetThatIsNotThereIsNotFound() {
        InvalidChangeBatchException refused = assertAwsError(InvalidChangeBatchException.class, 400,
                "InvalidChangeBatch", () -> change(change(ChangeAction.DELETE, weighted("ap-south-1", 0, "192.0.2.1"))));

        assertEquals(List.of("Tried to delete resource record set [name='api.example.com.', type='A',"
                + " set-identifier='ap-south-1'] but it was not found"), refused.messages());
    }

    @Test
    void weightsAboveTwoHundredFiftyFiveAreRefused() {
        assertAwsError(InvalidInputException.class, 400, "InvalidInput",
                () -> change(change(ChangeAction.UPSERT, weighted("us-east-1", 256, "198.51.100.20"))));
    }

    @Test
    void anUnknownHostedZoneIsNoSuchHostedZone() {
        assertAwsError(NoSuchHostedZoneException.class, 404, "NoSuchHostedZone",
                () -> route53.listResourceRecordSets(request -> request.hostedZoneId("/hostedzone/ZNOPE")));
    }

    @Test
    void aChangeIsPendingUntilItHasReachedEveryNameServerThenInSync() {
        ChangeInfo info = change(change(ChangeAction.UPSERT, weighted("us-east-1", 128, "198.51.100.20")));

        clock.advance(InMemoryRoute53.DEFAULT_PROPAGATION.minusSeconds(1));
        assertEquals(ChangeStatus.PENDING, route53.getChange(request -> request.id(info.id())).changeInfo().status());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(ChangeStatus.INSYNC,
                route53.getChange(request -> request.id("/change/" + info.id())).changeInfo().status());
    }

    @Test
    void nameServersAnswerWithTheOldWeightsUntilTheChangeIsInSync() {
        change(change(ChangeAction.UPSERT, weighted("eu-west-1", 0, "192.0.2.10")),
                change(ChangeAction.UPSERT, weighted("us-east-1", 255, "198.51.100.20")));

        assertEquals("eu-west-1", answerAt(clock.instant()).get(0));
        assertEquals("us-east-1", answerAt(clock.instant().plus(InMemoryRoute53.DEFAULT_PROPAGATION)).get(0));
    }

    @Test
    void answersFollowTheWeightsExactlyOverManyQueries() {
        change(change(ChangeAction.UPSERT, weighted("eu-west-1", 192, "192.0.2.10")),
                change(ChangeAction.UPSERT, weighted("us-east-1", 64, "198.51.100.20")));
        Instant later = clock.instant().plus(InMemoryRoute53.DEFAULT_PROPAGATION);

        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            answers.addAll(answerAt(later));
        }

        assertEquals(25, answers.stream().filter("us-east-1"::equals).count());
    }

    private List<String> answerAt(Instant at) {
        return List.of(route53.answer("API.example.com.", "A", at).orElseThrow().setIdentifier().orElseThrow());
    }

    @Test
    void aRecordSetWhoseHealthCheckFailsIsLeftOutOfTheAnswersAfterTheFailureThreshold() {
        String check = route53.createHealthCheck(request -> request.callerReference("us-east-1")
                .healthCheckConfig(config -> config.type(HealthCheckType.HTTPS).fullyQualifiedDomainName(
                        "abc123.execute-api.us-east-1.amazonaws.com").resourcePath("/prod/").requestInterval(30)
                        .failureThreshold(3))).healthCheck().id();
        route53.setEndpointHealthy("abc123.execute-api.us-east-1.amazonaws.com", true);
        change(change(ChangeAction.UPSERT, weighted("eu-west-1", 128, "192.0.2.10")),
                change(ChangeAction.UPSERT, weighted("us-east-1", 128, "198.51.100.20").toBuilder()
                        .healthCheckId(check).build()));
        clock.advance(Duration.ofMinutes(2));
        assertTrue(route53.healthCheckHealthy(check, clock.instant()));

        route53.setEndpointHealthy("abc123.execute-api.us-east-1.amazonaws.com", false);
        clock.advance(Duration.ofSeconds(59));
        assertTrue(route53.healthCheckHealthy(check, clock.instant()), "two failures of three");
        clock.advance(Duration.ofSeconds(60));

        assertFalse(route53.healthCheckHealthy(check, clock.instant()));
        List<HealthCheckObservation> observations = route53.getHealthCheckStatus(request -> request
                .healthCheckId(check)).healthCheckObservations();
        assertEquals(8, observations.size());
        assertTrue(observations.stream().allMatch(observation -> observation.statusReport().status()
                .startsWith("Failure: HTTP Status Code 503")), observations.toString());
        for (int i = 0; i < 10; i++) {
            assertEquals(List.of("eu-west-1"), answerAt(clock.instant()));
        }
    }

    @Test
    void theHealthCheckStatusMetricIsOneWhileHealthyAndZeroOnceUnhealthy() {
        String check = route53.createHealthCheck(request -> request.callerReference("eu-west-1")
                .healthCheckConfig(config -> config.type(HealthCheckType.HTTPS)
                        .fullyQualifiedDomainName("eu.example.net"))).healthCheck().id();
        route53.setEndpointHealthy("eu.example.net", true);
        clock.advance(Duration.ofMinutes(1));
        route53.publishHealthCheckMetrics();
        route53.setEndpointHealthy("eu.example.net", false);
        clock.advance(Duration.ofMinutes(2));
        route53.publishHealthCheckMetrics();

        GetMetricStatisticsResponse statistics = cloudWatch.getMetricStatistics(request -> request
                .namespace("AWS/Route53").metricName("HealthCheckStatus")
                .dimensions(Dimension.builder().name("HealthCheckId").value(check).build())
                .startTime(START).endTime(clock.instant().plusSeconds(60)).period(60)
                .statistics(Statistic.MINIMUM));
        List<Double> minima = statistics.datapoints().stream()
                .sorted(java.util.Comparator.comparing(point -> point.timestamp()))
                .map(point -> point.minimum()).toList();
        assertEquals(List.of(1.0, 0.0), minima);
    }

    @Test
    void aHealthCheckThatFailedForPartOfAMinuteShowsInThatMinutesMinimum() {
        String check = route53.createHealthCheck(request -> request.callerReference("us-east-1")
                .healthCheckConfig(config -> config.type(HealthCheckType.HTTPS)
                        .fullyQualifiedDomainName("us.example.net"))).healthCheck().id();
        route53.setEndpointHealthy("us.example.net", false);
        clock.advance(Duration.ofMinutes(5));
        route53.setEndpointHealthy("us.example.net", true);
        // Three good results in a row, 60 to 90 seconds: healthy again within the minute published now.
        clock.advance(Duration.ofSeconds(90));
        route53.publishHealthCheckMetrics();

        GetMetricStatisticsResponse statistics = cloudWatch.getMetricStatistics(request -> request
                .namespace("AWS/Route53").metricName("HealthCheckStatus")
                .dimensions(Dimension.builder().name("HealthCheckId").value(check).build())
                .startTime(START).endTime(clock.instant().plusSeconds(60)).period(60)
                .statistics(Statistic.MINIMUM, Statistic.MAXIMUM));
        assertEquals(1, statistics.datapoints().size());
        assertEquals(0.0, statistics.datapoints().get(0).minimum(), "unhealthy at the minute's start");
        assertEquals(1.0, statistics.datapoints().get(0).maximum(), "healthy again by its end");
    }

    @Test
    void everyRoute53CallDrawsFromTheAccountsBucketOfFiftyWhateverItsOwnBucket() {
        String check = route53.createHealthCheck(request -> request.callerReference("x")
                .healthCheckConfig(config -> config.type(HealthCheckType.HTTPS)
                        .fullyQualifiedDomainName("eu.example.net"))).healthCheck().id();
        RequestRates rates = new RequestRates(clock, ServiceQuotas.defaults());
        route53.faults().meter(rates, "route53", Route53Errors::throttled);
        rates.enforce(true);
        for (int i = 0; i < 4; i++) {
            route53.getHealthCheckStatus(request -> request.healthCheckId(check));
        }
        for (int i = 0; i < 46; i++) {
            route53.listResourceRecordSets(request -> request.hostedZoneId(ZONE));
        }

        assertAwsError(ThrottlingException.class, 400, "Throttling",
                () -> route53.getChange(request -> request.id("C0000000000000")));
        clock.advance(Duration.ofMillis(100));
        route53.listResourceRecordSets(request -> request.hostedZoneId(ZONE));
    }

    @Test
    void getHealthCheckStatusIsThrottledBeyondItsOwnBucketOfFourRefilledAtOnePerSecond() {
        String check = route53.createHealthCheck(request -> request.callerReference("x")
                .healthCheckConfig(config -> config.type(HealthCheckType.HTTPS)
                        .fullyQualifiedDomainName("eu.example.net"))).healthCheck().id();
        RequestRates rates = new RequestRates(clock, ServiceQuotas.defaults());
        route53.faults().meter(rates, "route53", Route53Errors::throttled);
        rates.enforce(true);
        for (int i = 0; i < 4; i++) {
            route53.getHealthCheckStatus(request -> request.healthCheckId(check));
        }

        assertAwsError(ThrottlingException.class, 400, "Throttling",
                () -> route53.getHealthCheckStatus(request -> request.healthCheckId(check)));
        route53.listResourceRecordSets(request -> request.hostedZoneId(ZONE));
        clock.advance(Duration.ofSeconds(1));
        route53.getHealthCheckStatus(request -> request.healthCheckId(check));
    }
}
