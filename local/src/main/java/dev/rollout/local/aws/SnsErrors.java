package dev.rollout.local.aws;

import software.amazon.awssdk.services.sns.model.InternalErrorException;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.NotFoundException;
import software.amazon.awssdk.services.sns.model.ThrottledException;

/** SNS errors built the way the SDK unmarshalls them. The public factories are the faults tests usually inject. */
public final class SnsErrors {

    private static final String SERVICE = "Sns";

    private SnsErrors() {
    }

    /** What SNS answers when the request rate is exceeded: 429 {@code Throttled}, retryable. */
    public static ThrottledException throttled() {
        String message = "Rate exceeded";
        return ThrottledException.builder()
                .message(message)
                .statusCode(429)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "Throttled", 429, message))
                .build();
    }

    /** An internal SNS failure: 500, retryable. */
    public static InternalErrorException internalError() {
        String message = "Internal Error";
        return InternalErrorException.builder()
                .message(message)
                .statusCode(500)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InternalError", 500, message))
                .build();
    }

    static NotFoundException topicNotFound() {
        String message = "Topic does not exist";
        return NotFoundException.builder()
                .message(message)
                .statusCode(404)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "NotFound", 404, message))
                .build();
    }

    static InvalidParameterException invalidParameter(String message) {
        return InvalidParameterException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InvalidParameter", 400, message))
                .build();
    }
}
