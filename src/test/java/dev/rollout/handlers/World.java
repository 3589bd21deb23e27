package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import dev.rollout.aws.Aliases;
import dev.rollout.aws.Targets;
import dev.rollout.domain.Routing;
import dev.rollout.local.aws.InMemoryApiGateway;
import dev.rollout.local.aws.InMemoryCloudWatch;
import dev.rollout.local.aws.InMemoryDynamoDb;
import dev.rollout.local.aws.InMemoryLambda;
import dev.rollout.local.aws.LambdaTraffic;
import dev.rollout.local.aws.InMemorySns;
import dev.rollout.local.aws.VersionBehaviour;
import dev.rollout.local.time.VirtualClock;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;

/**
 * A small account for handler tests: function {@code orders} with versions 1 to 3, alias
 * {@code live} on version 1, an errors alarm on the alias, and a topic.
 */
final class World {
    static final String FUNCTION = "orders";
    static final String ALARM = "orders-errors";

    final VirtualClock clock = new VirtualClock(Instant.parse("2026-11-22T10:00:00Z"));
    final InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock);
    final InMemoryLambda lambda = new InMemoryLambda(clock);
    final LambdaTraffic traffic = new LambdaTraffic(clock, lambda, cloudWatch);
    final InMemoryApiGateway apiGateway = new InMemoryApiGateway(clock, traffic, cloudWatch);
    final Targets targets = new Targets(lambda, apiGateway);
    final InMemorySns sns = new InMemorySns(clock);
    /** The claims on aliases, as the template's LeaseTable: Promote and CheckHealth release them. */
    static final String LEASES = "rollout-leases";
    /** The rollouts' control decisions, as the template's ControlTable: Promote and CheckHealth read them. */
    static final String CONTROLS = "rollout-controls";
    static final String NOTICES = "rollout-notices";
    final InMemoryDynamoDb dynamoDb = new InMemoryDynamoDb();
    final String topic;

    World() {
        dynamoDb.addTable(LEASES, "target");
        dynamoDb.addTable(CONTROLS, "key");
        dynamoDb.addTable(NOTICES, "key");
        lambda.addFunction(FUNCTION);
        for (int i = 0; i < 3; i++) {
            lambda.publishNewVersion(FUNCTION);
        }
        lambda.createAlias(request -> request.functionName(FUNCTION).name("live").functionVersion("1"));
        cloudWatch.putMetricAlarm(request -> request
                .alarmName(ALARM)
                .namespace("AWS/Lambda")
                .metricName("Errors")
                .dimensions(Dimension.builder().name("FunctionName").value(FUNCTION).build(),
                        Dimension.builder().name("Resource").value(FUNCTION + ":live").build())
                .statistic(Statistic.SUM)
                .period(60)
                .evaluationPeriods(1)
                .threshold(1.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData("notBreaching"));
        cloudWatch.evaluateAlarms();
        topic = sns.addTopic("rollouts");
    }

    Routing alias() {
        return new Aliases(lambda).read(FUNCTION, "live");
    }

    /** Changes the alias as a person at the console would, outside any rollout. */
    void routeByHand(String primary, Map<String, Double> weights) {
        lambda.updateAlias(request -> request.functionName(FUNCTION).name("live").functionVersion(primary)
                .routingConfig(AliasRoutingConfiguration.builder().additionalVersionWeights(weights).build()));
    }

    /** One simulated minute of traffic through the alias, then CloudWatch evaluates its alarms. */
    void serveAMinute(long requests) {
        pass(Duration.ofMinutes(1));
        traffic.invokeAlias(FUNCTION, "live", requests);
        cloudWatch.evaluateAlarms();
    }

    void pass(Duration time) {
        clock.after(time, () -> { });
        clock.runUntilIdle();
    }

    void breakVersion(String version) {
        traffic.setVersionBehaviour(FUNCTION, version, new VersionBehaviour(1.0, 50));
    }

    void healVersion(String version) {
        traffic.setVersionBehaviour(FUNCTION, version, VersionBehaviour.HEALTHY);
    }

    static ObjectNode request(String strategy) {
        return TaskInputs.request(FUNCTION, ALARM, strategy);
    }

    /** Prepares a canary rollout from 1 to 2 and returns Prepare's output. */
    JsonNode prepared() {
        return new Prepare(lambda, apiGateway, cloudWatch, clock).handle(request("Canary10Percent5Minutes"));
    }
}
