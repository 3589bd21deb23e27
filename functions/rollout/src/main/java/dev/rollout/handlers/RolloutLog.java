package dev.rollout.handlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import dev.rollout.domain.Target;

/**
 * One JSON object per log line, in the shape Powertools for AWS Lambda (Java) writes ({@code timestamp},
 * {@code level}, {@code message}, {@code service}, {@code function_name}, {@code function_request_id},
 * {@code cold_start}), with the keys that let one CloudWatch Logs Insights query follow a rollout:
 * {@code execution_id}, {@code state}, {@code target} (its kind), {@code target_function}, {@code alias},
 * {@code rest_api_id}, {@code stage}, {@code from_version},
 * {@code to_version}, {@code outcome}, and {@code approval_reference} (the reference's prefix, never the whole
 * reference) on the approval page. Written without Powertools itself: a few lines of Jackson, which the functions
 * already carry, rather than a logging framework and its AspectJ weaving in every function.
 */
public final class RolloutLog {
    /** Powertools' default when POWERTOOLS_SERVICE_NAME is unset is "service_undefined"; ours names the app. */
    static final String SERVICE = "lambda-rollout";
    private static final AtomicBoolean COLD = new AtomicBoolean(true);

    private final LambdaLogger logger;
    private final Context context;
    private final Clock clock;
    private final boolean coldStart;
    private final Map<String, String> keys;

    private RolloutLog(LambdaLogger logger, Context context, Clock clock, boolean coldStart, Map<String, String> keys) {
        this.logger = logger;
        this.context = context;
        this.clock = clock;
        this.coldStart = coldStart;
        this.keys = keys;
    }

    /** The log of one invocation; the first in a container says {@code cold_start: true}. */
    public static RolloutLog of(Context context, Clock clock) {
        return new RolloutLog(context.getLogger(), context, clock, COLD.getAndSet(false), new LinkedHashMap<>());
    }

    /** This log with one more key on every line; an empty or null value adds nothing. */
    public RolloutLog with(String key, String value) {
        if (value == null || value.isEmpty()) {
            return this;
        }
        Map<String, String> more = new LinkedHashMap<>(keys);
        more.put(key, value);
        return new RolloutLog(logger, context, clock, coldStart, more);
    }

    /**
     * This log with the rollout a task's input or output names: a {@code rollout} object (what Prepare returns and
     * every later task gets), or a start input ({@code functionName}, {@code alias}, {@code targetVersion}).
     */
    public RolloutLog rollout(JsonNode node) {
        if (node == null || !node.isObject()) {
            return this;
        }
        JsonNode rollout = node.path("rollout").isObject() ? node.path("rollout") : node;
        // A prepared rollout names its target; a start input names a Lambda alias by its own fields, or a target.
        JsonNode target = rollout.path("target").isObject() ? rollout.path("target") : rollout;
        return with("target", target.path("type").asText("LambdaAlias"))
                .with("target_function", target.path("functionName").asText(""))
                .with("alias", target.path("alias").asText(""))
                .with("rest_api_id", target.path("restApiId").asText(""))
                .with("stage", target.path("stage").asText(""))
                .with("from_version", rollout.path("fromVersion").asText(""))
                .with("to_version", rollout.path("toVersion").asText(rollout.path("targetVersion").asText("")));
    }

    /** This log with a target's keys: its kind, and the function and alias or the API and stage it names. */
    public RolloutLog target(Target target) {
        return rollout(Json.MAPPER.createObjectNode().set("target", Json.MAPPER.valueToTree(target)));
    }

    public void info(String message) {
        write("INFO", message);
    }

    public void warn(String message) {
        write("WARN", message);
    }

    public void error(String message) {
        write("ERROR", message);
    }

    private void write(String level, String message) {
        ObjectNode line = Json.object();
        line.put("timestamp", clock.instant().toString());
        line.put("level", level);
        line.put("message", message);
        line.put("service", SERVICE);
        line.put("function_name", context.getFunctionName());
        line.put("function_request_id", context.getAwsRequestId());
        line.put("cold_start", coldStart);
        keys.forEach(line::put);
        try {
            logger.log(Json.MAPPER.writeValueAsString(line) + "\n");
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException("a tree of JSON nodes always serializes", impossible);
        }
    }
}
