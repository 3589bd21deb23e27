package dev.rollout.domain;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the durations people write in rollout inputs: {@code 90}, {@code "90s"}, {@code "10m"}, {@code "1h30m"}, {@code "2d"}. */
public final class Durations {
    /** A Standard Step Functions execution lives at most one year, so no wait may be longer. */
    public static final Duration STEP_FUNCTIONS_MAX = Duration.ofDays(365);
    /** The rollout state machine's own TimeoutSeconds: an execution ends by then, and Restore makes the alias whole. */
    public static final Duration EXECUTION_TIMEOUT = STEP_FUNCTIONS_MAX;
    /**
     * The longest a plan's waits (bakes and approval timeouts) may add up to: a day less than the execution may run,
     * which leaves room for the tasks, their retries and a rollback, so a valid plan never meets the time-out.
     */
    public static final Duration PLAN_BUDGET = EXECUTION_TIMEOUT.minusDays(1);

    /** Where parsed durations saturate: far beyond any limit, far below where arithmetic on seconds overflows. */
    public static final Duration TOO_LONG = Duration.ofDays(1_000_000);

    private static final Pattern WHOLE = Pattern.compile("(\\d+[dhms])+");
    private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

    private Durations() {
    }

    /**
     * Parses Go-style duration text; empty when the text is not one. Amounts too large for any rollout saturate at
     * {@link #TOO_LONG} rather than overflow, so the caller's range check names the field instead of the arithmetic
     * failing.
     */
    public static Optional<Duration> parse(String text) {
        String trimmed = text.trim();
        if (trimmed.matches("\\d+")) {
            return Optional.of(Duration.ofSeconds(amount(trimmed, 1)));
        }
        if (!WHOLE.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        long total = 0;
        Matcher part = PART.matcher(trimmed);
        while (part.find()) {
            long unit = switch (part.group(2)) {
                case "d" -> 86_400;
                case "h" -> 3_600;
                case "m" -> 60;
                default -> 1;
            };
            total = Math.min(TOO_LONG.getSeconds(), total + amount(part.group(1), unit));
        }
        return Optional.of(Duration.ofSeconds(total));
    }

    /** {@code digits} times {@code unit} seconds, at most {@link #TOO_LONG}. */
    private static long amount(String digits, long unit) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        long limit = TOO_LONG.getSeconds() / unit;
        if (significant.length() > 18 || Long.parseLong(significant) > limit) {
            return TOO_LONG.getSeconds();
        }
        return Long.parseLong(significant) * unit;
    }

    /** Short human form for messages: {@code 5m}, {@code 1h30m}, {@code 45s}. */
    public static String format(Duration duration) {
        long seconds = duration.getSeconds();
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder text = new StringBuilder();
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3_600;
        long minutes = seconds % 3_600 / 60;
        long rest = seconds % 60;
        if (days > 0) text.append(days).append('d');
        if (hours > 0) text.append(hours).append('h');
        if (minutes > 0) text.append(minutes).append('m');
        if (rest > 0) text.append(rest).append('s');
        return text.toString();
    }
}
