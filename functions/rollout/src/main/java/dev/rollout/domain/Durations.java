package dev.rollout.domain;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the durations people write in rollout inputs: {@code 90}, {@code "90s"}, {@code "10m"}, {@code "1h30m"}, {@code "2d"}. */
public final class Durations {
    /** A Standard Step Functions execution lives at most one year, so no wait may be longer. */
    public static final Duration STEP_FUNCTIONS_MAX = Duration.ofDays(365);

    private static final Pattern WHOLE = Pattern.compile("(\\d+[dhms])+");
    private static final Pattern PART = Pattern.compile("(\\d+)([dhms])");

    private Durations() {
    }

    /** Parses Go-style duration text; empty when the text is not one. */
    public static Optional<Duration> parse(String text) {
        String trimmed = text.trim();
        if (trimmed.matches("\\d+")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
        }
        if (!WHOLE.matcher(trimmed).matches()) {
            return Optional.empty();
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(trimmed);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            });
        }
        return Optional.of(total);
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
