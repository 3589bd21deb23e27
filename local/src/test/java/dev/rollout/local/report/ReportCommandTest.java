package dev.rollout.local.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code bin/report} refuses before it calls AWS. */
class ReportCommandTest {

    @ParameterizedTest(name = "argument \"{0}\"")
    @ValueSource(strings = {"", "orders-live-v2", "arn:aws:states:eu-west-1:123456789012:stateMachine:Rollout",
            "arn:aws:lambda:eu-west-1:123456789012:function:orders"})
    void anythingButOneExecutionArnIsAUsageErrorThatShowsWhatAnExecutionArnLooksLike(String arg) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ReportCommand.run(arg.isEmpty() ? new String[0] : new String[] {arg},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(2, exit);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("report: expected one Step Functions execution ARN "
                + "(arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME)"), err::toString);
    }
}
