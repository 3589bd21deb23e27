package dev.rollout.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A rollout execution that ended, as Step Functions announces it to EventBridge ("Step Functions Execution Status
 * Change"): which execution, how it ended, and when. See {@code events/execution-status/} for real-shaped samples.
 *
 * @param status   {@code ABORTED} (stopped), {@code TIMED_OUT}, {@code FAILED} or {@code SUCCEEDED}
 * @param stopDate when the execution ended
 * @param error    the error the execution ended with, when the event names one (may be empty)
 */
public record ExecutionEnding(String executionArn, String stateMachineArn, String status, Instant stopDate,
                              String error, String cause) {
    public static final String DETAIL_TYPE = "Step Functions Execution Status Change";
    private static final Set<String> ENDED = Set.of("ABORTED", "TIMED_OUT", "FAILED", "SUCCEEDED");

    /**
     * Reads the EventBridge event.
     *
     * @throws IllegalArgumentException naming the field when the event is not an ended execution's status change
     */
    public static ExecutionEnding of(JsonNode event) {
        if (event == null || !DETAIL_TYPE.equals(event.path("detail-type").asText())) {
            throw new IllegalArgumentException("expected a \"" + DETAIL_TYPE + "\" event, got detail-type "
                    + (event == null ? "nothing" : event.path("detail-type")));
        }
        JsonNode detail = event.path("detail");
        String status = detail.path("status").asText();
        if (!ENDED.contains(status)) {
            throw new IllegalArgumentException("detail.status: expected one of " + ENDED + ", got \"" + status + "\"");
        }
        String executionArn = required(detail, "executionArn");
        String stateMachineArn = required(detail, "stateMachineArn");
        JsonNode stop = detail.path("stopDate");
        Instant stopDate = stop.isNumber() ? Instant.ofEpochMilli(stop.asLong())
                : Instant.parse(event.path("time").asText(Instant.EPOCH.toString()));
        return new ExecutionEnding(executionArn, stateMachineArn, status, stopDate, text(detail, "error"),
                text(detail, "cause"));
    }

    /** This ending with the error and cause the execution's history names, when the event itself named none. */
    public ExecutionEnding withFailure(String historyError, String historyCause) {
        return error.isEmpty() ? new ExecutionEnding(executionArn, stateMachineArn, status, stopDate, historyError,
                historyCause) : this;
    }

    /** For example {@code stopped (ABORTED)} or {@code timed out (TIMED_OUT)}. */
    public String describe() {
        String how = switch (status) {
            case "ABORTED" -> "was stopped";
            case "TIMED_OUT" -> "timed out";
            case "FAILED" -> "failed";
            default -> "succeeded";
        };
        String because = error.isEmpty() ? "" : " with " + error + (cause.isEmpty() ? "" : ": " + shorten(cause));
        return "the execution " + how + " (" + status + ") at " + stopDate + because;
    }

    /** The execution's name: the last part of its ARN. */
    public String executionName() {
        return executionArn.substring(executionArn.lastIndexOf(':') + 1);
    }

    private static String shorten(String cause) {
        return cause.length() <= 300 ? cause : cause.substring(0, 297) + "...";
    }

    private static String required(JsonNode detail, String field) {
        return Optional.of(detail.path(field).asText()).filter(value -> !value.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("detail." + field + ": is required"));
    }

    private static String text(JsonNode detail, String field) {
        JsonNode value = detail.path(field);
        return value.isTextual() ? value.asText() : "";
    }
}
