package dev.rollout.local;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.rollout.domain.Control;
import dev.rollout.handlers.ControlDecisions;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * {@code bin/control abort|promote EXECUTION_ARN --table CONTROL_TABLE --by NAME --reason TEXT}: a person's abort or
 * promote-now of a rollout running in AWS, from a terminal. It does what the control page's form does, with the same
 * code ({@link ControlDecisions}): the decision is recorded once per rollout with who and why, then delivered to the
 * wait the rollout is in. Credentials come from the SDK's default chain; the Region from the ARN. It needs
 * {@code dynamodb:GetItem} and {@code dynamodb:UpdateItem} on the control table, {@code states:DescribeExecution},
 * and {@code states:SendTaskSuccess} and {@code states:SendTaskFailure} on the rollout state machine.
 *
 * <p>Exit codes: 0 delivered (the rollout acts on it now) or recorded for the rollout's next wait; 3 not recorded
 * (decided before, or the rollout has ended); 4 recorded but not delivered yet; 2 usage error; 1 AWS refused or failed.
 */
public final class ControlCommand {
    private static final Pattern EXECUTION_ARN =
            Pattern.compile("arn:aws[a-z-]*:states:([a-z0-9-]+):\\d{12}:execution:[^:]+:[^:]+");
    private static final String USAGE = """
            usage: bin/control abort|promote EXECUTION_ARN --table CONTROL_TABLE --by NAME --reason TEXT
              abort          traffic back to the starting version now, through the rollout's rollback
              promote        skip the remaining steps and waits; promote after the usual checks and hooks
              --table NAME   the stack's ControlTableName output
              --by NAME      who decides (recorded in the execution's history)
              --reason TEXT  why (recorded in the execution's history and the rollout's notice)
            """;

    private ControlCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, (region, table) -> {
            DynamoDbClient dynamoDb = DynamoDbClient.builder().region(region)
                    .httpClient(UrlConnectionHttpClient.create()).build();
            SfnClient sfn = SfnClient.builder().region(region).httpClient(UrlConnectionHttpClient.create()).build();
            return new ControlDecisions(dynamoDb, table, sfn, Clock.systemUTC());
        }));
    }

    /** @param decisions the decisions on the control table of the given name, in the given Region */
    static int run(String[] args, PrintStream out, PrintStream err,
                   BiFunction<Region, String, ControlDecisions> decisions) {
        List<String> positional = new ArrayList<>();
        String table = null;
        String by = null;
        String reason = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("-h") || option.equals("--help")) {
                out.print(USAGE);
                return 0;
            }
            if (option.equals("--table") || option.equals("--by") || option.equals("--reason")) {
                if (i + 1 >= args.length) {
                    return usage(err, option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--table" -> table = value;
                    case "--by" -> by = value;
                    default -> reason = value;
                }
            } else if (option.startsWith("-")) {
                return usage(err, "unknown option " + option);
            } else {
                positional.add(option);
            }
        }
        if (positional.size() != 2) {
            return usage(err, "expected abort or promote and one execution ARN, got " + positional);
        }
        Optional<Control.Kind> kind = Control.Kind.parse(positional.get(0));
        if (kind.isEmpty()) {
            return usage(err, "expected abort or promote, got \"" + positional.get(0) + "\"");
        }
        Matcher arn = EXECUTION_ARN.matcher(positional.get(1));
        if (!arn.matches()) {
            return usage(err, "expected a Step Functions execution ARN (arn:aws:states:REGION:ACCOUNT:execution:"
                    + "STATE_MACHINE:NAME), got \"" + positional.get(1) + "\"");
        }
        if (table == null || table.isBlank()) {
            return usage(err, "--table: give the stack's ControlTableName output");
        }
        Optional<String> refusal = Control.refusal(by, reason);
        if (refusal.isPresent()) {
            return usage(err, "--by and --reason: " + refusal.get());
        }
        try {
            ControlDecisions.Result result = decisions.apply(Region.of(arn.group(1)), table)
                    .decide(positional.get(1), kind.get(), by, reason);
            out.println("control: " + result.describe());
            return switch (result.status()) {
                case DELIVERED, AT_NEXT_WAIT -> 0;
                case UNDELIVERED -> 4;
                case ALREADY_DECIDED, ENDED -> 3;
                case REFUSED -> 2;
            };
        } catch (SdkException | Rollout.Failure failed) {
            err.println("control: " + failed.getMessage());
            return 1;
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println("control: " + problem);
        err.print(USAGE);
        return 2;
    }
}
