package dev.rollout.local.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.rollout.ProjectRoot;
import dev.rollout.handlers.Json;
import dev.rollout.local.Scenario;
import dev.rollout.local.Simulation;
import dev.rollout.local.time.VirtualClock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/**
 * The report of a real execution, read with the SDK: a recorded history served over HTTP in the Step Functions
 * wire format (awsJson 1.0, several pages), the alias and the metrics from the in-memory AWS the rollout ran on.
 * It must be the very report the simulation wrote from the same run.
 */
class ExecutionReportTest {

    private static final int PAGE = 17;

    @Test
    void aRecordedHistoryReadThroughTheSDKGivesTheSameReportAsTheSimulation() throws Exception {
        JsonNode scenario = Json.MAPPER.readTree(ProjectRoot.resolve("events/scenarios/approval-approved.json").toFile());
        Simulation simulation = new Simulation(ProjectRoot.path(), Scenario.read(scenario),
                new VirtualClock(Simulation.START), null, line -> { });
        Simulation.Result result = simulation.run();
        Instant now = simulation.aws().clock().instant();
        JsonNode recorded = Json.MAPPER.valueToTree(Map.of("events", result.execution().history()));
        String arn = result.execution().executionArn();
        AtomicInteger pagesServed = new AtomicInteger();

        HttpServer server = replaying(arn, (ArrayNode) recorded.get("events"), pagesServed);
        try (SfnClient stepFunctions = client(server)) {
            RolloutReport fromAws = new ExecutionReport(stepFunctions, simulation.aws().lambda(),
                    simulation.aws().cloudWatch()).read(arn, now);
            RolloutReport simulated = SimulationReport.of(result.execution(), simulation.aws().lambda(),
                    simulation.aws().cloudWatch(), now);

            assertEquals(simulated, fromAws);
            assertEquals(ReportPage.render(simulated), ReportPage.render(fromAws));
            assertEquals((recorded.get("events").size() + PAGE - 1) / PAGE, pagesServed.get(), "every page was read");
            assertEquals("version 2 100%", fromAws.aliasNow());
            assertTrue(fromAws.timeline().marks().stream().anyMatch(mark -> mark.kind() == RolloutReport.Kind.APPROVED
                    && mark.reason().equals("dashboards look fine")), fromAws.timeline().marks()::toString);

            assertThrows(ExecutionDoesNotExistException.class, () -> new ExecutionReport(stepFunctions,
                    simulation.aws().lambda(), simulation.aws().cloudWatch()).read(arn + "-other", now));
        } finally {
            server.stop(0);
        }
    }

    /** GetExecutionHistory for one execution, {@value #PAGE} events a page, timestamps in epoch seconds as on the wire. */
    private static HttpServer replaying(String arn, ArrayNode events, AtomicInteger pagesServed) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody());
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            if (!"AWSStepFunctions.GetExecutionHistory".equals(target)) {
                respond(exchange, 400, Json.object().put("__type", "UnknownOperationException")
                        .put("message", String.valueOf(target)));
                return;
            }
            if (!request.path("executionArn").asText().equals(arn)) {
                respond(exchange, 400, Json.object().put("__type", "ExecutionDoesNotExist")
                        .put("message", "Execution Does Not Exist: '" + request.path("executionArn").asText() + "'"));
                return;
            }
            int from = request.path("nextToken").asInt(0);
            ArrayNode page = Json.MAPPER.createArrayNode();
            for (int i = from; i < Math.min(events.size(), from + PAGE); i++) {
                ObjectNode event = events.get(i).deepCopy();
                event.put("timestamp", Instant.parse(event.path("timestamp").asText()).toEpochMilli() / 1000.0);
                page.add(event);
            }
            ObjectNode response = Json.object();
            response.set("events", page);
            if (from + PAGE < events.size()) {
                response.put("nextToken", String.valueOf(from + PAGE));
            }
            pagesServed.incrementAndGet();
            respond(exchange, 200, response);
        });
        server.start();
        return server;
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static SfnClient client(HttpServer server) {
        return SfnClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }
}
