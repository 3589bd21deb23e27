package dev.rollout.local.aws;

import java.util.List;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.InvalidInputException;
import software.amazon.awssdk.services.route53.model.NoSuchChangeException;
import software.amazon.awssdk.services.route53.model.NoSuchHealthCheckException;
import software.amazon.awssdk.services.route53.model.NoSuchHostedZoneException;
import software.amazon.awssdk.services.route53.model.Route53Exception;
import software.amazon.awssdk.services.route53.model.ThrottlingException;

/**
 * Route 53 errors built the way the SDK unmarshalls them (every Route 53 client error is an HTTP 400 with a
 * {@code Code}). The public factories are the faults tests inject.
 */
public final class Route53Errors {

    private static final String SERVICE = "Route53";

    private Route53Errors() {
    }

    /** What Route 53 answers a request over the account's rate: 400, {@code Throttling}, "Rate exceeded". */
    public static ThrottlingException throttled() {
        String message = "Rate exceeded";
        return ThrottlingException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "Throttling", 400, message))
                .build();
    }

    /** Route 53 failing on its side: 500 {@code InternalFailure}, retryable (no modelled exception, as in the SDK). */
    public static Route53Exception unavailable() {
        String message = "An internal error occurred";
        return (Route53Exception) Route53Exception.builder()
                .message(message)
                .statusCode(500)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InternalFailure", 500, message))
                .build();
    }

    /**
     * A batch refused as a whole, with one message per change Route 53 refused ({@code messages()}). The error's
     * message is that message when there is one (as in Route 53's {@code ErrorResponse}), the list in brackets when
     * there are several.
     */
    static InvalidChangeBatchException invalidChangeBatch(List<String> messages) {
        String message = messages.size() == 1 ? messages.get(0) : "[" + String.join(", ", messages) + "]";
        return InvalidChangeBatchException.builder()
                .messages(messages)
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InvalidChangeBatch", 400, message))
                .build();
    }

    static InvalidInputException invalidInput(String message) {
        return InvalidInputException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InvalidInput", 400, message))
                .build();
    }

    static NoSuchHostedZoneException noSuchHostedZone(String id) {
        String message = "No hosted zone found with ID: " + id;
        return NoSuchHostedZoneException.builder()
                .message(message)
                .statusCode(404)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "NoSuchHostedZone", 404, message))
                .build();
    }

    static NoSuchChangeException noSuchChange(String id) {
        String message = "A change with the specified change ID does not exist: " + id;
        return NoSuchChangeException.builder()
                .message(message)
                .statusCode(404)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "NoSuchChange", 404, message))
                .build();
    }

    static NoSuchHealthCheckException noSuchHealthCheck(String id) {
        String message = "A health check with id " + id + " does not exist.";
        return NoSuchHealthCheckException.builder()
                .message(message)
                .statusCode(404)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "NoSuchHealthCheck", 404, message))
                .build();
    }
}
