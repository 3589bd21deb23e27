package dev.rollout.local.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.rollout.aws.Aliases;
import dev.rollout.handlers.Json;
import java.time.Instant;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The report of an execution that ran in AWS: its history ({@code GetExecutionHistory}, every page), where the
 * alias sends traffic now ({@code GetAlias}), and the window's metrics and alarm states from CloudWatch.
 */
public final class ExecutionReport {

    private final SfnClient stepFunctions;
    private final LambdaClient lambda;
    private final CloudWatchClient cloudWatch;

    public ExecutionReport(SfnClient stepFunctions, LambdaClient lambda, CloudWatchClient cloudWatch) {
        this.stepFunctions = stepFunctions;
        this.lambda = lambda;
        this.cloudWatch = cloudWatch;
    }

    /** @param now the end of the window while the execution still runs */
    public RolloutReport read(String executionArn, Instant now) {
        ArrayNode events = Json.MAPPER.createArrayNode();
        String token = null;
        do {
            String page = token;
            GetExecutionHistoryResponse response = stepFunctions.getExecutionHistory(request -> request
                    .executionArn(executionArn).includeExecutionData(true).maxResults(1000).nextToken(page));
            for (HistoryEvent event : response.events()) {
                events.add(SdkJson.of(event));
            }
            token = response.nextToken();
        } while (token != null);
        String name = executionArn.substring(executionArn.lastIndexOf(':') + 1);
        RolloutReport.Timeline timeline = HistoryTimeline.read(events, name, now);
        return new RolloutReport(timeline, new CloudWatchMetrics(cloudWatch).read(timeline), aliasNow(lambda, timeline));
    }

    /** Where the rollout's alias sends traffic now, e.g. {@code version 2 100%}; empty before Prepare named it. */
    static String aliasNow(LambdaClient lambda, RolloutReport.Timeline timeline) {
        return timeline.function().isEmpty() ? ""
                : new Aliases(lambda).read(timeline.function(), timeline.alias()).describe();
    }
}
