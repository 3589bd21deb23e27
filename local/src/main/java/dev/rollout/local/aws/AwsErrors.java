package dev.rollout.local.aws;

import java.util.UUID;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.http.SdkHttpResponse;

/** The parts of a service error that the SDK fills in when it unmarshalls a real error response. */
final class AwsErrors {

    private AwsErrors() {
    }

    static AwsErrorDetails details(String serviceName, String errorCode, int statusCode, String message) {
        return AwsErrorDetails.builder()
                .serviceName(serviceName)
                .errorCode(errorCode)
                .errorMessage(message)
                .sdkHttpResponse(SdkHttpResponse.builder().statusCode(statusCode).build())
                .build();
    }

    static String requestId() {
        return UUID.randomUUID().toString();
    }
}
