package dev.rollout.local.aws;

import software.amazon.awssdk.services.lambda.model.InvalidParameterValueException;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.PreconditionFailedException;
import software.amazon.awssdk.services.lambda.model.ResourceConflictException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.lambda.model.ServiceException;
import software.amazon.awssdk.services.lambda.model.ThrottleReason;
import software.amazon.awssdk.services.lambda.model.TooManyRequestsException;

/**
 * Lambda errors built the way the SDK unmarshalls them, so callers can rely on {@code statusCode()} and
 * {@code awsErrorDetails().errorCode()}. The public factories are the faults tests usually inject.
 */
public final class LambdaErrors {

    private static final String SERVICE = "Lambda";

    private LambdaErrors() {
    }

    /** What Lambda answers when a caller exceeds the API request rate: 429, retryable. */
    public static TooManyRequestsException throttled() {
        String message = "Rate exceeded";
        return TooManyRequestsException.builder()
                .type("User")
                .reason(ThrottleReason.CALLER_RATE_LIMIT_EXCEEDED)
                .retryAfterSeconds("1")
                .message(message)
                .statusCode(429)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "TooManyRequestsException", 429, message))
                .build();
    }

    /** An internal Lambda failure: 500, retryable. */
    public static ServiceException serviceError() {
        String message = "An internal error occurred. Please try again.";
        return ServiceException.builder()
                .type("Service")
                .message(message)
                .statusCode(500)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ServiceException", 500, message))
                .build();
    }

    static ResourceNotFoundException notFound(String message) {
        return ResourceNotFoundException.builder()
                .type("User")
                .message(message)
                .statusCode(404)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ResourceNotFoundException", 404, message))
                .build();
    }

    static InvalidParameterValueException invalidParameter(String message) {
        return InvalidParameterValueException.builder()
                .type("User")
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InvalidParameterValueException", 400, message))
                .build();
    }

    static PreconditionFailedException revisionMismatch() {
        String message = "The Revision Id provided does not match the latest Revision Id. "
                + "Call the GetFunction/GetAlias API to retrieve the latest Revision Id";
        return PreconditionFailedException.builder()
                .type("User")
                .message(message)
                .statusCode(412)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "PreconditionFailedException", 412, message))
                .build();
    }

    static ResourceConflictException conflict(String message) {
        return ResourceConflictException.builder()
                .type("User")
                .message(message)
                .statusCode(409)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ResourceConflictException", 409, message))
                .build();
    }

    /**
     * Request-model constraint violations. Lambda reports them as {@code ValidationException}, which the SDK has no
     * class for, so callers see the service's base exception carrying that error code.
     */
    static LambdaException validation(String value, String field, String constraint) {
        String message = "1 validation error detected: Value '" + value + "' at '" + field
                + "' failed to satisfy constraint: " + constraint;
        return (LambdaException) LambdaException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ValidationException", 400, message))
                .build();
    }
}
