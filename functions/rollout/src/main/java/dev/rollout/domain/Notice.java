package dev.rollout.domain;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What people read about a rollout: an e-mail subject and body, plus attributes subscribers can
 * filter on. Built from facts only, so it is the same locally and in AWS.
 *
 * @param attributes {@code phase} and the target's facts ({@code function} and {@code alias} for a Lambda alias),
 *                   for SNS subscription filters
 */
public record Notice(String subject, String body, Map<String, String> attributes) {
    /** SNS refuses subjects longer than 100 characters. */
    static final int MAX_SUBJECT = 100;

    /**
     * @param target     what the rollout moves traffic on
     * @param from       the starting side, or null when the rollout was refused before it was known
     * @param reason     why the rollout ended this way (an error message, an approval), may be empty
     * @param consoleUrl where the execution can be inspected
     */
    public static Notice of(Phase phase, Target target, String from, String to, String strategy,
                            String reason, String error, String consoleUrl) {
        String unit = target.unit();
        String versions = from == null ? unit + " " + to : from + " -> " + to;
        String subject = "Rollout " + phase.words() + ": " + target.title() + " " + versions;
        if (subject.length() > MAX_SUBJECT) {
            subject = subject.substring(0, MAX_SUBJECT - 3) + "...";
        }
        StringBuilder body = new StringBuilder()
                .append("The rollout of ").append(target.phrase()).append(' ')
                .append(phase.words()).append(".\n\n");
        appendFacts(body, target);
        body.append("From:      ").append(from == null ? "(not determined)" : unit + " " + from).append('\n')
                .append("To:        ").append(unit).append(' ').append(to).append('\n');
        if (strategy != null && !strategy.isEmpty()) {
            body.append("Strategy:  ").append(strategy).append('\n');
        }
        if (error != null && !error.isEmpty()) {
            body.append("Error:     ").append(error).append('\n');
        }
        if (reason != null && !reason.isEmpty()) {
            body.append("Reason:    ").append(reason).append('\n');
        }
        body.append("Execution: ").append(consoleUrl).append('\n');
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("phase", phase.name());
        attributes.putAll(attributes(target));
        return new Notice(subject, body.toString(), attributes);
    }

    /** One aligned line per fact of the target, e.g. {@code Function:  orders}. */
    static void appendFacts(StringBuilder body, Target target) {
        target.facts().forEach((name, value) -> body.append(String.format("%-11s", name + ":")).append(value)
                .append('\n'));
    }

    /** The target's facts as SNS message attributes: {@code function}, {@code alias}, ... */
    static Map<String, String> attributes(Target target) {
        Map<String, String> attributes = new LinkedHashMap<>();
        target.facts().forEach((name, value) -> attributes.put(name.toLowerCase(Locale.ROOT), value));
        return attributes;
    }

    /**
     * This notice with the rollout's control links: abort and promote now. Opening one decides nothing; its page asks
     * who and why, and only its button decides.
     */
    public Notice withControls(String abortUrl, String promoteUrl) {
        return new Notice(subject, body + "\nEnd it early (the page asks who you are and why; only its button decides):\n"
                + "Abort, roll back now:       " + abortUrl + "\n"
                + "Promote now, skip the rest: " + promoteUrl + "\n", attributes);
    }

    /** This notice saying why it carries no control links. */
    public Notice withoutControls(String why) {
        return new Notice(subject, body + "\nControls:  unavailable (" + why + "); bin/control ends the rollout early.\n",
                attributes);
    }

    /** The Step Functions console page of an execution, in the execution's own region. */
    public static String consoleUrl(String executionArn) {
        String[] parts = executionArn.split(":");
        String region = parts.length > 3 ? parts[3] : "us-east-1";
        return "https://" + region + ".console.aws.amazon.com/states/home?region=" + region
                + "#/v2/executions/details/" + executionArn;
    }
}
