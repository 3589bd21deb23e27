package rollout.local.asl;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * The details of a history event, one record per kind, shaped like the Step Functions API's
 * {@code *EventDetails} members: inputs and outputs are JSON text, as the API carries them.
 */
public sealed interface EventDetails {

    /** The member of the API's HistoryEvent that holds these details, e.g. {@code stateEnteredEventDetails}. */
    @JsonIgnore
    String propertyName();

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExecutionStarted(String input) implements EventDetails {
        @Override
        public String propertyName() {
            return "executionStartedEventDetails";
        }
    }

    record ExecutionSucceeded(String output) implements EventDetails {
        @Override
        public String propertyName() {
            return "executionSucceededEventDetails";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExecutionFailed(String error, String cause) implements EventDetails {
        @Override
        public String propertyName() {
            return "executionFailedEventDetails";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExecutionTimedOut(String error, String cause) implements EventDetails {
        @Override
        public String propertyName() {
            return "executionTimedOutEventDetails";
        }
    }

    record StateEntered(String name, String input) implements EventDetails {
        @Override
        public String propertyName() {
            return "stateEnteredEventDetails";
        }
    }

    /** @param assignedVariables the variables the state assigned, each value as JSON text */
    record StateExited(String name, String output,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> assignedVariables)
            implements EventDetails {
        @Override
        public String propertyName() {
            return "stateExitedEventDetails";
        }
    }

    /** @param parameters the evaluated Arguments, as JSON text */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TaskScheduled(String resourceType, String resource, String region, String parameters,
                         Long timeoutInSeconds) implements EventDetails {
        @Override
        public String propertyName() {
            return "taskScheduledEventDetails";
        }
    }

    record TaskStarted(String resourceType, String resource) implements EventDetails {
        @Override
        public String propertyName() {
            return "taskStartedEventDetails";
        }
    }

    /** A callback task's function was invoked; its result is recorded, and the task waits for its token. */
    record TaskSubmitted(String resourceType, String resource, String output) implements EventDetails {
        @Override
        public String propertyName() {
            return "taskSubmittedEventDetails";
        }
    }

    record TaskSucceeded(String resourceType, String resource, String output) implements EventDetails {
        @Override
        public String propertyName() {
            return "taskSucceededEventDetails";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TaskFailed(String resourceType, String resource, String error, String cause) implements EventDetails {
        @Override
        public String propertyName() {
            return "taskFailedEventDetails";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TaskTimedOut(String resourceType, String resource, String error, String cause) implements EventDetails {
        @Override
        public String propertyName() {
            return "taskTimedOutEventDetails";
        }
    }

    /** @param location the field whose expression failed, e.g. {@code Output/v} */
    record EvaluationFailed(String error, String cause, String location, String state) implements EventDetails {
        @Override
        public String propertyName() {
            return "evaluationFailedEventDetails";
        }
    }
}
