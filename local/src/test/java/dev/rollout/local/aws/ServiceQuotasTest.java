package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceQuotasTest {
    /** Every API a rollout's functions, the approval page and the automatic start call, by service. */
    private static final Map<String, List<String>> CALLED = Map.of(
            "lambda", List.of("GetAlias", "UpdateAlias", "GetFunction", "GetFunctionConfiguration", "ListTags",
                    "ListVersionsByFunction"),
            "cloudwatch", List.of("DescribeAlarms", "DescribeAlarmHistory", "GetMetricData"),
            "sns", List.of("Publish"),
            "dynamodb", List.of("GetItem", "PutItem", "UpdateItem"),
            "states", List.of("StartExecution", "SendTaskSuccess", "SendTaskFailure", "DescribeExecution",
                    "GetExecutionHistory"),
            "route53", List.of("ChangeResourceRecordSets", "GetChange", "ListResourceRecordSets",
                    "GetHealthCheckStatus"));

    @Test
    void everyApiTheProjectCallsHasItsDocumentedQuota() {
        ServiceQuotas quotas = ServiceQuotas.defaults();
        CALLED.forEach((service, operations) -> operations.forEach(operation ->
                assertTrue(quotas.of(service, operation).isPresent(), service + " " + operation + " has no quota")));
    }

    @Test
    void everyQuotaNamesTheAwsPageItComesFrom() {
        for (ServiceQuotas.Quota quota : ServiceQuotas.DEFAULTS) {
            assertTrue(quota.source().startsWith("https://docs.aws.amazon.com/"), quota.name());
            assertTrue(quota.refillPerSecond() > 0 && quota.bucketSize() >= 1, quota.name());
        }
    }
}
