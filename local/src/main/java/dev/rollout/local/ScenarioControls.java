package dev.rollout.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.rollout.handlers.ControlPage;
import dev.rollout.handlers.FormUrlEncoding;
import dev.rollout.local.aws.PublishedMessage;

/**
 * A person's abort or promote-now at the times the scenario gives: the link in the rollout's "started" notice is
 * followed (GET, which decides nothing), then the page's form is posted with the button, a name and a reason, as a
 * browser would.
 */
final class ScenarioControls {
    /** How many times a person presses again when the page asks them to try again (503), as with approvals. */
    private static final int PERSISTENCE = 5;
    private static final Pattern CONTROL_LINK = Pattern.compile("(https?://\\S+/controls/([A-Za-z0-9_-]+))\\?action=");

    private final LocalAws aws;
    private final ControlPage page;
    private final ProgressReport progress;

    private ScenarioControls(LocalAws aws, ControlPage page, ProgressReport progress) {
        this.aws = aws;
        this.page = page;
        this.progress = progress;
    }

    /** Schedules each of the scenario's controls at its time after {@code began}. */
    static void schedule(Scenario scenario, LocalAws aws, ControlPage page, ProgressReport progress, Instant began) {
        ScenarioControls controls = new ScenarioControls(aws, page, progress);
        for (Scenario.ControlAction action : scenario.controls()) {
            aws.clock().schedule(began.plus(action.at()), () -> controls.press(action, 1));
        }
    }

    private void press(Scenario.ControlAction action, int attempt) {
        Optional<String> reference = link();
        if (reference.isEmpty()) {
            progress.note("Control", action.by() + " wanted to " + action.action() + ", but no started notice carries"
                    + " a control link");
            return;
        }
        APIGatewayProxyResponseEvent opened = page.handleRequest(request("GET", reference.get(), null)
                .withQueryStringParameters(Map.of("action", action.action())), context());
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("action", action.action());
        fields.put("name", action.by());
        fields.put("reason", action.reason());
        APIGatewayProxyResponseEvent decided = page.handleRequest(request("POST", reference.get(),
                FormUrlEncoding.encode(fields)), context());
        progress.note("Control", action.by() + " opened the " + action.action() + " link (" + opened.getStatusCode()
                + ") and pressed " + (action.action().equals("abort") ? "Abort" : "Promote now") + ": \""
                + action.reason() + "\" | page answered " + decided.getStatusCode() + " " + title(decided.getBody()));
        if (decided.getStatusCode() == 503 && attempt < PERSISTENCE) {
            // "Please try again": a person does, a minute later.
            progress.note("Control", "the page asked " + action.by() + " to try again; they do in a minute");
            aws.clock().after(Duration.ofMinutes(1), () -> press(action, attempt + 1));
        }
    }

    /** The reference of the control links in the last "started" notice. */
    private Optional<String> link() {
        List<PublishedMessage> notices = aws.sns().outbox(aws.topicArn());
        for (int i = notices.size() - 1; i >= 0; i--) {
            Matcher link = CONTROL_LINK.matcher(notices.get(i).message());
            if (link.find()) {
                return Optional.of(link.group(2));
            }
        }
        return Optional.empty();
    }

    private static APIGatewayProxyRequestEvent request(String method, String reference, String body) {
        APIGatewayProxyRequestEvent request = new APIGatewayProxyRequestEvent()
                .withHttpMethod(method)
                .withPath("/controls/" + reference)
                .withPathParameters(Map.of("reference", reference))
                .withIsBase64Encoded(false);
        return body == null ? request : request
                .withHeaders(Map.of("Content-Type", "application/x-www-form-urlencoded"))
                .withBody(body);
    }

    private static LocalContext context() {
        return new LocalContext("ControlPage", LocalContext.logger(line -> { }));
    }

    /** The page's title, which says what happened: {@code Aborted: orders:live 1 -> 2}. */
    private static String title(String html) {
        Matcher title = Pattern.compile("<title>(.*?)</title>").matcher(html == null ? "" : html);
        return title.find() ? title.group(1).replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&")
                .replace("&quot;", "\"").replace("&#39;", "'") : "";
    }
}
