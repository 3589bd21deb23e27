package dev.rollout.protocol;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.rollout.handlers.FormUrlEncoding;

/**
 * Stands in front of moto's CloudWatch to answer the one call moto lacks, DescribeAlarmHistory
 * (moto 5.2.1 raises NotImplementedError, an HTTP 500), with AWS's documented awsQuery XML built from
 * {@link #record recorded} state changes. Every other CloudWatch call goes on to moto unchanged, so
 * DescribeAlarms still reports what SetAlarmState did there.
 *
 * <p>It answers as the CloudWatch API reference describes: newest first, {@code StartDate} and
 * {@code EndDate} inclusive, filtered by {@code AlarmName} and {@code HistoryItemType}, only metric
 * alarms unless {@code AlarmTypes} asks for composite ones, and {@link #pageSize} items a page with a
 * {@code NextToken}, or with CloudWatch's InternalFailure once told to fail. The requests it answered are kept
 * for assertions.
 */
final class AlarmHistoryFront implements AutoCloseable {
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect",
            "upgrade", "transfer-encoding");

    private final URI moto;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Item> items = new CopyOnWriteArrayList<>();
    private final List<Map<String, String>> historyRequests = new CopyOnWriteArrayList<>();
    private volatile int pageSize = 100;
    private volatile String failure;

    /** One AlarmHistoryItem of type StateUpdate. */
    record Item(String alarm, String alarmType, Instant at, String from, String to, String reason) {
    }

    AlarmHistoryFront(URI moto) throws IOException {
        this.moto = moto;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void record(String alarm, String alarmType, Instant at, String from, String to, String reason) {
        items.add(new Item(alarm, alarmType, at, from, to, reason));
    }

    void pageSize(int size) {
        this.pageSize = size;
    }

    /** From now on, answers every DescribeAlarmHistory with CloudWatch's HTTP 500 InternalFailure. */
    void failHistoryRequests(String message) {
        this.failure = message;
    }

    /** The form parameters of each DescribeAlarmHistory request, in the order they came. */
    List<Map<String, String>> historyRequests() {
        return List.copyOf(historyRequests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
            if ("DescribeAlarmHistory".equals(form.get("Action"))) {
                historyRequests.add(form);
                String failing = failure;
                if (failing != null) {
                    respond(exchange, 500, "text/xml", internalFailure(failing).getBytes(StandardCharsets.UTF_8));
                } else {
                    respond(exchange, 200, "text/xml", history(form).getBytes(StandardCharsets.UTF_8));
                }
            } else {
                forward(exchange, body);
            }
        } catch (RuntimeException | InterruptedException failure) {
            respond(exchange, 500, "text/plain", failure.toString().getBytes(StandardCharsets.UTF_8));
        } finally {
            exchange.close();
        }
    }

    private String history(Map<String, String> form) {
        Set<String> types = new HashSet<>();
        form.forEach((name, value) -> {
            if (name.startsWith("AlarmTypes.member.")) {
                types.add(value);
            }
        });
        if (types.isEmpty()) {
            types.add("MetricAlarm"); // "If you omit this parameter, only metric alarms are returned."
        }
        String kind = form.get("HistoryItemType");
        Instant start = form.containsKey("StartDate") ? Instant.parse(form.get("StartDate")) : Instant.MIN;
        Instant end = form.containsKey("EndDate") ? Instant.parse(form.get("EndDate")) : Instant.MAX;
        List<Item> matching = items.stream()
                .filter(item -> !form.containsKey("AlarmName") || item.alarm().equals(form.get("AlarmName")))
                .filter(item -> types.contains(item.alarmType()))
                .filter(item -> kind == null || kind.equals("StateUpdate"))
                .filter(item -> !item.at().isBefore(start) && !item.at().isAfter(end))
                .sorted(Comparator.comparing(Item::at).reversed())
                .toList();
        int from = Integer.parseInt(form.getOrDefault("NextToken", "0"));
        int to = Math.min(matching.size(), from + pageSize);
        StringBuilder xml = new StringBuilder()
                .append("<DescribeAlarmHistoryResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">")
                .append("<DescribeAlarmHistoryResult><AlarmHistoryItems>");
        for (Item item : matching.subList(from, to)) {
            String data = "{\"version\":\"1.0\",\"oldState\":{\"stateValue\":\"" + item.from()
                    + "\",\"stateReason\":\"before\"},\"newState\":{\"stateValue\":\"" + item.to()
                    + "\",\"stateReason\":\"" + item.reason().replace("\"", "\\\"") + "\"}}";
            xml.append("<member>")
                    .append("<AlarmName>").append(escape(item.alarm())).append("</AlarmName>")
                    .append("<AlarmType>").append(item.alarmType()).append("</AlarmType>")
                    .append("<Timestamp>").append(item.at()).append("</Timestamp>")
                    .append("<HistoryItemType>StateUpdate</HistoryItemType>")
                    .append("<HistorySummary>Alarm updated from ").append(item.from()).append(" to ").append(item.to())
                    .append("</HistorySummary>")
                    .append("<HistoryData>").append(escape(data)).append("</HistoryData>")
                    .append("</member>");
        }
        xml.append("</AlarmHistoryItems>");
        if (to < matching.size()) {
            xml.append("<NextToken>").append(to).append("</NextToken>");
        }
        return xml.append("</DescribeAlarmHistoryResult><ResponseMetadata><RequestId>").append(UUID.randomUUID())
                .append("</RequestId></ResponseMetadata></DescribeAlarmHistoryResponse>").toString();
    }

    /** The awsQuery error document of CloudWatch's common error InternalFailure (HTTP 500). */
    private static String internalFailure(String message) {
        return "<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><Error><Type>Receiver</Type>"
                + "<Code>InternalFailure</Code><Message>" + escape(message) + "</Message></Error><RequestId>"
                + UUID.randomUUID() + "</RequestId></ErrorResponse>";
    }

    private void forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(moto.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(10))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        respond(exchange, answer.statusCode(), answer.headers().firstValue("content-type").orElse("text/xml"),
                answer.body());
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The query protocol's form; a name sent twice keeps its last value. */
    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        FormUrlEncoding.decode(body).forEach((name, values) -> form.put(name, values.get(values.size() - 1)));
        return form;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
