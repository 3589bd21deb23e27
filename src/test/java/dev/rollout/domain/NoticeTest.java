package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class NoticeTest {
    private static final String EXECUTION = "arn:aws:states:eu-west-1:123456789012:execution:Rollout:orders-live-v7";

    @Test
    void aRollbackNoticeNamesVersionsReasonAndTheExecution() {
        Notice notice = Notice.of(Phase.ROLLED_BACK, new Target.LambdaAlias("orders", "live"), "6", "7",
                "Canary10Percent5Minutes",
                "alarm orders-errors was in ALARM at 2026-11-22T10:03:00Z", "Rollout.AlarmTriggered",
                Notice.consoleUrl(EXECUTION));
        assertEquals("Rollout rolled back: orders:live 6 -> 7", notice.subject());
        assertTrue(notice.body().contains("Error:     Rollout.AlarmTriggered"), notice.body());
        assertTrue(notice.body().contains("Reason:    alarm orders-errors was in ALARM"), notice.body());
        assertTrue(notice.body().contains("https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1"
                + "#/v2/executions/details/" + EXECUTION), notice.body());
        assertEquals("ROLLED_BACK", notice.attributes().get("phase"));
    }

    @Test
    void aStageCanaryNoticeNamesTheApiTheStageAndItsDeploymentsAndIsFilteredByThem() {
        Notice notice = Notice.of(Phase.PROMOTED, new Target.StageCanary("a1b2c3d4e5", "prod", java.util.Map.of()),
                "d1", "d2", "Canary10Percent5Minutes", "", "", Notice.consoleUrl(EXECUTION));
        assertEquals("Rollout promoted: a1b2c3d4e5/prod d1 -> d2", notice.subject());
        assertTrue(notice.body().startsWith("The rollout of stage prod of API a1b2c3d4e5 promoted.\n\n"
                + "Api:       a1b2c3d4e5\nStage:     prod\nFrom:      deployment d1\nTo:        deployment d2\n"),
                notice.body());
        assertEquals(java.util.Map.of("phase", "PROMOTED", "api", "a1b2c3d4e5", "stage", "prod"), notice.attributes());
    }

    @Test
    void aSubjectNeverExceedsWhatSnsAccepts() {
        String longName = "f".repeat(64);
        Notice notice = Notice.of(Phase.ROLLBACK_FAILED, new Target.LambdaAlias(longName, "a".repeat(60)), "1", "2",
                "AllAtOnce", "", "",
                Notice.consoleUrl(EXECUTION));
        assertEquals(Notice.MAX_SUBJECT, notice.subject().length());
    }

    @Test
    void aLambdaErrorDocumentIsReducedToItsMessage() throws Exception {
        String cause = new ObjectMapper().writeValueAsString(java.util.Map.of(
                "errorMessage", "alias orders:live was changed outside this rollout",
                "errorType", "Rollout.Conflict", "stackTrace", java.util.List.of("a", "b")));
        FailureReport report = FailureReport.of(new ObjectMapper().createObjectNode()
                .put("Error", "Rollout.Conflict").put("Cause", cause));
        assertEquals(new FailureReport("Rollout.Conflict", "alias orders:live was changed outside this rollout"), report);
    }

    @Test
    void aPlainCauseIsKeptAsItIs() {
        FailureReport report = FailureReport.of(new ObjectMapper().createObjectNode()
                .put("Error", "States.Timeout").put("Cause", "no decision in time"));
        assertEquals("no decision in time", report.reason());
    }
}
