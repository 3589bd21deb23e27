package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.rollout.domain.ApprovalLinks;
import dev.rollout.local.LocalContext;
import dev.rollout.local.aws.InMemoryDynamoDb;
import dev.rollout.local.aws.InMemoryStepFunctions;
import dev.rollout.local.aws.PublishedMessage;
import dev.rollout.local.aws.TaskTokenLedger;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The {@link World} plus what approvals need: the approvals table, task tokens, the approval page, and a
 * rollout from version 1 to 2 that has shifted 10%, baked, and now asks for approval with a one-hour timeout.
 */
final class ApprovalWorld {
    static final String TABLE = "rollout-approvals";
    static final String WATCH_TABLE = "rollout-watches";
    static final String LEASE_TABLE = "rollout-leases";
    static final String CONTROL_TABLE = "rollout-controls";
    static final String NOTICE_TABLE = "rollout-notices";
    static final String APPROVAL_URL = "https://abc123.execute-api.us-east-1.amazonaws.com/v1";
    static final String EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:rollout:orders-live-2";
    private static final Pattern LINK = Pattern.compile("(?m)^(Approve|Reject): +(\\S+)$");

    final World world = new World();
    final InMemoryDynamoDb dynamoDb = new InMemoryDynamoDb();
    final TaskTokenLedger tokens = new TaskTokenLedger();
    /** The execution histories GetExecutionHistory lists; none unless a test records one. */
    final Map<String, List<HistoryEvent>> histories = new HashMap<>();
    final InMemoryStepFunctions sfn = InMemoryStepFunctions.builder(world.clock).callbackTasks(tokens)
            .executionHistories(arn -> Optional.ofNullable(histories.get(arn))).build();
    final RecordingLogger log = new RecordingLogger();
    final ApprovalPage page;
    final JsonNode rollout;
    final String preparedAt;

    ApprovalWorld() {
        dynamoDb.addTable(TABLE, "reference");
        dynamoDb.addTable(WATCH_TABLE, "alarmName");
        dynamoDb.addTable(LEASE_TABLE, "target");
        dynamoDb.addTable(CONTROL_TABLE, "key");
        dynamoDb.addTable(NOTICE_TABLE, "key");
        page = new ApprovalPage(dynamoDb, TABLE, sfn, world.clock);
        ObjectNode request = World.request("Canary10Percent5Minutes");
        request.put("comment", "CHG-1234 faster checkout");
        request.putObject("approval").put("timeout", "1h");
        rollout = new Prepare(world.lambda, world.apiGateway, world.cloudWatch, world.clock).handle(request).get("rollout");
        preparedAt = rollout.path("preparedAt").asText();
    }

    RequestApproval requestApproval(String approvalUrl) {
        return new RequestApproval(dynamoDb, new RequestApproval.Tables(TABLE, WATCH_TABLE, CONTROL_TABLE), sfn,
                world.sns, world.topic, world.cloudWatch, new ApprovalLinks(approvalUrl), world.clock);
    }

    /** What the state machine passes RequestApproval at the approval step, as JSON text. */
    ObjectNode requestInput(String taskToken) {
        ObjectNode input = Json.object();
        input.set("rollout", rollout);
        input.put("stepIndex", 2);
        input.put("healthSince", world.clock.instant().toString());
        input.put("taskToken", taskToken);
        input.put("executionId", EXECUTION);
        input.put("requestedAt", world.clock.instant().toString());
        return input;
    }

    /**
     * Bakes five minutes, then runs RequestApproval through its Lambda entry point, as Step Functions would.
     *
     * @return the task token the rollout now waits on
     */
    String awaitApproval() {
        return awaitApproval(APPROVAL_URL);
    }

    String awaitApproval(String approvalUrl) {
        world.pass(Duration.ofMinutes(5));
        String token = tokens.issue();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            requestApproval(approvalUrl).handleRequest(
                    new ByteArrayInputStream(Json.MAPPER.writeValueAsBytes(requestInput(token))), output,
                    new LocalContext("RequestApproval", log));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return token;
    }

    PublishedMessage email() {
        List<PublishedMessage> outbox = world.sns.outbox(world.topic);
        assertEquals(1, outbox.size(), "expected one approval e-mail, got " + outbox.size());
        return outbox.get(0);
    }

    /** The e-mail's link labelled {@code Approve} or {@code Reject}. */
    String link(String label) {
        Matcher link = LINK.matcher(email().message());
        while (link.find()) {
            if (link.group(1).equals(label)) {
                return link.group(2);
            }
        }
        throw new AssertionError("the approval e-mail has no " + label + " link:\n" + email().message());
    }

    /** The only approval item in the table. */
    Map<String, AttributeValue> item() {
        Map<String, Map<String, AttributeValue>> items = dynamoDb.items(TABLE);
        assertEquals(1, items.size(), "expected one approval item");
        return items.values().iterator().next();
    }

    String status() {
        return item().get("status").s();
    }

    APIGatewayProxyResponseEvent get(String link) {
        return send("GET", link, null);
    }

    APIGatewayProxyResponseEvent head(String link) {
        return send("HEAD", link, null);
    }

    /** Submits the page's form to {@code link}; the link's own query is ignored, as the form posts to the path. */
    APIGatewayProxyResponseEvent post(String link, String action, String name, String comment) {
        return post(page, link, action, name, comment);
    }

    APIGatewayProxyResponseEvent post(ApprovalPage page, String link, String action, String name, String comment) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", name);
        fields.put("comment", comment);
        fields.put("action", action);
        return send(page, "POST", link.replaceFirst("\\?.*$", ""), FormUrlEncoding.encode(fields));
    }

    APIGatewayProxyResponseEvent send(String method, String link, String body) {
        return send(page, method, link, body);
    }

    /** Invokes {@code page} with the event API Gateway's proxy integration builds for a request to {@code link}. */
    APIGatewayProxyResponseEvent send(ApprovalPage page, String method, String link, String body) {
        URI uri = URI.create(link);
        String reference = uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1);
        Map<String, String> query = new LinkedHashMap<>();
        FormUrlEncoding.decode(uri.getRawQuery()).forEach((name, values) -> query.put(name, values.get(0)));
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod(method)
                .withResource("/approvals/{reference}")
                .withPath("/approvals/" + reference)
                .withPathParameters(Map.of("reference", reference))
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withHeaders(body == null ? Map.of() : Map.of("Content-Type", "application/x-www-form-urlencoded"))
                .withBody(body)
                .withIsBase64Encoded(false);
        return page.handleRequest(event, new LocalContext("ApprovalPage", log));
    }
}
