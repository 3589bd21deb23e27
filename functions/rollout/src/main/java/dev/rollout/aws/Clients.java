package dev.rollout.aws;

import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;

/** SDK clients for handlers running in Lambda: region and credentials from the environment. */
public final class Clients {
    private Clients() {
    }

    public static LambdaClient lambda() {
        return LambdaClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    /**
     * With the Apache HTTP client: API Gateway updates stages with HTTP PATCH, which the url-connection client cannot
     * send (aws/aws-sdk-java-v2#3046).
     */
    public static ApiGatewayClient apiGateway() {
        return ApiGatewayClient.builder().httpClient(ApacheHttpClient.create()).build();
    }

    public static CloudWatchClient cloudWatch() {
        return CloudWatchClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static SnsClient sns() {
        return SnsClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static DynamoDbClient dynamoDb() {
        return DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    public static SfnClient sfn() {
        return SfnClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** The adapters of every kind of rollout target. */
    public static Targets targets() {
        return new Targets(lambda(), Clients::apiGateway);
    }

    /** A required environment variable, set by template.yaml. */
    public static String environment(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set; see template.yaml");
        }
        return value;
    }
}
