package dev.rollout.local.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * {@code bin/report [--out FILE] EXECUTION_ARN}: the report of a rollout that ran in AWS, written as one HTML file.
 * Credentials come from the SDK's default chain (environment, profile, SSO, instance role); the Region from the ARN.
 * It needs {@code states:GetExecutionHistory}, {@code lambda:GetAlias}, {@code cloudwatch:GetMetricData},
 * {@code cloudwatch:DescribeAlarms} and {@code cloudwatch:DescribeAlarmHistory}.
 *
 * <p>Exit codes: 0 written; 2 usage error; 1 AWS refused or failed.
 */
public final class ReportCommand {
    private static final Pattern EXECUTION_ARN =
            Pattern.compile("arn:aws[a-z-]*:states:([a-z0-9-]+):\\d{12}:execution:[^:]+:([^:]+)");
    private static final String USAGE = """
            usage: bin/report [--out FILE] EXECUTION_ARN
              --out FILE  where the HTML report goes; default target/reports/<execution name>.html
            """;

    private ReportCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null;
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else if (args[i].equals("-h") || args[i].equals("--help")) {
                out.print(USAGE);
                return 0;
            } else if (args[i].startsWith("-")) {
                err.println("report: unknown option " + args[i]);
                err.print(USAGE);
                return 2;
            } else {
                arns.add(args[i]);
            }
        }
        Matcher arn = arns.size() == 1 ? EXECUTION_ARN.matcher(arns.get(0)) : null;
        if (arn == null || !arn.matches()) {
            err.println("report: expected one Step Functions execution ARN (arn:aws:states:REGION:ACCOUNT:execution:"
                    + "STATE_MACHINE:NAME), got " + arns);
            err.print(USAGE);
            return 2;
        }
        Region region = Region.of(arn.group(1));
        Path target = file != null ? file : Path.of("target/reports", arn.group(2) + ".html");
        try (SfnClient sfn = SfnClient.builder().region(region).httpClient(UrlConnectionHttpClient.create()).build();
             LambdaClient lambda = LambdaClient.builder().region(region)
                     .httpClient(UrlConnectionHttpClient.create()).build();
             CloudWatchClient cloudWatch = CloudWatchClient.builder().region(region)
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            RolloutReport report = new ExecutionReport(sfn, lambda, cloudWatch).read(arns.get(0), Instant.now());
            SimulationReport.write(report, target);
            out.println("Report:      " + target.toAbsolutePath());
            return 0;
        } catch (SdkException | IOException failed) {
            err.println("report: " + failed.getMessage());
            return 1;
        }
    }
}
