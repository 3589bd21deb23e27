package dev.rollout.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * A Step Functions error output ({@code {"Error": ..., "Cause": ...}}) made readable.
 *
 * <p>When a Lambda task fails, Step Functions puts the function's whole error document (message,
 * type and stack trace, as JSON text) into {@code Cause}; people want just the message.
 *
 * <p>A failure the state machine names itself may carry the error output that led to it as {@code detail}
 * (a hook that threw: {@code Cause} says which hook failed with what error, {@code detail} holds the hook's
 * own error output with its error document); its message is appended.
 */
public record FailureReport(String error, String reason) {

    public static FailureReport of(JsonNode errorOutput) {
        if (errorOutput == null || errorOutput.isMissingNode() || errorOutput.isNull()) {
            return new FailureReport("", "");
        }
        String error = errorOutput.path("Error").asText("");
        String cause = errorOutput.path("Cause").asText("");
        JsonNode detail = errorOutput.path("detail");
        String detailMessage = detail.isObject() ? message(detail.path("Cause").asText("")) : "";
        return new FailureReport(error, detailMessage.isEmpty() ? message(cause) : message(cause) + ": " + detailMessage);
    }

    private static String message(String cause) {
        if (!cause.startsWith("{")) {
            return cause;
        }
        try {
            return SharedJson.MAPPER.readTree(cause).path("errorMessage").asText(cause);
        } catch (IOException notJson) {
            return cause;
        }
    }
}
