package dev.rollout.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GreeterTest {

    private static final String FUNCTION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:greeter";

    private final Greeter greeter = new Greeter("eu-west-1");

    @Test
    void answersWithTheVersionRegionAndAliasThatServedTheRequest() throws Exception {
        APIGatewayProxyResponseEvent response =
                greeter.handleRequest(new APIGatewayProxyRequestEvent(), new FakeContext("7", FUNCTION_ARN + ":live"));

        assertEquals(200, response.getStatusCode());
        assertEquals("application/json", response.getHeaders().get("Content-Type"));
        JsonNode body = new ObjectMapper().readTree(response.getBody());
        assertFalse(body.path("message").asText().isBlank());
        assertEquals("7", body.path("functionVersion").asText());
        assertEquals("eu-west-1", body.path("region").asText());
        assertEquals("live", body.path("alias").asText());
    }

    @Test
    void leavesTheAliasOutWhenInvokedWithoutOne() throws Exception {
        APIGatewayProxyResponseEvent response =
                greeter.handleRequest(new APIGatewayProxyRequestEvent(), new FakeContext("$LATEST", FUNCTION_ARN));

        JsonNode body = new ObjectMapper().readTree(response.getBody());
        assertEquals("$LATEST", body.path("functionVersion").asText());
        assertFalse(body.has("alias"), body.toString());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        FUNCTION_ARN + ":live, live",
        FUNCTION_ARN + ":candidate, candidate",
        FUNCTION_ARN + ":12, none",
        FUNCTION_ARN + ":$LATEST, none",
        FUNCTION_ARN + ", none",
    })
    void findsTheAliasInTheInvokedArn(String invokedArn, String alias) {
        assertEquals(alias, Greeter.aliasOf(invokedArn));
    }

    @Test
    void hasNoAliasWithoutAnInvokedArn() {
        assertNull(Greeter.aliasOf(null));
    }

    /** The Lambda context as far as the Greeter reads it. */
    private record FakeContext(String functionVersion, String invokedFunctionArn) implements Context {
        @Override public String getFunctionVersion() { return functionVersion; }
        @Override public String getInvokedFunctionArn() { return invokedFunctionArn; }
        @Override public String getAwsRequestId() { return "request-1"; }
        @Override public String getLogGroupName() { return "/aws/lambda/greeter"; }
        @Override public String getLogStreamName() { return "stream"; }
        @Override public String getFunctionName() { return "greeter"; }
        @Override public CognitoIdentity getIdentity() { return null; }
        @Override public ClientContext getClientContext() { return null; }
        @Override public int getRemainingTimeInMillis() { return 30_000; }
        @Override public int getMemoryLimitInMB() { return 512; }
        @Override public LambdaLogger getLogger() { return null; }
    }
}
