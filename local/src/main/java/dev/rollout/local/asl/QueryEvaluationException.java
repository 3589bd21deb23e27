package dev.rollout.local.asl;

/**
 * A JSONata expression failed at run time: it threw, returned nothing, or returned the wrong kind of value.
 * The state fails with {@code States.QueryEvaluationError}, which Retry and Catch can handle, as in AWS.
 */
final class QueryEvaluationException extends RuntimeException {
    private final String field;

    QueryEvaluationException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** Where the failing expression was written, for instance {@code Output/v}. */
    String field() {
        return field;
    }
}
