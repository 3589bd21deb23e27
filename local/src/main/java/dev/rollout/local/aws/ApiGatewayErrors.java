package dev.rollout.local.aws;

import software.amazon.awssdk.services.apigateway.model.BadRequestException;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;
import software.amazon.awssdk.services.apigateway.model.ServiceUnavailableException;
import software.amazon.awssdk.services.apigateway.model.TooManyRequestsException;

/** API Gateway errors built the way the SDK unmarshalls them. The public factories are the faults tests inject. */
public final class ApiGatewayErrors {

    private static final String SERVICE = "ApiGateway";

    private ApiGatewayErrors() {
    }

    /** What API Gateway answers when a caller exceeds the control-plane rate: 429, retryable. */
    public static TooManyRequestsException throttled() {
        String message = "Too Many Requests";
        return TooManyRequestsException.builder()
                .message(message)
                .retryAfterSeconds("1")
                .statusCode(429)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "TooManyRequestsException", 429, message))
                .build();
    }

    /** API Gateway failing on its side: 503, retryable. */
    public static ServiceUnavailableException unavailable() {
        String message = "Service Unavailable";
        return ServiceUnavailableException.builder()
                .message(message)
                .retryAfterSeconds("1")
                .statusCode(503)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ServiceUnavailableException", 503, message))
                .build();
    }

    static NotFoundException notFound(String message) {
        return NotFoundException.builder()
                .message(message)
                .statusCode(404)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "NotFoundException", 404, message))
                .build();
    }

    static BadRequestException badRequest(String message) {
        return BadRequestException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "BadRequestException", 400, message))
                .build();
    }
}
