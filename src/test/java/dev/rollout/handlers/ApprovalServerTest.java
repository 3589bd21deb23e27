package dev.rollout.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import dev.rollout.local.ApprovalServer;
import dev.rollout.local.aws.TaskAnswer;

/** The approval page over real HTTP on 127.0.0.1, routed as the approval API routes it. */
class ApprovalServerTest {
    private final ApprovalWorld approvals = new ApprovalWorld();
    private final ApprovalServer server = ApprovalServer.start(approvals.page, 0, approvals.log);
    private final String token = approvals.awaitApproval(server.baseUrl());
    private final HttpClient http = HttpClient.newHttpClient();

    ApprovalServerTest() throws IOException {
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesOnLoopbackTheLinksTheEmailCarries() throws Exception {
        assertTrue(server.baseUrl().matches("http://127\\.0\\.0\\.1:\\d+"), server.baseUrl());
        assertTrue(approvals.link("Approve").startsWith(server.baseUrl() + "/approvals/"));

        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(approvals.link("Reject"))));

        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("Content-Type").orElse(""));
        assertTrue(page.body().contains("You followed the <strong>Reject</strong> link"), page.body());
    }

    @Test
    void headAnswersWithHeadersOnly() throws Exception {
        HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(approvals.link("Approve")))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals("no-store", head.headers().firstValue("Cache-Control").orElse(""));
    }

    @Test
    void theFormPostDecides() throws Exception {
        String page = approvals.link("Approve").replaceFirst("\\?.*$", "");

        HttpResponse<String> decided = send(HttpRequest.newBuilder(URI.create(page))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=Ana+Lima&comment=all+green%21&action=approve")));

        assertEquals(200, decided.statusCode());
        TaskAnswer.Success success = (TaskAnswer.Success) approvals.sfn.answer(token).orElseThrow();
        assertEquals("Ana Lima", success.output().path("by").asText());
        assertEquals("all green!", success.output().path("comment").asText());
    }

    @Test
    void routesTheApiDoesNotDefineGetApiGatewaysAnswer() throws Exception {
        HttpResponse<String> other = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/approvals")));
        HttpResponse<String> delete = send(HttpRequest.newBuilder(URI.create(approvals.link("Approve"))).DELETE());

        for (HttpResponse<String> response : List.of(other, delete)) {
            assertEquals(403, response.statusCode());
            assertEquals("{\"message\":\"Missing Authentication Token\"}", response.body());
        }
        assertTrue(approvals.tokens.isWaiting(token));
    }
}
