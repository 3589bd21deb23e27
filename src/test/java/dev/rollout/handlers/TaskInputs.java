package dev.rollout.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The inputs the state machine gives the task handlers, built as its Arguments build them, for the
 * handler tests against the in-memory AWS and against moto alike.
 */
public final class TaskInputs {
    private TaskInputs() {
    }

    /** A start input rolling {@code function} out to version 2 with {@code strategy}, watching {@code alarm}. */
    public static ObjectNode request(String function, String alarm, String strategy) {
        ObjectNode input = Json.object();
        input.put("functionName", function);
        input.put("targetVersion", "2");
        input.put("strategy", strategy);
        input.putArray("alarms").add(alarm);
        return input;
    }

    /** The execution every task input names, as the state machine passes {@code $states.context.Execution.Id}. */
    public static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:rollout:first";

    /** Promote's input: the prepared rollout and the alias revision last seen. */
    public static ObjectNode withRevision(JsonNode prepared, String revision) {
        ObjectNode input = Json.object();
        input.put("executionId", EXECUTION);
        input.set("rollout", prepared.get("rollout"));
        input.put("revisionId", revision);
        // The first window, as the state machine passes it: from Prepare on.
        input.put("since", prepared.at("/rollout/preparedAt").asText());
        return input;
    }

    /** ShiftTraffic's input for a step of {@code weight} percent. */
    public static ObjectNode shift(JsonNode prepared, int weight, String revision) {
        return withRevision(prepared, revision).put("weight", weight);
    }

    /** Rollback's input after the errors alarm stopped the rollout. */
    public static ObjectNode rollback(JsonNode prepared) {
        ObjectNode input = Json.object();
        input.set("rollout", prepared.get("rollout"));
        input.putObject("failure").put("Error", "Rollout.AlarmTriggered").put("Cause", "alarm orders-errors fired");
        return input;
    }
}
