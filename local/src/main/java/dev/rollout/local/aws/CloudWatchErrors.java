package dev.rollout.local.aws;

import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.DashboardNotFoundErrorException;
import software.amazon.awssdk.services.cloudwatch.model.InternalServiceException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidFormatException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MissingRequiredParameterException;

/**
 * CloudWatch errors built the way the SDK unmarshalls them. The public factories are the faults tests usually inject.
 */
public final class CloudWatchErrors {

    private static final String SERVICE = "CloudWatch";

    private CloudWatchErrors() {
    }

    /** CloudWatch's throttling error ({@code Throttling}, 400), which the SDK has no class for and retries. */
    public static CloudWatchException throttled() {
        String message = "Rate exceeded";
        return (CloudWatchException) CloudWatchException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "Throttling", 400, message))
                .build();
    }

    /** An internal CloudWatch failure: 500, retryable. */
    public static InternalServiceException internalError() {
        String message = "Internal service error";
        return InternalServiceException.builder()
                .message(message)
                .statusCode(500)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InternalServiceError", 500, message))
                .build();
    }

    static InvalidParameterValueException invalidValue(String parameter, Object value, String expectation) {
        return invalidValue("The value " + value + " for parameter " + parameter + " is invalid. " + expectation);
    }

    static InvalidParameterValueException invalidValue(String message) {
        return InvalidParameterValueException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InvalidParameterValue", 400, message))
                .build();
    }

    static MissingRequiredParameterException missing(String parameter) {
        String message = "The parameter " + parameter + " is required.";
        return MissingRequiredParameterException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "MissingParameter", 400, message))
                .build();
    }

    static InvalidParameterCombinationException combination(String message) {
        return InvalidParameterCombinationException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InvalidParameterCombination", 400, message))
                .build();
    }

    static InvalidFormatException invalidFormat(String message) {
        return InvalidFormatException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InvalidFormat", 400, message))
                .build();
    }

    static InvalidNextTokenException invalidNextToken() {
        String message = "The service returned an invalid NextToken.";
        return InvalidNextTokenException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InvalidNextToken", 400, message))
                .build();
    }

    /**
     * CloudWatch's {@code ResourceNotFound} (404, e.g. SetAlarmState on an unknown alarm). The SDK maps that error
     * code to {@link DashboardNotFoundErrorException}, not to {@code ResourceNotFoundException}, whose code is
     * {@code ResourceNotFoundException}; callers of the real service see this class.
     */
    static DashboardNotFoundErrorException resourceNotFound(String message) {
        return DashboardNotFoundErrorException.builder()
                .message(message)
                .statusCode(404)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ResourceNotFound", 404, message))
                .build();
    }
}
