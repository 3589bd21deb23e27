package dev.rollout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import dev.rollout.aws.Clients;
import dev.rollout.aws.PendingApprovals;
import dev.rollout.aws.TaskCallbacks;
import dev.rollout.domain.Approval;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The scheduled sweeper (an EventBridge schedule, every five minutes): finishes what an interrupted step left
 * undone without waiting for anyone to come back. It delivers every recorded approval decision that Step Functions
 * may not have received: one whose delivery failed, or whose approval page was killed between recording it and
 * answering the task. Each is delivered once Step Functions takes it, or recorded EXPIRED once Step Functions says
 * the task is gone.
 *
 * <p>Output: how many decisions it {@code delivered}, found {@code expired}, and left {@code undelivered} for the
 * next run.
 */
public final class Sweep implements RequestStreamHandler {
    private final PendingApprovals approvals;
    private final DecisionDelivery delivery;
    private final Clock clock;

    public Sweep() {
        this(Clients.dynamoDb(), Clients.environment("APPROVAL_TABLE"), Clients.sfn(), Clock.systemUTC());
    }

    public Sweep(DynamoDbClient dynamoDb, String approvalTable, SfnClient sfn, Clock clock) {
        this.approvals = new PendingApprovals(dynamoDb, approvalTable);
        this.delivery = new DecisionDelivery(approvals, new TaskCallbacks(sfn));
        this.clock = clock;
    }

    /** The schedule's event says only that it is time; its content is not needed. */
    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        Json.MAPPER.writeValue(output, sweep(context));
    }

    /** One sweep; the local runtime calls it on its virtual clock. */
    public ObjectNode sweep(Context context) {
        RolloutLog log = RolloutLog.of(context, clock).with("state", "Sweep");
        int delivered = 0;
        int expired = 0;
        int undelivered = 0;
        for (Approval decided : approvals.awaitingDelivery()) {
            Instant now = clock.instant();
            RolloutLog approvalLog = log.with("approval_reference", decided.reference().abbreviated())
                    .with("execution_id", decided.executionArn());
            DecisionDelivery.Outcome outcome = delivery.deliver(decided, now, approvalLog);
            if (outcome instanceof DecisionDelivery.Delivered) {
                delivered++;
            } else if (outcome instanceof DecisionDelivery.TaskGone) {
                expired++;
            } else {
                undelivered++;
            }
        }
        ObjectNode result = Json.object();
        result.putObject("decisions").put("delivered", delivered).put("expired", expired)
                .put("undelivered", undelivered);
        String summary = "decisions delivered " + delivered + ", found expired " + expired + ", still undelivered "
                + undelivered;
        if (undelivered > 0) {
            log.with("outcome", "undelivered").error("Sweep: " + summary);
        } else {
            log.with("outcome", "succeeded").info("Sweep: " + summary);
        }
        return result;
    }
}
