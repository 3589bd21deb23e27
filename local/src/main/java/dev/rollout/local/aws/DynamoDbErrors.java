package dev.rollout.local.aws;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/** DynamoDB errors built the way the SDK unmarshalls them. The public factories are the faults tests usually inject. */
public final class DynamoDbErrors {

    private static final String SERVICE = "DynamoDb";

    private DynamoDbErrors() {
    }

    /** What DynamoDB answers when a table's request rate is exceeded: 400, which the SDK counts as throttling. */
    public static ProvisionedThroughputExceededException throttled() {
        String message = "The level of configured provisioned throughput for the table was exceeded."
                + " Consider increasing your provisioning level with the UpdateTable API.";
        return ProvisionedThroughputExceededException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ProvisionedThroughputExceededException", 400, message))
                .build();
    }

    /** An internal DynamoDB failure: 500, retryable. */
    public static InternalServerErrorException internalError() {
        String message = "Internal server error";
        return InternalServerErrorException.builder()
                .message(message)
                .statusCode(500)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "InternalServerError", 500, message))
                .build();
    }

    /** A failed ConditionExpression; {@code item} is the item as it stood when ALL_OLD was asked for, else null. */
    static ConditionalCheckFailedException conditionalCheckFailed(Map<String, AttributeValue> item) {
        String message = "The conditional request failed";
        return ConditionalCheckFailedException.builder()
                .message(message)
                .item(item)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ConditionalCheckFailedException", 400, message))
                .build();
    }

    static ResourceNotFoundException tableNotFound() {
        String message = "Requested resource not found";
        return ResourceNotFoundException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ResourceNotFoundException", 400, message))
                .build();
    }

    /** DynamoDB's catch-all for a malformed request, which the SDK has no class for. */
    static DynamoDbException validation(String message) {
        return (DynamoDbException) DynamoDbException.builder()
                .message(message)
                .statusCode(400)
                .requestId(AwsErrors.requestId())
                .awsErrorDetails(AwsErrors.details(SERVICE, "ValidationException", 400, message))
                .build();
    }
}
