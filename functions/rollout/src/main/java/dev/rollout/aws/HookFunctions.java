package dev.rollout.aws;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * Whether a hook function can be invoked, asked before any traffic moves. The stack grants its roles access only to
 * the functions in its {@code HookFunctionNames} parameter, so access denied means: not among them.
 */
public final class HookFunctions {
    /** What Prepare learns about a hook function. */
    public enum Availability { READY, MISSING, NOT_ALLOWED }

    private final LambdaClient lambda;

    public HookFunctions(LambdaClient lambda) {
        this.lambda = lambda;
    }

    /** @param function a name or ARN, optionally qualified with a version or alias */
    public Availability check(String function) {
        try {
            lambda.getFunctionConfiguration(request -> request.functionName(function));
            return Availability.READY;
        } catch (ResourceNotFoundException missing) {
            return Availability.MISSING;
        } catch (SdkServiceException error) {
            if (error.statusCode() == 403) {
                return Availability.NOT_ALLOWED;
            }
            throw AwsErrors.translate("GetFunctionConfiguration " + function, error);
        } catch (SdkException error) {
            throw AwsErrors.translate("GetFunctionConfiguration " + function, error);
        }
    }
}
