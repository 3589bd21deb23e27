package dev.rollout.local.asl;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The details of a history event, one record per kind, shaped like the Step Functions API's
 * {@code *EventDetails} members: inputs and outputs are JSON text, as the API carries them.
 */
public sealed interface EventDetails {

    /**
     * The member of the API's HistoryEvent that holds these details, e.g. {@code stateEnteredEventDetails}:
     * each record is named after its member.
     */
    @JsonIgnore
    default String propertyName() {
        String kind = getClass().getSimpleName();
        return Character.toLowerCase(kind.charAt(0)) + kind.substring(1) + "EventDetails";
    }

    record ExecutionStarted(String input) implements EventDetails {
    }

    record ExecutionSucceeded(String output) implements EventDetails {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExecutionFailed(String error, String cause) implements EventDetails {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExecutionTimedOut(String error, String cause) implements EventDetails {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExecutionAborted(String error, String cause) implements EventDetails {
    }

    record StateEntered(String name, String input) implements EventDetails {
    }

    /** @param assignedVariables the variables the state assigned, each value as JSON text */
    record StateExited(String name, String output,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> assignedVariables)
            implements EventDetails {
    }

    /** @param parameters the evaluated Arguments, as JSON text */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TaskScheduled(String resourceType, String resource, String region, String parameters,
                         Long timeoutInSeconds) implements EventDetails {
    }

    record TaskStarted(String resourceType, String resource) implements EventDetails {
    }

    /** A callback task's function was invoked; its result is recorded, and the task waits for its token. */
    record TaskSubmitted(String resourceType, String resource, String output) implements EventDetails {
    }

    record TaskSucceeded(String resourceType, String resource, String output) implements EventDetails {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TaskFailed(String resourceType, String resource, String error, String cause) implements EventDetails {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TaskTimedOut(String resourceType, String resource, String error, String cause) implements EventDetails {
    }

    /** @param location the field whose expression failed, e.g. {@code Output/v} */
    record EvaluationFailed(String error, String cause, String location, String state) implements EventDetails {
    }
}
