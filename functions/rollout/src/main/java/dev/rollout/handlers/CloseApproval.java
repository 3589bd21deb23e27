package dev.rollout.handlers;

import Rollout.Transient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import dev.rollout.aws.ApprovalClosed;
import dev.rollout.aws.Clients;
import dev.rollout.aws.PendingApprovals;
import dev.rollout.domain.Approval;
import dev.rollout.domain.Decision;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Runs when an approval task times out, before the step's {@code onTimeout} applies: closes the request, so that a
 * decision recorded before the time-out counts and none can be recorded after it.
 *
 * <p>A request still pending is recorded {@code EXPIRED} (a conditional write: a decision recorded at the same moment
 * either wins before it, and is then the answer, or finds the request closed). A decision recorded in time whose
 * delivery kept failing until the time-out (Step Functions throttled or unreachable) is the answer, whatever
 * {@code onTimeout} says, and is recorded delivered: the rollout acts on it now. So a rejection never ends in a
 * promotion through {@code onTimeout: promote}, and an approval is never rolled back as if nobody had answered.
 *
 * <p>Input: {@code executionId} and {@code requestedAt} (when the approval state was entered, as RequestApproval
 * recorded it). Output: {@code decided}; when true, {@code approved}, {@code by}, {@code at} and {@code cause} (what a
 * rejection's {@code Rollout.Rejected} says).
 */
public final class CloseApproval extends TaskHandler {
    /** A conditional write lost to a concurrent change is read again and retried this many times. */
    private static final int ATTEMPTS = 3;

    private final PendingApprovals approvals;
    private final Clock clock;

    public CloseApproval() {
        this(Clients.dynamoDb(), Clients.environment("APPROVAL_TABLE"), Clock.systemUTC());
    }

    public CloseApproval(DynamoDbClient dynamoDb, String table, Clock clock) {
        this.approvals = new PendingApprovals(dynamoDb, table);
        this.clock = clock;
    }

    @Override
    public JsonNode handle(JsonNode input) {
        String executionArn = Json.text(input, "executionId");
        Instant requestedAt = Instant.parse(Json.text(input, "requestedAt"));
        Optional<Decision> answer = Optional.empty();
        for (Approval request : approvals.requestedBy(executionArn, requestedAt)) {
            Optional<Decision> decided = close(request).decision();
            answer = answer.isPresent() ? answer : decided;
        }
        ObjectNode output = Json.object().put("decided", answer.isPresent());
        answer.ifPresent(decision -> output.put("approved", decision.approved()).put("by", decision.who())
                .put("at", decision.at().toString()).put("cause", decision.rejectionCause()));
        return output;
    }

    /** The request as it stands once closed: expired when nobody had decided, else its decision, delivered. */
    private Approval close(Approval request) {
        Approval current = request;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                if (current.isPending()) {
                    return approvals.expire(current, clock.instant());
                }
                return current.awaitsDelivery() ? approvals.delivered(current) : current;
            } catch (ApprovalClosed changed) {
                current = changed.current().orElseThrow(() -> new Transient("approval "
                        + request.reference().abbreviated() + " vanished while closing it", changed));
            }
        }
        throw new Transient("approval " + request.reference().abbreviated() + " kept changing while closing it", null);
    }
}
