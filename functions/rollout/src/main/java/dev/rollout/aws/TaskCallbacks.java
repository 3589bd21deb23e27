package dev.rollout.aws;

import dev.rollout.domain.TaskToken;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * Answers Step Functions tasks that wait for a task token. The token appears in no exception thrown from here,
 * not even as the cause's message, so whatever logs them cannot leak it.
 */
public final class TaskCallbacks {
    private final SfnClient sfn;

    public TaskCallbacks(SfnClient sfn) {
        this.sfn = sfn;
    }

    /**
     * The waiting task succeeds with {@code output} (JSON) as its result.
     *
     * @throws TaskClosed when Step Functions no longer waits for the token
     */
    public void succeed(TaskToken token, String output) {
        try {
            sfn.sendTaskSuccess(request -> request.taskToken(token.value()).output(output));
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException closed) {
            throw closed("SendTaskSuccess", closed);
        } catch (SdkException failed) {
            throw AwsErrors.translateHiding("SendTaskSuccess", failed, token.value());
        }
    }

    /**
     * The waiting task fails with {@code error} and {@code cause}; the state machine's Catch decides what follows.
     *
     * @throws TaskClosed when Step Functions no longer waits for the token
     */
    public void fail(TaskToken token, String error, String cause) {
        try {
            sfn.sendTaskFailure(request -> request.taskToken(token.value()).error(error).cause(cause));
        } catch (TaskTimedOutException | TaskDoesNotExistException | InvalidTokenException closed) {
            throw closed("SendTaskFailure", closed);
        } catch (SdkException failed) {
            throw AwsErrors.translateHiding("SendTaskFailure", failed, token.value());
        }
    }

    /** Named by the error code alone: the service's message is not needed to know the task is closed. */
    private static TaskClosed closed(String action, SdkException error) {
        String code = error instanceof AwsServiceException service && service.awsErrorDetails() != null
                ? service.awsErrorDetails().errorCode()
                : error.getClass().getSimpleName();
        return new TaskClosed(action + " was refused with " + code + ": Step Functions no longer waits for this task");
    }
}
