package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import dev.rollout.handlers.Json;
import dev.rollout.handlers.TaskHandler;
import dev.rollout.local.time.VirtualClock;

/**
 * Lambda's asynchronous invocation of one function (what EventBridge does to a rule's Lambda target), on the virtual
 * clock, configured as template.yaml's {@code EventInvokeConfig} of that function says: a function error is retried
 * ({@code MaximumRetryAttempts}, Lambda's default 2: a minute and then two minutes later), and an event that failed
 * every attempt goes to the {@code OnFailure} destination as Lambda's invocation record.
 */
public final class AsyncInvocations {
    /**
     * Lambda's default for asynchronous invocations ({@code MaximumRetryAttempts: 2}): after a function error it
     * waits one minute before the second attempt and two before the third.
     */
    static final List<Duration> RETRIES = List.of(Duration.ofMinutes(1), Duration.ofMinutes(2));

    /**
     * One attempt: when, which (1 for the first, 2 and 3 for the retries), the answer or the error, and whether
     * Lambda gives up after it.
     */
    public record Attempt(Instant at, JsonNode event, int attempt, Optional<JsonNode> answer, Optional<String> error,
                   boolean last) {
    }

    /**
     * What template.yaml says of the function's asynchronous invocations.
     *
     * @param retries   {@code MaximumRetryAttempts}
     * @param onFailure the logical ID of the {@code OnFailure} destination, e.g. {@code LostStartsQueue}; empty for none
     */
    public record Config(int retries, Optional<String> onFailure) {
        /** The {@code EventInvokeConfig} of the function whose handler is {@code handler}. */
        static Config of(Path template, String handler) throws IOException {
            for (JsonNode resource : CloudFormationYaml.read(template).path("Resources")) {
                if (handler.equals(resource.at("/Properties/Handler").asText())) {
                    JsonNode config = resource.at("/Properties/EventInvokeConfig");
                    JsonNode destination = config.at("/DestinationConfig/OnFailure/Destination/Fn::GetAtt/0");
                    return new Config(config.path("MaximumRetryAttempts").asInt(RETRIES.size()),
                            destination.isTextual() ? Optional.of(destination.asText()) : Optional.empty());
                }
            }
            throw new IllegalStateException(template + " holds no function whose Handler is " + handler);
        }
    }

    private final VirtualClock clock;
    private final String functionArn;
    private final TaskHandler target;
    private final Config config;
    private final Consumer<Attempt> observer;
    private final List<JsonNode> onFailure = new ArrayList<>();
    private int pending;

    /**
     * @param functionArn the function as its destination records name it
     * @param observer    told of each attempt as it ends
     */
    AsyncInvocations(VirtualClock clock, String functionArn, TaskHandler target, Config config,
                     Consumer<Attempt> observer) {
        if (config.retries() < 0 || config.retries() > RETRIES.size()) {
            throw new IllegalArgumentException("MaximumRetryAttempts must be 0 to " + RETRIES.size() + ", got "
                    + config.retries());
        }
        this.clock = clock;
        this.functionArn = functionArn;
        this.target = target;
        this.config = config;
        this.observer = observer;
    }

    /** The destination Lambda keeps events on once every attempt failed, by logical ID, if the template names one. */
    Optional<String> destination() {
        return config.onFailure();
    }

    /** Queues {@code event}: its first attempt runs at the current instant, after whatever runs now. */
    void invoke(JsonNode event) {
        synchronized (this) {
            pending++;
        }
        clock.schedule(clock.instant(), () -> attempt(event, 1));
    }

    /** True while an event still waits for an attempt or a retry. */
    synchronized boolean busy() {
        return pending > 0;
    }

    /** The invocation records on the OnFailure destination (the template's queue), oldest first. */
    synchronized List<JsonNode> onFailure() {
        return List.copyOf(onFailure);
    }

    private void attempt(JsonNode event, int attempt) {
        Optional<JsonNode> answer = Optional.empty();
        Optional<String> error = Optional.empty();
        RuntimeException failure = null;
        try {
            answer = Optional.of(target.handle(event));
        } catch (RuntimeException failed) {
            failure = failed;
            error = Optional.of(failed.getClass().getName() + ": " + failed.getMessage());
        }
        boolean last = error.isPresent() && attempt > config.retries();
        boolean retry = error.isPresent() && !last;
        Attempt done = new Attempt(clock.instant(), event, attempt, answer, error, last);
        synchronized (this) {
            if (last && config.onFailure().isPresent()) {
                onFailure.add(record(event, attempt, failure));
            }
            if (!retry) {
                pending--;
            }
        }
        observer.accept(done);
        if (retry) {
            clock.after(RETRIES.get(attempt - 1), () -> attempt(event, attempt + 1));
        }
    }

    /** The invocation record Lambda sends an OnFailure destination once retries are exhausted. */
    private ObjectNode record(JsonNode event, int attempts, RuntimeException failure) {
        ObjectNode record = Json.object();
        record.put("version", "1.0");
        record.put("timestamp", clock.instant().toString());
        ObjectNode request = record.putObject("requestContext");
        request.put("requestId", UUID.randomUUID().toString());
        request.put("functionArn", functionArn);
        request.put("condition", "RetriesExhausted");
        request.put("approximateInvokeCount", attempts);
        record.set("requestPayload", event);
        ObjectNode response = record.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        response.put("functionError", "Unhandled");
        record.putObject("responsePayload").put("errorMessage", failure.getMessage())
                .put("errorType", failure.getClass().getName());
        return record;
    }
}
