package dev.rollout.aws;

import java.util.Map;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/** Reads a Lambda function's tags, where its rollout settings live. */
public final class FunctionTags {
    private static final Pattern FUNCTION_ARN =
            Pattern.compile("arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[^:]+");

    private final LambdaClient lambda;

    public FunctionTags(LambdaClient lambda) {
        this.lambda = lambda;
    }

    /**
     * The tags of {@code function}, a name or an unqualified ARN; empty when the function does not exist (the
     * caller reports that in its own words).
     */
    public Map<String, String> of(String function) {
        String arn;
        if (FUNCTION_ARN.matcher(function).matches()) {
            arn = function;
        } else {
            // ListTags takes only an ARN; GetFunctionConfiguration turns a name into one.
            try {
                arn = lambda.getFunctionConfiguration(request -> request.functionName(function)).functionArn();
            } catch (ResourceNotFoundException missing) {
                return Map.of();
            } catch (SdkException error) {
                throw AwsErrors.translate("GetFunctionConfiguration " + function, error);
            }
        }
        try {
            return Map.copyOf(lambda.listTags(request -> request.resource(arn)).tags());
        } catch (ResourceNotFoundException missing) {
            return Map.of();
        } catch (SdkException error) {
            throw AwsErrors.translate("ListTags " + arn, error);
        }
    }
}
