package dev.rollout.local;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.rollout.handlers.FormUrlEncoding;

/**
 * Serves the approval page on 127.0.0.1 the way the approval API serves it in AWS: the same handler, invoked with
 * the {@link APIGatewayProxyRequestEvent} API Gateway's proxy integration would build, its response written back
 * as HTTP. Only the API's routes, {@code GET|HEAD|POST /approvals/{reference}} and, when given the control page,
 * {@code GET|HEAD|POST /controls/{reference}}, reach a handler; anything else gets API Gateway's answer for an
 * unknown route.
 *
 * <p>Give {@link #baseUrl()} to RequestApproval as its approval URL so the e-mailed links lead here.
 */
public final class ApprovalServer implements AutoCloseable {
    private static final Pattern ROUTE = Pattern.compile("/(approvals|controls)/([^/]+)");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST");
    private static final String STAGE = "local";
    private static final int THREADS = 4;

    private final HttpServer server;
    private final ExecutorService threads;
    private final RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> page;
    private final Optional<RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> controls;
    private final LambdaLogger logger;

    private ApprovalServer(HttpServer server,
                           RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> page,
                           Optional<RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>> controls,
                           LambdaLogger logger) {
        this.server = server;
        this.page = page;
        this.controls = controls;
        this.logger = logger;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "approval-server-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/", this::serve);
    }

    /**
     * Starts serving {@code page} on 127.0.0.1.
     *
     * @param port the port, or 0 for any free one
     * @param logger where the handler's log lines go
     */
    public static ApprovalServer start(RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> page,
                                       int port, LambdaLogger logger) throws IOException {
        return start(page, Optional.empty(), port, logger);
    }

    /**
     * Starts serving {@code page} and, on {@code /controls/{reference}}, the control page (abort, promote now), as the
     * approval API serves both.
     */
    public static ApprovalServer start(RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> page,
                                       Optional<RequestHandler<APIGatewayProxyRequestEvent,
                                               APIGatewayProxyResponseEvent>> controls,
                                       int port, LambdaLogger logger) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        ApprovalServer approvals = new ApprovalServer(server, page, controls, logger);
        server.start();
        return approvals;
    }

    /** Where the approval API's routes are, e.g. {@code http://127.0.0.1:41234}: the approval URL. */
    public String baseUrl() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            Matcher route = ROUTE.matcher(path);
            boolean control = route.matches() && route.group(1).equals("controls");
            if (!route.matches() || !METHODS.contains(method) || (control && controls.isEmpty())) {
                // What API Gateway answers for a route or method the REST API does not define.
                Headers json = new Headers();
                json.set("Content-Type", "application/json");
                respond(exchange, method, 403, json, "{\"message\":\"Missing Authentication Token\"}");
                return;
            }
            String resource = "/" + route.group(1) + "/{reference}";
            APIGatewayProxyResponseEvent response = (control ? controls.get() : page).handleRequest(
                    event(exchange, method, path, resource, route.group(2)),
                    new LocalContext(control ? "ControlPage" : "ApprovalPage", logger));
            Headers headers = new Headers();
            if (response.getMultiValueHeaders() != null) {
                response.getMultiValueHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            }
            if (response.getHeaders() != null) {
                // API Gateway merges both; a single-valued header replaces multi-valued ones of the same name.
                response.getHeaders().forEach(headers::set);
            }
            respond(exchange, method, response.getStatusCode(), headers,
                    response.getBody() == null ? "" : response.getBody());
        }
    }

    private static APIGatewayProxyRequestEvent event(HttpExchange exchange, String method, String path,
                                                     String resource, String reference) throws IOException {
        Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            headers.put(name, values.get(0));
            multiHeaders.put(name, List.copyOf(values));
        });
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod(method)
                .withResource(resource)
                .withPath(path)
                .withPathParameters(Map.of("reference", reference))
                .withQueryStringParameters(query.isEmpty() ? null : first(query))
                .withMultiValueQueryStringParameters(query.isEmpty() ? null : query)
                .withHeaders(headers)
                .withMultiValueHeaders(multiHeaders)
                // API Gateway passes text bodies as they are unless the API declares binary media types.
                .withBody(body.isEmpty() ? null : body)
                .withIsBase64Encoded(false)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                        .withHttpMethod(method)
                        .withPath("/" + STAGE + path)
                        .withResourcePath(resource)
                        .withStage(STAGE)
                        .withRequestId(UUID.randomUUID().toString()));
    }

    /** Query parameters as API Gateway decodes them, in order, every value kept. */
    private static Map<String, List<String>> query(String raw) {
        return FormUrlEncoding.decodeLeniently(raw);
    }

    private static Map<String, String> first(Map<String, List<String>> parameters) {
        Map<String, String> first = new LinkedHashMap<>();
        parameters.forEach((name, values) -> first.put(name, values.get(0)));
        return first;
    }

    private static void respond(HttpExchange exchange, String method, int status, Headers headers, String body)
            throws IOException {
        exchange.getResponseHeaders().putAll(headers);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean noBody = method.equals("HEAD") || bytes.length == 0;
        exchange.sendResponseHeaders(status, noBody ? -1 : bytes.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
