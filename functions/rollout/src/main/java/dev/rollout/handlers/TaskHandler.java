package dev.rollout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;

/**
 * A Lambda behind one Task state: JSON in, one step of the rollout, JSON out.
 *
 * <p>Stream handling with our own mapper, rather than the runtime's POJO binding, keeps the wire
 * format ours and identical between AWS and the local runtime, which calls {@link #handle} directly.
 * Exceptions propagate: their class name is the error Step Functions matches.
 */
public abstract class TaskHandler implements RequestStreamHandler {

    protected TaskHandler() {
        Priming.register();
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode in = Json.MAPPER.readTree(input);
        String state = getClass().getSimpleName();
        RolloutLog log = RolloutLog.of(context, Clock.systemUTC()).with("state", state)
                .with("phase", in.path("phase").asText("")).with("execution_id", in.path("executionId").asText(""))
                .rollout(in).rollout(in.path("request"));
        JsonNode result;
        try {
            result = handle(in);
        } catch (RuntimeException failed) {
            // The class name is the Step Functions error name, e.g. Rollout.AlarmTriggered.
            log.with("outcome", failed.getClass().getName()).error(state + " failed: " + failed.getMessage());
            throw failed;
        }
        log.rollout(result).rollout(result.path("input")).with("execution_id", result.path("executionArn").asText(""))
                .with("outcome", outcome(result)).info(state + ": " + summary(result));
        Json.MAPPER.writeValue(output, result);
    }

    /** What a step decided, in one word: the output's own outcome or phase, the verdict, or that it succeeded. */
    static String outcome(JsonNode result) {
        if (result.path("outcome").isTextual()) {
            return result.path("outcome").asText();
        }
        if (result.path("phase").isTextual()) {
            return result.path("phase").asText();
        }
        if (result.path("healthy").isBoolean()) {
            return result.path("healthy").asBoolean() ? "healthy" : "unhealthy";
        }
        return "succeeded";
    }

    /** The output's own words for what happened: a verdict's summary, a reason, the routing, or a subject. */
    private static String summary(JsonNode result) {
        for (String field : new String[] {"summary", "reason", "routing", "subject"}) {
            if (result.path(field).isTextual() && !result.path(field).asText().isEmpty()) {
                return result.path(field).asText();
            }
        }
        return "done";
    }

    /** Performs the step. Idempotent: Step Functions may run it again after a timeout or retry. */
    public abstract JsonNode handle(JsonNode input);
}
