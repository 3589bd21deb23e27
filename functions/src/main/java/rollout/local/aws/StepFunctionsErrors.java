package rollout.local.aws;

import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * Step Functions errors built the way the SDK unmarshalls them. The public factories are what a
 * {@link CallbackTasks} throws for a token it cannot answer, and the faults tests usually inject.
 */
public final class StepFunctionsErrors {

    private static final String SERVICE = "Sfn";

    private StepFunctionsErrors() {
    }

    /** The token was never issued, or is malformed. */
    public static InvalidTokenException invalidToken() {
        String message = "Invalid Token: 'Invalid token'";
        return InvalidTokenException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InvalidToken", 400, message))
                .build();
    }

    /** The token's task is closed: it timed out, was answered already, or its execution ended. */
    public static TaskTimedOutException taskTimedOut() {
        String message = "Task Timed Out: 'Provided task does not exist anymore'";
        return TaskTimedOutException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "TaskTimedOut", 400, message))
                .build();
    }

    /** The task the token stood for does not exist (any more). */
    public static TaskDoesNotExistException taskDoesNotExist() {
        String message = "Task Does Not Exist: 'Provided task does not exist'";
        return TaskDoesNotExistException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "TaskDoesNotExist", 400, message))
                .build();
    }

    /** What Step Functions answers when the API request rate is exceeded: 400 {@code ThrottlingException}, retryable. */
    public static SfnException throttled() {
        String message = "Rate exceeded";
        return (SfnException) SfnException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ThrottlingException", 400, message))
                .build();
    }

    /** An internal Step Functions failure: 500, retryable. */
    public static SfnException serviceError() {
        String message = "Internal service error";
        return (SfnException) SfnException.builder()
                .message(message)
                .statusCode(500)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InternalFailure", 500, message))
                .build();
    }

    static InvalidOutputException invalidOutput(String message) {
        return InvalidOutputException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InvalidOutput", 400, message))
                .build();
    }

    static ValidationException validation(String message) {
        return ValidationException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ValidationException", 400, message))
                .build();
    }
}
