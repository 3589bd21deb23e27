package dev.rollout.local.report;

import dev.rollout.handlers.Json;
import dev.rollout.local.asl.ExecutionHandle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/** The report of a rollout that ran on the local runtime (its history as GetExecutionHistory lists it, and the metrics), and the writing of any report. */
public final class SimulationReport {

    private SimulationReport() {
    }

    public static RolloutReport of(ExecutionHandle execution, LambdaClient lambda, CloudWatchClient cloudWatch,
                                   Instant now) {
        RolloutReport.Timeline timeline = HistoryTimeline.read(
                Json.MAPPER.valueToTree(Map.of("events", execution.history())), execution.name(), now);
        return new RolloutReport(timeline, new CloudWatchMetrics(cloudWatch).read(timeline),
                ExecutionReport.aliasNow(lambda, timeline));
    }

    /** Writes the report's page to {@code file}; returns the file. */
    public static Path write(RolloutReport report, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, ReportPage.render(report), StandardCharsets.UTF_8);
        return file;
    }
}
