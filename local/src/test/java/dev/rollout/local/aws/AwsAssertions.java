package dev.rollout.local.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

final class AwsAssertions {

    private AwsAssertions() {
    }

    /** Asserts that {@code call} fails the way the SDK reports the given AWS error, and returns the error. */
    static <T extends AwsServiceException> T assertAwsError(Class<T> type, int statusCode, String errorCode,
            Executable call) {
        T error = assertThrows(type, call);
        assertEquals(statusCode, error.statusCode(), "status code");
        assertEquals(errorCode, error.awsErrorDetails().errorCode(), "error code");
        return error;
    }
}
