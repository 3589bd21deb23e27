package dev.rollout.serving;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The serving app behind API Gateway: answers with the function version that handled the request, so
 * anyone calling the live endpoint during a rollout sees traffic move from one version to the next.
 */
public final class Greeter implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String region;

    /** Used by the Lambda runtime. */
    public Greeter() {
        this(System.getenv("AWS_REGION"));
    }

    Greeter(String region) {
        this.region = region;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("message", "Hello from lambda-rollout");
        body.put("functionVersion", context.getFunctionVersion());
        body.put("region", region);
        String alias = aliasOf(context.getInvokedFunctionArn());
        if (alias != null) {
            body.put("alias", alias);
        }
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(200)
                // no-store: every request must reach Lambda, or a cache would hide the traffic split.
                .withHeaders(Map.of("Content-Type", "application/json", "Cache-Control", "no-store"))
                .withBody(toJson(body));
    }

    /**
     * The alias in a qualified invoked ARN ({@code arn:aws:lambda:eu-west-1:123456789012:function:greeter:live}),
     * or null when the function was invoked unqualified, as $LATEST or as a version number.
     */
    static String aliasOf(String invokedFunctionArn) {
        if (invokedFunctionArn == null) {
            return null;
        }
        String[] parts = invokedFunctionArn.split(":");
        if (parts.length != 8) {
            return null;
        }
        String qualifier = parts[7];
        boolean isVersion = qualifier.equals("$LATEST") || qualifier.chars().allMatch(Character::isDigit);
        return isVersion ? null : qualifier;
    }

    private static String toJson(Map<String, String> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
