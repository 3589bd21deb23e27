package dev.rollout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

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
        JsonNode result = handle(Json.MAPPER.readTree(input));
        context.getLogger().log(getClass().getSimpleName() + " -> " + result + "\n");
        Json.MAPPER.writeValue(output, result);
    }

    /** Performs the step. Idempotent: Step Functions may run it again after a timeout or retry. */
    public abstract JsonNode handle(JsonNode input);
}
