package dev.rollout.aws;

import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** Reads a Lambda function's tags, where its rollout settings live. */
public final class FunctionTags {
    private final LambdaClient lambda;

    public FunctionTags(LambdaClient lambda) {
        this.lambda = lambda;
    }

    /**
     * The tags of {@code function}, a name or an unqualified ARN; empty when the function does not exist (the
     * caller reports that in its own words).
     */
    public Map<String, String> of(String function) {
        // GetFunction returns the tags (given lambda:ListTags) and draws on its own quota of 100 calls a second,
        // where GetFunctionConfiguration and ListTags would take two of the 15 a second all other control-plane
        // calls share, UpdateAlias included.
        try {
            return Map.copyOf(lambda.getFunction(request -> request.functionName(function)).tags());
        } catch (ResourceNotFoundException missing) {
            return Map.of();
        } catch (SdkException error) {
            throw AwsErrors.translate("GetFunction " + function, error);
        }
    }
}
