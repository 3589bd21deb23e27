package dev.rollout.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApprovalTest {
    private static final Instant REQUESTED = Instant.parse("2026-11-22T10:05:00Z");
    private static final Instant EXPIRES = REQUESTED.plus(Duration.ofHours(1));
    private static final String EXECUTION = "arn:aws:states:eu-west-1:123456789012:execution:rollout:orders-7";

    private final SecureRandom random = new SecureRandom();
    private final Approval pending = Approval.request(Reference.random(random), new TaskToken("secret-token"),
            EXECUTION, snapshot(OnTimeout.ROLLBACK), REQUESTED, Duration.ofHours(1));

    private static RolloutSnapshot snapshot(OnTimeout onTimeout) {
        return new RolloutSnapshot(new Target.LambdaAlias("orders", "live"), "6", "7", "Canary10Percent5Minutes",
                Weight.percent(10), "",
                List.of(new AlarmStatus("orders-errors", "OK", Instant.parse("2026-11-22T09:00:00Z"), "quiet")),
                Instant.parse("2026-11-22T10:00:00Z"), REQUESTED, onTimeout);
    }

    @Test
    void referencesAreRandomUrlSafeAndExactlyFortyThreeCharacters() {
        Reference first = Reference.random(random);
        Reference second = Reference.random(random);
        assertNotEquals(first, second);
        assertTrue(first.value().matches("[A-Za-z0-9_-]{43}"), first.value());
        assertEquals(Optional.of(first), Reference.parse(first.value()));
    }

    @Test
    void aReferenceCutShortPaddedOrWithForeignCharactersIsNoReference() {
        String valid = Reference.random(random).value();
        for (String text : new String[] {valid.substring(1), valid + "=", valid.substring(1) + "+", valid + "A",
                "../" + valid.substring(3), "", null}) {
            assertEquals(Optional.empty(), Reference.parse(text), String.valueOf(text));
        }
        assertEquals(9, Reference.parse(valid).orElseThrow().abbreviated().length());
    }

    @Test
    void aTaskTokenNeverShowsInTextThatIncludesIt() {
        assertFalse(pending.toString().contains("secret-token"), pending.toString());
    }

    @Test
    void aRequestIsOpenUntilItsTimeoutAndExpiredFromThen() {
        assertTrue(pending.isOpenAt(EXPIRES.minusMillis(1)));
        assertFalse(pending.isExpiredAt(EXPIRES.minusMillis(1)));
        assertFalse(pending.isOpenAt(EXPIRES));
        assertTrue(pending.isExpiredAt(EXPIRES));
        assertEquals(EXPIRES.plus(Duration.ofDays(30)), pending.purgeAt());
    }

    @Test
    void aDecisionClosesTheRequestOnce() {
        Decision decision = Decision.approve("Ana", "fine", REQUESTED.plusSeconds(60));
        Approval approved = pending.decide(decision);

        assertEquals(ApprovalStatus.APPROVED, approved.status());
        assertEquals(Optional.of(decision), approved.decision());
        assertFalse(approved.isOpenAt(REQUESTED.plusSeconds(61)));
        assertFalse(approved.isExpiredAt(EXPIRES.plusSeconds(1)), "a decided request never becomes expired");
        assertThrows(IllegalStateException.class, () -> approved.decide(Decision.reject("Bo", "", REQUESTED)));
    }

    @Test
    void aDecisionAfterTheTimeoutIsRefused() {
        IllegalStateException late = assertThrows(IllegalStateException.class,
                () -> pending.decide(Decision.approve("Ana", "", EXPIRES)));
        assertTrue(late.getMessage().contains("expired at 2026-11-22T11:05:00Z"), late.getMessage());
    }

    @Test
    void aDecisionAwaitsDeliveryUntilStepFunctionsHasIt() {
        Approval approved = pending.decide(Decision.approve("Ana", "", REQUESTED.plusSeconds(60)));
        assertTrue(approved.awaitsDelivery());
        assertFalse(approved.deliver().awaitsDelivery());
        assertEquals(approved.decision(), approved.deliver().decision());
        assertFalse(pending.awaitsDelivery());
        assertThrows(IllegalStateException.class, pending::deliver);
    }

    @Test
    void expiringEarlySaysWhenStepFunctionsStoppedWaiting() {
        Instant stopped = REQUESTED.plusSeconds(120);
        Approval closedEarly = pending.decide(Decision.approve("Ana", "", stopped)).expire(stopped);

        assertEquals(ApprovalStatus.EXPIRED, closedEarly.status());
        assertEquals(Optional.empty(), closedEarly.decision(), "a decision Step Functions refused is dropped");
        assertEquals(stopped, closedEarly.expiredAt());
        assertEquals(EXPIRES, pending.expire(EXPIRES.plusSeconds(5)).expiredAt());
        assertThrows(IllegalStateException.class, () -> closedEarly.expire(EXPIRES));
    }

    @Test
    void aRecordWhoseStatusAndDecisionDisagreeCannotExist() {
        Decision decision = Decision.reject("Bo", "", REQUESTED);
        assertThrows(IllegalArgumentException.class, () -> new Approval(pending.reference(), pending.taskToken(),
                EXECUTION, pending.rollout(), REQUESTED, EXPIRES, ApprovalStatus.APPROVED, Optional.of(decision),
                Optional.of(REQUESTED), false));
        assertThrows(IllegalArgumentException.class, () -> new Approval(pending.reference(), pending.taskToken(),
                EXECUTION, pending.rollout(), REQUESTED, EXPIRES, ApprovalStatus.PENDING, Optional.empty(),
                Optional.of(REQUESTED), false));
        assertThrows(IllegalArgumentException.class, () -> new Approval(pending.reference(), pending.taskToken(),
                EXECUTION, pending.rollout(), REQUESTED, EXPIRES, ApprovalStatus.EXPIRED, Optional.empty(),
                Optional.of(REQUESTED), true));
    }

    @Test
    void anApprovalBecomesTheTaskResultWithWhoWhenAndWhy() throws Exception {
        JsonNode output = new ObjectMapper().readTree(
                Decision.approve("Ana Lima", " looks good ", REQUESTED).taskOutput());
        assertEquals(new ObjectMapper().readTree("{\"approved\": true, \"by\": \"Ana Lima\", \"comment\": \"looks good\","
                + " \"at\": \"2026-11-22T10:05:00Z\"}"), output);
    }

    @Test
    void aRejectionBecomesTheFailureCause() {
        assertEquals("rejected by Bo at 2026-11-22T10:05:00Z: p99 latency doubled",
                Decision.reject("Bo", "p99 latency doubled", REQUESTED).rejectionCause());
        assertEquals("rejected by someone who gave no name at 2026-11-22T10:05:00Z (no comment)",
                Decision.reject("", "", REQUESTED).rejectionCause());
    }

    @Test
    void namesAreOneLineAndBothFieldsHaveLimits() {
        assertEquals("Ana Lima", Decision.approve("Ana\r\nLima", "", REQUESTED).by());
        assertEquals(Optional.of("The name is longer than 100 characters."), Decision.refusal("n".repeat(101), ""));
        assertEquals(Optional.of("The comment is longer than 2000 characters."), Decision.refusal("", "c".repeat(2001)));
        assertEquals(Optional.empty(), Decision.refusal("n".repeat(100), "c".repeat(2000)));
    }

    @Test
    void theHealthSentenceSaysHowFarTheChecksReach() {
        RolloutSnapshot checked = snapshot(OnTimeout.ROLLBACK);
        assertEquals("Every watched alarm stayed out of ALARM from 2026-11-22T10:00:00Z until 2026-11-22T10:05:00Z.",
                checked.health());
        RolloutSnapshot unchecked = new RolloutSnapshot(new Target.LambdaAlias("orders", "live"), "6", "7", "Steps",
                Weight.percent(20), "",
                checked.alarms(), checked.startedAt(), checked.startedAt(), OnTimeout.PROMOTE);
        assertTrue(unchecked.health().startsWith("Not checked since the rollout started"), unchecked.health());
        assertEquals("the rollout goes on as if approved", unchecked.whenUnanswered());
    }

    @Test
    void theLinksLeadToThePageWithTheActionAsAHint() {
        ApprovalLinks links = new ApprovalLinks("https://abc.execute-api.eu-west-1.amazonaws.com/v1/");
        assertEquals("https://abc.execute-api.eu-west-1.amazonaws.com/v1/approvals/" + pending.reference().value()
                + "?action=reject", links.reject(pending.reference()));
        assertThrows(IllegalArgumentException.class, () -> new ApprovalLinks("abc.example/v1"));
        assertThrows(IllegalArgumentException.class, () -> new ApprovalLinks("https://abc.example/v1?x=1"));
    }

    @Test
    void theWeightWhileWaitingIsTheLastShiftBeforeTheStep() {
        PreparedRollout rollout = new PreparedRollout(new Target.LambdaAlias("orders", "live"), "6", "7", "Steps",
                List.of(new Step.Shift(10), new Step.Bake(60), new Step.Shift(30), new Step.Approval(60, OnTimeout.ROLLBACK)),
                List.of(), "", REQUESTED.toString(), 0, MetricRules.DEFAULTS);
        assertEquals(Weight.NONE, rollout.weightBefore(0));
        assertEquals(Weight.percent(10), rollout.weightBefore(2));
        assertEquals(Weight.percent(30), rollout.weightBefore(3));
    }
}
