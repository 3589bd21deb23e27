package rollout.local.aws;

import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * Step Functions errors built the way the SDK unmarshalls them. Step Functions answers every client error with
 * status 400 and tells them apart by error code. The public factories are the faults tests usually inject.
 */
public final class SfnErrors {

    private static final String SERVICE = "Sfn";

    private SfnErrors() {
    }

    /** What Step Functions answers when the request rate is exceeded: 400 {@code ThrottlingException}, retryable. */
    public static SfnException throttled() {
        String message = "Rate exceeded";
        return (SfnException) SfnException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ThrottlingException", 400, message))
                .build();
    }

    static ExecutionAlreadyExistsException executionAlreadyExists(String executionArn) {
        String message = "Execution Already Exists: '" + executionArn + "'";
        return ExecutionAlreadyExistsException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ExecutionAlreadyExists", 400, message))
                .build();
    }

    static InvalidNameException invalidName(String name) {
        String message = "Invalid Name: '" + name + "'";
        return InvalidNameException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InvalidName", 400, message))
                .build();
    }

    static InvalidArnException invalidArn(String arn) {
        String message = "Invalid Arn: 'Resource type not valid in this context: " + arn + "'";
        return InvalidArnException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InvalidArn", 400, message))
                .build();
    }

    static StateMachineDoesNotExistException stateMachineDoesNotExist(String arn) {
        String message = "State Machine Does Not Exist: '" + arn + "'";
        return StateMachineDoesNotExistException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "StateMachineDoesNotExist", 400, message))
                .build();
    }

    static InvalidExecutionInputException invalidInput(String problem) {
        String message = "Invalid State Machine Execution Input: '" + problem + "'";
        return InvalidExecutionInputException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InvalidExecutionInput", 400, message))
                .build();
    }

    /** Request-model constraint violations, such as an input longer than the model allows. */
    static ValidationException validation(String field, String constraint) {
        String message = "1 validation error detected: Value at '" + field + "' failed to satisfy constraint: "
                + constraint;
        return ValidationException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ValidationException", 400, message))
                .build();
    }
}
