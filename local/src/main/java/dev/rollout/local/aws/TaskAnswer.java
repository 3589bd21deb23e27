package dev.rollout.local.aws;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A SendTaskSuccess or SendTaskFailure that {@link InMemoryStepFunctions} accepted. */
public sealed interface TaskAnswer {
    String taskToken();

    Instant at();

    /** SendTaskSuccess: the task's result. */
    record Success(String taskToken, JsonNode output, Instant at) implements TaskAnswer {
    }

    /** SendTaskFailure: the task's error and cause, each null when not given. */
    record Failure(String taskToken, String error, String cause, Instant at) implements TaskAnswer {
    }
}
