package dev.rollout.local;

import java.nio.file.Path;
import java.time.Instant;
import dev.rollout.aws.Targets;
import dev.rollout.domain.ApprovalLinks;
import dev.rollout.local.aws.AccountConcurrency;
import dev.rollout.local.aws.AwsAccount;
import dev.rollout.local.aws.CloudWatchErrors;
import dev.rollout.local.aws.DynamoDbErrors;
import dev.rollout.local.aws.InMemoryApiGateway;
import dev.rollout.local.aws.InMemoryCloudWatch;
import dev.rollout.local.aws.InMemoryDynamoDb;
import dev.rollout.local.aws.InMemoryLambda;
import dev.rollout.local.aws.InMemoryRoute53;
import dev.rollout.local.aws.InMemorySns;
import dev.rollout.local.aws.InMemoryStepFunctions;
import dev.rollout.local.aws.LambdaErrors;
import dev.rollout.local.aws.LambdaTraffic;
import dev.rollout.local.aws.RequestRates;
import dev.rollout.local.aws.Route53Errors;
import dev.rollout.local.aws.ServiceQuotas;
import dev.rollout.local.aws.SnsErrors;
import dev.rollout.local.aws.StepFunctionsErrors;
import dev.rollout.local.time.VirtualClock;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * One embedded AWS account on one virtual clock: the services the rollout handlers talk to.
 *
 * @param traffic          simulated invocations of the Lambda functions' aliases
 * @param topicArn         the topic rollout notices go to, as the template's {@code RolloutTopic}
 * @param approvalTable    the pending approvals, as the template's {@code ApprovalTable}
 * @param approvalTopicArn the topic approval requests go to, as the template's {@code ApprovalTopic}
 * @param watchTable       which waits watch which alarm, as the template's {@code WatchTable}
 * @param approvalLinks    where approval e-mails link to: an {@link ApprovalServer} serving
 *                         {@link LocalRuntime#approvalPage()} there makes them work
 * @param leaseTable       the claims rollouts hold on aliases, as the template's {@code LeaseTable}
 * @param controlTable     the rollouts' control links, waits and decisions, as the template's {@code ControlTable}
 * @param noticeTable      notices of endings SNS refused, kept for the sweeper, as the template's {@code NoticeTable}
 * @param stepFunctions    Step Functions as the handlers see it (DescribeExecution, GetExecutionHistory, and
 *                         SendTask* for a wait that answers itself), on the executions of the {@link LocalRuntime}
 *                         this account is loaded into
 * @param rates            every call to the services above, counted and, once enforced, held to AWS's quotas
 * @param concurrency      the account's Lambda concurrency, as the task functions meet it
 * @param apiGateway       REST APIs whose stages invoke {@code lambda}'s aliases
 * @param route53          hosted zones, weighted records and health checks; its health-check metrics land in
 *                         {@code cloudWatch}, as Route 53 publishes them in us-east-1
 */
public record LocalAws(VirtualClock clock, AwsAccount account, InMemoryLambda lambda, LambdaTraffic traffic,
                       InMemoryCloudWatch cloudWatch,
                       InMemorySns sns, String topicArn, InMemoryDynamoDb dynamoDb, String approvalTable,
                       String approvalTopicArn, ApprovalLinks approvalLinks, String watchTable, String leaseTable,
                       String controlTable, String noticeTable, InMemoryStepFunctions stepFunctions,
                       LateExecutionHistories executionHistories, LateCallbackTasks callbacks,
                       RequestRates rates, AccountConcurrency concurrency, InMemoryApiGateway apiGateway,
                       InMemoryRoute53 route53) {

    /** Where approval links point unless told otherwise: a fixed port, so links in a journal stay valid. */
    public static final String DEFAULT_APPROVAL_URL = "http://127.0.0.1:8642";

    /** A fresh account; with a journal path, every published message is also appended there. */
    public static LocalAws create(VirtualClock clock, Path outboxJournal) {
        return create(clock, outboxJournal, DEFAULT_APPROVAL_URL);
    }

    /** @param approvalUrl the approval page's base URL, e.g. {@link ApprovalServer#baseUrl()} */
    public static LocalAws create(VirtualClock clock, Path outboxJournal, String approvalUrl) {
        AwsAccount account = AwsAccount.DEFAULT;
        InMemoryCloudWatch cloudWatch = new InMemoryCloudWatch(clock, account);
        InMemoryLambda lambda = new InMemoryLambda(clock, account);
        LambdaTraffic traffic = new LambdaTraffic(clock, lambda, cloudWatch);
        InMemorySns sns = outboxJournal == null ? new InMemorySns(clock) : new InMemorySns(clock, account, outboxJournal);
        String topic = sns.addTopic("rollout-notifications");
        InMemoryDynamoDb dynamoDb = new InMemoryDynamoDb();
        String approvalTable = "rollout-approvals";
        dynamoDb.addTable(approvalTable, "reference");
        String approvalTopic = sns.addTopic("rollout-approvals");
        String watchTable = "rollout-watches";
        dynamoDb.addTable(watchTable, "alarmName");
        String leaseTable = "rollout-leases";
        dynamoDb.addTable(leaseTable, "target");
        String controlTable = "rollout-controls";
        dynamoDb.addTable(controlTable, "key");
        String noticeTable = "rollout-notices";
        dynamoDb.addTable(noticeTable, "key");
        LateExecutionHistories histories = new LateExecutionHistories();
        LateCallbackTasks callbacks = new LateCallbackTasks();
        InMemoryStepFunctions stepFunctions = InMemoryStepFunctions.builder(clock).account(account)
                .executionHistories(histories).callbackTasks(callbacks).build();
        RequestRates rates = new RequestRates(clock, ServiceQuotas.defaults());
        lambda.faults().meter(rates, "lambda", LambdaErrors::throttled);
        cloudWatch.faults().meter(rates, "cloudwatch", CloudWatchErrors::throttled);
        sns.faults().meter(rates, "sns", SnsErrors::throttled);
        dynamoDb.faults().meter(rates, "dynamodb", DynamoDbErrors::throttled);
        stepFunctions.faults().meter(rates, "states", StepFunctionsErrors::throttled);
        InMemoryRoute53 route53 = new InMemoryRoute53(clock, cloudWatch);
        route53.faults().meter(rates, "route53", Route53Errors::throttled);
        return new LocalAws(clock, account, lambda, traffic, cloudWatch, sns, topic, dynamoDb, approvalTable,
                approvalTopic, new ApprovalLinks(approvalUrl), watchTable, leaseTable, controlTable, noticeTable, stepFunctions,
                histories,
                callbacks, rates,
                new AccountConcurrency(clock), new InMemoryApiGateway(clock, traffic, cloudWatch), route53);
    }

    /** The adapters of every kind of rollout target, on this account's services as the functions call them. */
    public Targets targets() {
        // One in-memory CloudWatch stands for every Region's, us-east-1's (Route 53's metrics) included.
        return new Targets(lambdaApi(), this::apiGatewayApi, this::route53Api, this::cloudWatchApi);
    }

    // The services as the functions call them, through the SDK: a response lost on its way back is re-sent.

    public LambdaClient lambdaApi() {
        return lambda.faults().resending(LambdaClient.class, lambda);
    }

    public CloudWatchClient cloudWatchApi() {
        return cloudWatch.faults().resending(CloudWatchClient.class, cloudWatch);
    }

    public SnsClient snsApi() {
        return sns.faults().resending(SnsClient.class, sns);
    }

    public DynamoDbClient dynamoDbApi() {
        return dynamoDb.faults().resending(DynamoDbClient.class, dynamoDb);
    }

    public SfnClient stepFunctionsApi() {
        return stepFunctions.faults().resending(SfnClient.class, stepFunctions);
    }

    public ApiGatewayClient apiGatewayApi() {
        return apiGateway.faults().resending(ApiGatewayClient.class, apiGateway);
    }

    public Route53Client route53Api() {
        return route53.faults().resending(Route53Client.class, route53);
    }

    /** Meters a Step Functions client of this account (StartExecution, SendTask*) against the same quotas. */
    public InMemoryStepFunctions metered(InMemoryStepFunctions other) {
        other.faults().meter(rates, "states", StepFunctionsErrors::throttled);
        return other;
    }

    /** Holds every call and task invocation from now on to AWS's default quotas. */
    public void enforceQuotas() {
        rates.enforce(true);
        concurrency.enforce();
    }

    public static LocalAws create(Instant start) {
        return create(new VirtualClock(start), null);
    }
}
