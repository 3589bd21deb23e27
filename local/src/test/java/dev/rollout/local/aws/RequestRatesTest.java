package dev.rollout.local.aws;

import static dev.rollout.local.aws.AwsAssertions.assertAwsError;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

class RequestRatesTest {

    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-06T10:00:00Z"));
    private final InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock);
    private final InMemoryLambda lambda = new InMemoryLambda(clock);
    private final RequestRates rates = new RequestRates(clock, ServiceQuotas.defaults());

    @BeforeEach
    void meteredServices() {
        cloudWatch.faults().meter(rates, "cloudwatch", CloudWatchErrors::throttled);
        lambda.faults().meter(rates, "lambda", LambdaErrors::throttled);
        lambda.addFunction("orders");
        lambda.publishNewVersion("orders");
        lambda.createAlias(r -> r.functionName("orders").name("live").functionVersion("1"));
    }

    @Test
    void nothingIsThrottledBeforeQuotasAreEnforced() {
        for (int i = 0; i < 50; i++) {
            cloudWatch.describeAlarms(r -> r.alarmNames("orders-errors"));
        }
        assertEquals(50, usage("DescribeAlarms").calls());
        assertEquals(0, usage("DescribeAlarms").throttles());
    }

    @Test
    void theTenthDescribeAlarmsWithinASecondIsThrottledWithCloudWatchsError() {
        rates.enforce(true);
        for (int i = 0; i < 9; i++) {
            cloudWatch.describeAlarms(r -> r.alarmNames("orders-errors"));
        }
        CloudWatchException throttled = assertAwsError(CloudWatchException.class, 400, "Throttling",
                () -> cloudWatch.describeAlarms(r -> r.alarmNames("orders-errors")));
        assertTrue(throttled.isThrottlingException(), "the SDK must see a throttling error, so its retry policy applies");
        assertEquals(1, usage("DescribeAlarms").throttles());
        assertEquals(10, usage("DescribeAlarms").peakAttempted());
        assertEquals(9, usage("DescribeAlarms").peakServed());
    }

    @Test
    void tokensComeBackAtTheRefillRate() {
        rates.enforce(true);
        for (int i = 0; i < 3; i++) {
            cloudWatch.describeAlarmHistory(r -> r.alarmName("orders-errors"));
        }
        clock.advance(Duration.ofMillis(300));
        assertAwsError(CloudWatchException.class, 400, "Throttling",
                () -> cloudWatch.describeAlarmHistory(r -> r.alarmName("orders-errors")));
        clock.advance(Duration.ofMillis(100)); // 0.4 s at 3 per second: one token back
        assertDoesNotThrow(() -> cloudWatch.describeAlarmHistory(r -> r.alarmName("orders-errors")));
    }

    @Test
    void everyLambdaControlPlaneCallDrawsFromOneSharedQuota() {
        String arn = lambda.getFunctionConfiguration(c -> c.functionName("orders")).functionArn();
        rates.enforce(true);
        for (int i = 0; i < 5; i++) { // 15 calls of three APIs: the quota's whole second
            lambda.getAlias(r -> r.functionName("orders").name("live"));
            lambda.getFunctionConfiguration(r -> r.functionName("orders").qualifier("1"));
            lambda.listTags(r -> r.resource(arn));
        }
        TooManyRequestsException throttled = assertAwsError(TooManyRequestsException.class, 429,
                "TooManyRequestsException", () -> lambda.getAlias(r -> r.functionName("orders").name("live")));
        assertTrue(throttled.isThrottlingException());
    }

    @Test
    void aThrottledCallChangesNothing() {
        rates.enforce(true);
        for (int i = 0; i < 15; i++) {
            lambda.getAlias(r -> r.functionName("orders").name("live"));
        }
        lambda.publishNewVersion("orders");
        assertAwsError(TooManyRequestsException.class, 429, "TooManyRequestsException",
                () -> lambda.updateAlias(r -> r.functionName("orders").name("live").functionVersion("2")));
        rates.enforce(false);
        assertEquals("1", lambda.getAlias(r -> r.functionName("orders").name("live")).functionVersion());
    }

    @Test
    void callsBelowTheRefillRateAreNeverThrottled() {
        rates.enforce(true);
        for (int i = 0; i < 20; i++) {
            cloudWatch.describeAlarms(r -> r.alarmNames("orders-errors"));
            clock.advance(Duration.ofMillis(200));
        }
        assertEquals(0, usage("DescribeAlarms").throttles(), "5 per second stays under 9 per second");
    }

    private RequestRates.ApiUsage usage(String operation) {
        return rates.usage().stream().filter(api -> api.operation().equals(operation)).findFirst().orElseThrow();
    }
}
