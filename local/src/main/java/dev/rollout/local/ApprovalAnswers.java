package dev.rollout.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.rollout.handlers.ApprovalPage;
import dev.rollout.handlers.FormUrlEncoding;
import dev.rollout.local.aws.PublishedMessage;

/**
 * Answers each approval request the rollout e-mails as the scenario says, after the scenario's delay, by posting the
 * approval page's own form; without an answer left in the scenario, a person may answer on the served page.
 */
final class ApprovalAnswers {
    /** How many times a person answers a page that asks them to try again (503) before giving up. */
    private static final int PERSISTENCE = 5;
    private static final Pattern APPROVE_LINK = Pattern.compile("(https?://\\S+/approvals/([A-Za-z0-9_-]+))\\?action=approve");

    private final LocalAws aws;
    private final ApprovalPage page;
    private final ProgressReport progress;
    private final Deque<Scenario.Answer> answers;
    private boolean interactive;
    private int seenRequests;

    ApprovalAnswers(Scenario scenario, LocalAws aws, ApprovalPage page, ProgressReport progress) {
        this.aws = aws;
        this.page = page;
        this.progress = progress;
        this.answers = new ArrayDeque<>(scenario.approvals());
    }

    /** Whether a person answers on the served page when the scenario has no answer left. */
    void expectPeopleToAnswer(boolean interactive) {
        this.interactive = interactive;
    }

    /** Plans the scenario's answer to each approval request published since the last call. */
    void answerNewRequests() {
        List<PublishedMessage> requests = aws.sns().outbox(aws.approvalTopicArn());
        for (; seenRequests < requests.size(); seenRequests++) {
            Matcher link = APPROVE_LINK.matcher(requests.get(seenRequests).message());
            if (!link.find()) {
                continue;
            }
            String reference = link.group(2);
            progress.note("Approval", "requested: approve " + link.group(1) + "?action=approve | reject "
                    + link.group(1) + "?action=reject");
            Scenario.Answer answer = answers.poll();
            if (answer == null) {
                progress.note("Approval", interactive
                        ? "waiting for a person: open a link above in a browser"
                        : "no answer in the scenario: it will time out (run with --speed to answer in a browser)");
            } else if (answer.answer().equals("none")) {
                progress.note("Approval", "left unanswered, as the scenario says");
            } else {
                aws.clock().after(answer.after(), () -> decide(reference, answer, 1));
            }
        }
    }

    private void decide(String reference, Scenario.Answer answer, int attempt) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("action", answer.answer());
        fields.put("name", answer.by());
        fields.put("comment", answer.comment());
        APIGatewayProxyResponseEvent response = page.handleRequest(new APIGatewayProxyRequestEvent()
                .withHttpMethod("POST")
                .withPath("/approvals/" + reference)
                .withPathParameters(Map.of("reference", reference))
                .withHeaders(Map.of("Content-Type", "application/x-www-form-urlencoded"))
                .withBody(FormUrlEncoding.encode(fields))
                .withIsBase64Encoded(false), new LocalContext("ApprovalPage", LocalContext.logger(line -> { })));
        if (response.getStatusCode() == 503 && attempt < PERSISTENCE) {
            // "Please try again": a person does, a minute later.
            progress.note("Approval", "the page asked " + answer.by() + " to try again; they do in a minute");
            aws.clock().after(Duration.ofMinutes(1), () -> decide(reference, answer, attempt + 1));
        } else if (response.getStatusCode() != 200) {
            // An answer the page took is reported from the history, as a person's answer is.
            progress.note("Approval", "the page refused to " + answer.answer() + " for " + answer.by() + ": status "
                    + response.getStatusCode());
        }
    }
}
