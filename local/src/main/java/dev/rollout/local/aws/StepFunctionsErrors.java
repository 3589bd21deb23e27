package dev.rollout.local.aws;

import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * Step Functions errors built the way the SDK unmarshalls them. Step Functions answers every client error with
 * status 400 and tells them apart by error code. The public factories are what a {@link CallbackTasks} throws for a
 * token it cannot answer, and the faults tests usually inject.
 */
public final class StepFunctionsErrors {

    private static final String SERVICE = "Sfn";

    private StepFunctionsErrors() {
    }

    /** What Step Functions answers when the API request rate is exceeded: 400 {@code ThrottlingException}, retryable. */
    public static SfnException throttled() {
        return error(SfnException.builder(), 400, "ThrottlingException", "Rate exceeded");
    }

    /** An internal Step Functions failure: 500, retryable. */
    public static SfnException serviceError() {
        return error(SfnException.builder(), 500, "InternalFailure", "Internal service error");
    }

    /** The token was never issued, or is malformed. */
    public static InvalidTokenException invalidToken() {
        return clientError(InvalidTokenException.builder(), "InvalidToken", "Invalid Token: 'Invalid token'");
    }

    /** The token's task is closed: it timed out, was answered already, or its execution ended. */
    public static TaskTimedOutException taskTimedOut() {
        return clientError(TaskTimedOutException.builder(), "TaskTimedOut",
                "Task Timed Out: 'Provided task does not exist anymore'");
    }

    /** The task the token stood for does not exist (any more). */
    public static TaskDoesNotExistException taskDoesNotExist() {
        return clientError(TaskDoesNotExistException.builder(), "TaskDoesNotExist",
                "Task Does Not Exist: 'Provided task does not exist'");
    }

    static ExecutionAlreadyExistsException executionAlreadyExists(String executionArn) {
        return clientError(ExecutionAlreadyExistsException.builder(), "ExecutionAlreadyExists",
                "Execution Already Exists: '" + executionArn + "'");
    }

    static ExecutionDoesNotExistException executionDoesNotExist(String executionArn) {
        return clientError(ExecutionDoesNotExistException.builder(), "ExecutionDoesNotExist",
                "Execution Does Not Exist: '" + executionArn + "'");
    }

    static InvalidNameException invalidName(String name) {
        return clientError(InvalidNameException.builder(), "InvalidName", "Invalid Name: '" + name + "'");
    }

    static InvalidArnException invalidArn(String arn) {
        return clientError(InvalidArnException.builder(), "InvalidArn",
                "Invalid Arn: 'Resource type not valid in this context: " + arn + "'");
    }

    static StateMachineDoesNotExistException stateMachineDoesNotExist(String arn) {
        return clientError(StateMachineDoesNotExistException.builder(), "StateMachineDoesNotExist",
                "State Machine Does Not Exist: '" + arn + "'");
    }

    static InvalidExecutionInputException invalidInput(String problem) {
        return clientError(InvalidExecutionInputException.builder(), "InvalidExecutionInput",
                "Invalid State Machine Execution Input: '" + problem + "'");
    }

    static InvalidOutputException invalidOutput(String problem) {
        return clientError(InvalidOutputException.builder(), "InvalidOutput", "Invalid Output: '" + problem + "'");
    }

    /** A request member the model requires was not given. */
    static ValidationException missing(String member) {
        return validation("1 validation error detected: Value null at '" + member
                + "' failed to satisfy constraint: Member must not be null");
    }

    /** A request member longer than the model allows: {@code max} characters, or bytes for input and output. */
    static ValidationException tooLong(String member, int max) {
        return invalid(member, "Member must have length less than or equal to " + max);
    }

    /** A request member that breaks one of the model's constraints. */
    static ValidationException invalid(String member, String constraint) {
        return validation("1 validation error detected: Value at '" + member + "' failed to satisfy constraint: "
                + constraint);
    }

    private static ValidationException validation(String message) {
        return clientError(ValidationException.builder(), "ValidationException", message);
    }

    private static <E extends SfnException> E clientError(SfnException.Builder builder, String errorCode,
                                                          String message) {
        return error(builder, 400, errorCode, message);
    }

    /**
     * Completes {@code builder} as the SDK does when it unmarshalls an error response. The caller passes the builder
     * of the exception type it returns, which is why the cast holds.
     */
    @SuppressWarnings("unchecked")
    private static <E extends SfnException> E error(SfnException.Builder builder, int statusCode, String errorCode,
                                                    String message) {
        return (E) builder
                .message(message)
                .statusCode(statusCode)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, errorCode, statusCode, message))
                .build();
    }
}
