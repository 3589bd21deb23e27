package dev.rollout.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import dev.rollout.aws.Aliases;
import dev.rollout.domain.Routing;
import dev.rollout.handlers.Prepare;
import dev.rollout.handlers.TaskInputs;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.ComparisonOperator;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Statistic;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AliasRoutingConfiguration;
import software.amazon.awssdk.services.lambda.model.GetAliasResponse;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The account the protocol tests start from, built on moto through the SDK itself: function
 * {@code orders} with published versions 1 to 3, alias {@code live} on version 1, a metric alarm on
 * the alias' errors, and a topic. The same shape as the in-memory {@code dev.rollout.handlers.World}.
 */
final class MotoWorld {
    static final String FUNCTION = "orders";
    static final String ALIAS = "live";
    static final String ALARM = "orders-errors";
    static final String EXECUTION = "arn:aws:states:us-east-1:" + MotoServer.ACCOUNT
            + ":execution:Rollout:orders-live-v2";

    private final MotoServer moto;
    final LambdaClient lambda;
    final ApiGatewayClient apiGateway;
    final CloudWatchClient cloudWatch;
    final SnsClient sns;
    final Clock clock = Clock.systemUTC();
    final String topicArn;

    MotoWorld(MotoServer moto) {
        this.moto = moto;
        this.lambda = moto.lambda();
        this.apiGateway = moto.apiGateway();
        this.cloudWatch = moto.cloudWatch();
        this.sns = moto.sns();

        // moto refuses CreateFunction unless the role exists in its IAM ("cannot be assumed by Lambda").
        String role = moto.iam().createRole(request -> request
                .roleName("orders-execution")
                .assumeRolePolicyDocument("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"))
                .role().arn();
        lambda.createFunction(request -> request
                .functionName(FUNCTION)
                .runtime(Runtime.JAVA21)
                .role(role)
                .handler("dev.rollout.serving.Greeter::handleRequest")
                .code(code -> code.zipFile(zip(1))));
        for (int version = 1; version <= 3; version++) {
            if (version > 1) {
                // Like AWS, moto hands back the previous version when nothing changed since it was published.
                int next = version;
                lambda.updateFunctionCode(request -> request.functionName(FUNCTION).zipFile(zip(next)));
            }
            String published = lambda.publishVersion(request -> request.functionName(FUNCTION)).version();
            if (!published.equals(String.valueOf(version))) {
                throw new IllegalStateException("expected PublishVersion to create version " + version + ", got "
                        + published);
            }
        }
        lambda.createAlias(request -> request.functionName(FUNCTION).name(ALIAS).functionVersion("1"));
        cloudWatch.putMetricAlarm(request -> request
                .alarmName(ALARM)
                .namespace("AWS/Lambda")
                .metricName("Errors")
                .dimensions(Dimension.builder().name("FunctionName").value(FUNCTION).build(),
                        Dimension.builder().name("Resource").value(FUNCTION + ":" + ALIAS).build())
                .statistic(Statistic.SUM)
                .period(60)
                .evaluationPeriods(1)
                .threshold(1.0)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData("notBreaching"));
        topicArn = sns.createTopic(request -> request.name("rollouts")).topicArn();
    }

    /** A deployment package that differs per version, built in memory. */
    private static SdkBytes zip(int version) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("version.txt"));
            zip.write(("orders version " + version + "\n").getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        return SdkBytes.fromByteArray(bytes.toByteArray());
    }

    GetAliasResponse alias() {
        return lambda.getAlias(request -> request.functionName(FUNCTION).name(ALIAS));
    }

    Routing routing() {
        return new Aliases(lambda).read(FUNCTION, ALIAS);
    }

    /** Changes the alias as a person at the console would, outside any rollout (no RevisionId). */
    void routeByHand(String primary, Map<String, Double> weights) {
        lambda.updateAlias(request -> request.functionName(FUNCTION).name(ALIAS).functionVersion(primary)
                .routingConfig(AliasRoutingConfiguration.builder().additionalVersionWeights(weights).build()));
    }

    void setAlarm(String alarm, StateValue state, String reason) {
        cloudWatch.setAlarmState(request -> request.alarmName(alarm).stateValue(state).stateReason(reason));
    }

    /**
     * Creates a composite alarm with PutCompositeAlarm, as in AWS. moto 5.2.1 does not implement that call (an
     * HTTP 500, NotImplementedError); while it does not, the alarm is created the way moto makes composite alarms:
     * a PutMetricAlarm that carries an {@code AlarmRule}, a parameter PutMetricAlarm does not have in AWS, so it
     * goes in as a raw query parameter. Setup only: no handler calls this.
     */
    void putCompositeAlarm(String name, String rule) {
        boolean lacking = moto.lacks("put_composite_alarm", () -> moto.cloudWatchWithoutRetries()
                .putCompositeAlarm(request -> request.alarmName(name).alarmRule(rule)));
        if (lacking) {
            cloudWatch.putMetricAlarm(request -> request
                    .alarmName(name)
                    .overrideConfiguration(override -> override.putRawQueryParameter("AlarmRule", rule)));
        }
    }

    static ObjectNode request(String strategy) {
        return TaskInputs.request(FUNCTION, ALARM, strategy);
    }

    /** Prepares a canary rollout from 1 to 2 with the real Prepare over HTTP and returns its output. */
    JsonNode prepared() {
        return new Prepare(lambda, apiGateway, cloudWatch, clock).handle(request("Canary10Percent5Minutes"));
    }
}
