package dev.rollout.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import dev.rollout.aws.RolloutControls;
import dev.rollout.domain.Control;
import dev.rollout.domain.ControlLink;
import dev.rollout.domain.Reference;
import dev.rollout.domain.Target;
import dev.rollout.domain.TaskToken;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The control table's requests against moto's DynamoDB over HTTP, as the template creates the table: the link stored
 * and found, a wait and a decision meeting on one item through {@code ReturnValues: ALL_NEW}, the decision's
 * conditional write, and the sweeper's scan.
 */
class ControlsOverHttpTest {
    @RegisterExtension
    static final MotoServer MOTO = new MotoServer();
    private static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:rollout:orders-live-2";
    private static final Instant AT = Instant.parse("2026-11-29T10:07:00Z");

    private RolloutControls controls;

    @BeforeEach
    void table() {
        String table = "controls-" + System.nanoTime();
        MOTO.dynamoDb().createTable(request -> request.tableName(table)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("key")
                        .attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("key").keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));
        controls = new RolloutControls(MOTO.dynamoDb(), table);
    }

    @Test
    void aLinkIsStoredOnceAcceptsItsOwnResentWriteAndLeadsToItsRollout() {
        Reference reference = Reference.random(new SecureRandom());
        ControlLink link = new ControlLink(reference, EXECUTION, new Target.LambdaAlias("orders", "live"), "1", "2",
                "Canary10Percent30Minutes", AT);
        controls.open(link);
        assertEquals(Optional.of(link), controls.find(reference));
        // The same write again, as the SDK re-sends it when the first response is lost: it is this link, stored.
        controls.open(link);
        ControlLink another = new ControlLink(reference, EXECUTION + "-other", new Target.LambdaAlias("orders", "live"),
                "1", "2", "Canary10Percent30Minutes", AT);
        assertThrows(IllegalStateException.class, () -> controls.open(another));
        assertEquals(Optional.of(link), controls.find(reference));
        assertEquals(Optional.empty(), controls.find(Reference.random(new SecureRandom())));
    }

    @Test
    void aWaitAndADecisionEachSeeTheOtherWhicheverComesSecond() {
        RolloutControls.State waiting = controls.waitFor(EXECUTION, new TaskToken("token-1"), AT.plusSeconds(1800),
                AT.plusSeconds(86_400));
        assertTrue(waiting.decision().isEmpty());
        Control abort = new Control(Control.Kind.ABORT, "dana", "checkout errors", AT);

        RolloutControls.State decided = controls.decide(EXECUTION, abort, AT.plusSeconds(86_400));

        assertEquals(Optional.of(new TaskToken("token-1")), decided.waitingAt(AT));
        assertEquals(Optional.of(abort), decided.decision());
        assertTrue(decided.awaitsDelivery());
        RolloutControls.State next = controls.waitFor(EXECUTION, new TaskToken("token-2"), AT.plusSeconds(3600),
                AT.plusSeconds(86_400));
        assertEquals(Optional.of(abort), next.decision(), "the next wait finds the decision");
    }

    @Test
    void aDecisionIsRecordedOnceAndItsDeliveryToo() {
        Control promote = new Control(Control.Kind.PROMOTE, "dana", "hotfix", AT);
        controls.decide(EXECUTION, promote, AT.plusSeconds(86_400));
        assertEquals(Optional.of(promote), controls.decide(EXECUTION, promote, AT.plusSeconds(86_400)).decision(),
                "a re-sent write of the same decision is the same recording");
        RolloutControls.AlreadyDecided contrary = assertThrows(RolloutControls.AlreadyDecided.class,
                () -> controls.decide(EXECUTION, new Control(Control.Kind.ABORT, "eve", "wait", AT.plusSeconds(5)),
                        AT.plusSeconds(86_400)));
        assertEquals(Optional.of(promote), contrary.current().decision());
        assertEquals(List.of(EXECUTION), controls.awaitingDelivery().stream()
                .map(RolloutControls.State::executionArn).toList());

        controls.delivered(EXECUTION, promote);

        assertTrue(controls.read(EXECUTION).delivered());
        assertFalse(controls.read(EXECUTION).awaitsDelivery());
        assertEquals(List.of(), controls.awaitingDelivery());
    }
}
