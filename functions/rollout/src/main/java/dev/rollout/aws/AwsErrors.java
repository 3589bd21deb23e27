package dev.rollout.aws;

import Rollout.DependencyFailed;
import Rollout.Failure;
import Rollout.Throttled;
import Rollout.Transient;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/** Sorts SDK failures into the ones worth retrying and the ones that are not. */
final class AwsErrors {
    private AwsErrors() {
    }

    static Failure translate(String action, SdkException error) {
        if (error instanceof SdkClientException) {
            return new Transient(action + " did not reach AWS: " + error.getMessage(), error);
        }
        if (error instanceof SdkServiceException service && service.isThrottlingException()) {
            return new Throttled(action + " was throttled: " + error.getMessage(), error);
        }
        if (error instanceof SdkServiceException service
                && (service.statusCode() >= 500 || service.statusCode() == 409)) {
            // 409 from Lambda means another update of the function is still in progress.
            return new Transient(action + " failed on AWS's side: " + error.getMessage(), error);
        }
        return new DependencyFailed(action + " failed: " + error.getMessage(), error);
    }

    /**
     * Whether the SDK had sent the request that {@code refusal} answers before (its response never came): a write
     * refused then may have been refused because its own first copy took effect.
     */
    static boolean resent(SdkException refusal) {
        return refusal.numAttempts() != null && refusal.numAttempts() > 1;
    }

    /**
     * As {@link #translate}, for a call whose request holds a secret: AWS validation errors quote the values
     * they refuse, so the secret is cut from the message, and the SDK exception, which keeps it, is dropped.
     */
    static Failure translateHiding(String action, SdkException error, String secret) {
        Failure translated = translate(action, error);
        String message = translated.getMessage().replace(secret, "(hidden)");
        if (translated instanceof Throttled) {
            return new Throttled(message, null);
        }
        return translated instanceof Transient ? new Transient(message, null) : new DependencyFailed(message, null);
    }
}
