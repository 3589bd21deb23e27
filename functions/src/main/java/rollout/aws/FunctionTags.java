package rollout.aws;

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
        try {
            // ListTags takes only an ARN; GetFunctionConfiguration turns a name into one.
            String arn = FUNCTION_ARN.matcher(function).matches() ? function
                    : lambda.getFunctionConfiguration(request -> request.functionName(function)).functionArn();
            return Map.copyOf(lambda.listTags(request -> request.resource(arn)).tags());
        } catch (ResourceNotFoundException missing) {
            return Map.of();
        } catch (SdkException error) {
            throw AwsErrors.translate("ListTags " + function, error);
        }
    }
}
