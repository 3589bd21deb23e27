package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static dev.rollout.local.aws.AwsAssertions.assertAwsError;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.InternalServiceException;
import software.amazon.awssdk.services.lambda.model.ServiceException;
import software.amazon.awssdk.services.lambda.model.ThrottleReason;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;
import software.amazon.awssdk.services.sns.model.ThrottledException;

class FaultInjectionTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-06T10:00:00Z"));
    private final InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock);
    private final InMemoryLambda lambda = new InMemoryLambda(clock);
    private final InMemorySns sns = new InMemorySns(clock);

    @BeforeEach
    void anAliasToShift() {
        lambda.addFunction("orders");
        lambda.publishNewVersion("orders");
        lambda.publishNewVersion("orders");
        lambda.createAlias(r -> r.functionName("orders").name("live").functionVersion("1"));
    }

    @Test
    void theNextCallsFailWithThePlannedFaultAndThenTheOperationWorksAgain() {
        lambda.faults().failNext("UpdateAlias", 2, LambdaErrors::throttled);

        TooManyRequestsException throttled = assertAwsError(TooManyRequestsException.class, 429,
                "TooManyRequestsException", this::shift);
        assertAwsError(TooManyRequestsException.class, 429, "TooManyRequestsException", this::shift);
        shift();

        assertEquals(ThrottleReason.CALLER_RATE_LIMIT_EXCEEDED, throttled.reason());
        assertEquals(3, lambda.faults().calls("UpdateAlias"));
        assertEquals(Map.of("2", 0.1),
                lambda.getAlias(r -> r.functionName("orders").name("live")).routingConfig()
                        .additionalVersionWeights());
    }

    @Test
    void aFailedCallChangesNothing() {
        lambda.faults().failNext("UpdateAlias", 1, LambdaErrors::serviceError);

        assertAwsError(ServiceException.class, 500, "ServiceException", this::shift);

        assertNull(lambda.getAlias(r -> r.functionName("orders").name("live")).routingConfig());
    }

    @Test
    void plannedFaultsAreUsedInTheOrderTheyWerePlanned() {
        lambda.faults().failNext("UpdateAlias", 1, LambdaErrors::throttled);
        lambda.faults().failNext("UpdateAlias", 1, LambdaErrors::serviceError);

        assertThrows(TooManyRequestsException.class, this::shift);
        assertThrows(ServiceException.class, this::shift);
    }

    @Test
    void faultsOfOneOperationLeaveTheOthersAlone() {
        lambda.faults().failNext("UpdateAlias", 1, LambdaErrors::throttled);

        lambda.getAlias(r -> r.functionName("orders").name("live"));

        assertThrows(TooManyRequestsException.class, this::shift);
    }

    @Test
    void cloudwatchAndSnsOperationsCanFailToo() {
        cloudWatch.faults().failNext("DescribeAlarms", 1, CloudWatchErrors::throttled);
        cloudWatch.faults().failNext("DescribeAlarmHistory", 1, CloudWatchErrors::internalError);
        sns.faults().failNext("Publish", 1, SnsErrors::throttled);
        String topic = sns.addTopic("rollouts");

        assertAwsError(CloudWatchException.class, 400, "Throttling", () -> cloudWatch.describeAlarms());
        assertAwsError(InternalServiceException.class, 500, "InternalServiceError",
                () -> cloudWatch.describeAlarmHistory(r -> r.alarmName("any")));
        assertAwsError(ThrottledException.class, 429, "Throttled",
                () -> sns.publish(r -> r.topicArn(topic).message("hi")));
        assertEquals(0, sns.outbox().size());
    }

    @Test
    void anOperationTheFakeDoesNotImplementCannotBePlanned() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> lambda.faults().failNext("UpdateAliass", 1, LambdaErrors::throttled));
        assertEquals("operation must be one of [CreateAlias, GetAlias, GetFunction, GetFunctionConfiguration, "
                + "ListAliases, ListTags, ListVersionsByFunction, PublishVersion, TagResource, UntagResource, "
                + "UpdateAlias], got UpdateAliass", error.getMessage());
    }

    private void shift() {
        lambda.updateAlias(r -> r.functionName("orders").name("live")
                .routingConfig(c -> c.additionalVersionWeights(Map.of("2", 0.1))));
    }
}
