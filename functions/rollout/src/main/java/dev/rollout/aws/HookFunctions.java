package dev.rollout.aws;

import dev.rollout.domain.HookAvailability;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Whether a hook function can be invoked, asked before any traffic moves. The stack grants its roles access only to
 * the functions in its {@code HookFunctionNames} parameter, so access denied means: not among them.
 */
public final class HookFunctions {
    private final LambdaClient lambda;

    public HookFunctions(LambdaClient lambda) {
        this.lambda = lambda;
    }

    /** @param function a name or ARN, optionally qualified with a version or alias */
    public HookAvailability check(String function) {
        try {
            lambda.getFunction(request -> request.functionName(function));
            return HookAvailability.READY;
        } catch (ResourceNotFoundException missing) {
            return HookAvailability.MISSING;
        } catch (SdkServiceException error) {
            if (error.statusCode() == 403) {
                return HookAvailability.NOT_ALLOWED;
            }
            throw AwsErrors.translate("GetFunction " + function, error);
        } catch (SdkException error) {
            throw AwsErrors.translate("GetFunction " + function, error);
        }
    }
}
