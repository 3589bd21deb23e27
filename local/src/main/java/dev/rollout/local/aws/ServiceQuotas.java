package dev.rollout.local.aws;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AWS's default request-rate quotas (us-east-1, where {@link AwsAccount#DEFAULT} lives) for every API the rollout
 * calls, as token buckets: a call takes a token, tokens come back at {@code refillPerSecond} up to
 * {@code bucketSize}. The one place these figures live; each row names the page it comes from.
 *
 * <p>Where a page gives a plain "N requests (transactions) per second", the bucket holds one second's worth: N calls
 * at the same instant pass, the next one is throttled. Step Functions documents its buckets explicitly.
 */
public final class ServiceQuotas {
    static final String LAMBDA_SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html";
    static final String CLOUDWATCH_SOURCE = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html";
    static final String SNS_SOURCE = "https://docs.aws.amazon.com/general/latest/gr/sns.html";
    static final String DYNAMODB_SOURCE = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html";
    static final String STEP_FUNCTIONS_SOURCE = "https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html";
    static final String ROUTE53_SOURCE = "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/throttling-api-requests.html";
    /** Every Route 53 API the rollout and the local runtime call. */
    static final List<String> ROUTE53_OPERATIONS = List.of("ChangeResourceRecordSets", "GetChange",
            "ListResourceRecordSets", "GetHostedZone", "CreateHealthCheck", "GetHealthCheck", "GetHealthCheckStatus");

    /**
     * One token bucket: the operations that draw from it, per service.
     *
     * @param name what the quota is called in its documentation
     */
    public record Quota(String name, String service, List<String> operations, double bucketSize,
                        double refillPerSecond, String source) {
    }

    /** The default table. */
    public static final List<Quota> DEFAULTS = List.of(
            // "Remainder of the control plane API requests (excludes invocation, GetFunction, and GetPolicy
            // requests): 15 requests per second" - one quota shared by every other control-plane call.
            new Quota("Lambda control plane requests (all but invocation, GetFunction, GetPolicy)", "lambda",
                    List.of("GetAlias", "UpdateAlias", "CreateAlias", "ListAliases", "GetFunctionConfiguration",
                            "ListVersionsByFunction", "PublishVersion", "ListTags", "TagResource", "UntagResource"),
                    15, 15, LAMBDA_SOURCE),
            new Quota("Lambda GetFunction requests", "lambda", List.of("GetFunction"), 100, 100, LAMBDA_SOURCE),
            new Quota("CloudWatch DescribeAlarms", "cloudwatch", List.of("DescribeAlarms"), 9, 9, CLOUDWATCH_SOURCE),
            new Quota("CloudWatch DescribeAlarmHistory", "cloudwatch", List.of("DescribeAlarmHistory"), 3, 3,
                    CLOUDWATCH_SOURCE),
            new Quota("CloudWatch SetAlarmState", "cloudwatch", List.of("SetAlarmState"), 3, 3, CLOUDWATCH_SOURCE),
            new Quota("CloudWatch PutMetricAlarm", "cloudwatch", List.of("PutMetricAlarm"), 3, 3, CLOUDWATCH_SOURCE),
            new Quota("CloudWatch GetMetricData (without Metrics Insights)", "cloudwatch", List.of("GetMetricData"),
                    50, 50, CLOUDWATCH_SOURCE),
            new Quota("CloudWatch GetMetricStatistics", "cloudwatch", List.of("GetMetricStatistics"), 400, 400,
                    CLOUDWATCH_SOURCE),
            new Quota("CloudWatch PutMetricData", "cloudwatch", List.of("PutMetricData"), 500, 500, CLOUDWATCH_SOURCE),
            // "Publish API throttling per account", standard topics, US East (N. Virginia): 30,000 messages per second,
            // Publish and PublishBatch together (one message per Publish call).
            new Quota("SNS Publish (us-east-1)", "sns", List.of("Publish"), 30_000, 30_000, SNS_SOURCE),
            // "Per table" throughput of on-demand tables: 40,000 read request units and 40,000 write request units (per
            // second). A strongly consistent read of up to 4 KB is one read unit and a write of up to 1 KB one write
            // unit; a WatchTable item listing several task tokens takes a few units a write, counted here as one call:
            // the fleet's peak stays below 100 calls a second, far from either quota.
            new Quota("DynamoDB table read request units (on-demand)", "dynamodb", List.of("GetItem"), 40_000, 40_000,
                    DYNAMODB_SOURCE),
            new Quota("DynamoDB table write request units (on-demand)", "dynamodb", List.of("PutItem", "UpdateItem"),
                    40_000, 40_000, DYNAMODB_SOURCE),
            new Quota("Step Functions StartExecution (Standard, us-east-1)", "states", List.of("StartExecution"),
                    1_300, 300, STEP_FUNCTIONS_SOURCE),
            new Quota("Step Functions SendTaskSuccess", "states", List.of("SendTaskSuccess"), 3_000, 500,
                    STEP_FUNCTIONS_SOURCE),
            new Quota("Step Functions SendTaskFailure", "states", List.of("SendTaskFailure"), 3_000, 500,
                    STEP_FUNCTIONS_SOURCE),
            new Quota("Step Functions DescribeExecution (us-east-1)", "states", List.of("DescribeExecution"), 300, 15,
                    STEP_FUNCTIONS_SOURCE),
            new Quota("Step Functions GetExecutionHistory", "states", List.of("GetExecutionHistory"), 400, 20,
                    STEP_FUNCTIONS_SOURCE),
            // Route 53 throttles per account at two levels: one bucket for all its API requests (50, refilled at 10
            // per second; the older figure of "five requests per second per AWS account" was doubled), and one per
            // operation, 50/10 by default, smaller for a few. A call takes a token from both; where the operation's
            // own bucket equals the account's, the account's binds first and stands for both.
            new Quota("Route 53 API requests (account level, all operations)", "route53", ROUTE53_OPERATIONS, 50, 10,
                    ROUTE53_SOURCE),
            new Quota("Route 53 GetHealthCheckStatus", "route53", List.of("GetHealthCheckStatus"), 4, 1,
                    ROUTE53_SOURCE),
            new Quota("Route 53 CreateHealthCheck", "route53", List.of("CreateHealthCheck"), 50, 0.5,
                    ROUTE53_SOURCE));

    /**
     * Standard workflows' state transitions (us-east-1): bucket 5,000, refill 1,500 per second. Step Functions delays
     * throttled transitions rather than failing them; the fleet report compares its peak rate against this.
     */
    public static final Quota STATE_TRANSITIONS = new Quota("Step Functions StateTransition (Standard, us-east-1)",
            "states", List.of("StateTransition"), 5_000, 1_500, STEP_FUNCTIONS_SOURCE);

    /** The default account concurrency: Lambda's "Concurrent executions: 1,000". */
    public static final int ACCOUNT_CONCURRENCY = 1_000;

    private final Map<String, List<Quota>> byOperation = new LinkedHashMap<>();

    private ServiceQuotas(List<Quota> quotas) {
        for (Quota quota : quotas) {
            for (String operation : quota.operations()) {
                byOperation.computeIfAbsent(key(quota.service(), operation), k -> new java.util.ArrayList<>())
                        .add(quota);
            }
        }
    }

    public static ServiceQuotas defaults() {
        return new ServiceQuotas(DEFAULTS);
    }

    /**
     * The quota {@code operation} of {@code service} draws from, if AWS documents one; of several, the one named for
     * the operation alone (it is the one a report compares the operation's rate with).
     */
    public Optional<Quota> of(String service, String operation) {
        List<Quota> quotas = all(service, operation);
        return quotas.isEmpty() ? Optional.empty() : Optional.of(quotas.get(quotas.size() - 1));
    }

    /** Every quota a call of {@code operation} takes a token from: it is throttled when any of them is empty. */
    public List<Quota> all(String service, String operation) {
        return byOperation.getOrDefault(key(service, operation), List.of());
    }

    private static String key(String service, String operation) {
        return service + ":" + operation;
    }
}
