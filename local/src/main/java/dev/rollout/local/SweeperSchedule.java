package dev.rollout.local;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.rollout.handlers.Sweep;

/**
 * The template's schedule for the sweeper, on the virtual clock: every period (read from the {@code Schedule} event
 * of the function whose handler is {@link Sweep}), the sweeper runs as EventBridge Scheduler would invoke it.
 */
public final class SweeperSchedule {
    private static final String TARGET_HANDLER = Sweep.class.getName() + "::handleRequest";
    private static final Pattern RATE = Pattern.compile("rate\\((\\d+) (minute|minutes|hour|hours|day|days)\\)");

    /** One round: when, and what the sweeper answered or the error it failed with. */
    public record Round(java.time.Instant at, Optional<JsonNode> answer, Optional<String> error) {
    }

    private final LocalAws aws;
    private final Sweep sweeper;
    private final Duration period;
    private final Consumer<Round> observer;
    private final List<Round> rounds = new ArrayList<>();

    private SweeperSchedule(LocalAws aws, Sweep sweeper, Duration period, Consumer<Round> observer) {
        this.aws = aws;
        this.sweeper = sweeper;
        this.period = period;
        this.observer = observer;
    }

    /**
     * The template's schedule on {@code runtime}'s clock, started by {@link #start}.
     *
     * @param observer         told of each round as it happens (simulate prints the ones that did something)
     */
    public static SweeperSchedule attach(Path projectRoot, LocalRuntime runtime, Consumer<Round> observer)
            throws IOException {
        return new SweeperSchedule(runtime.aws(), runtime.sweeper(),
                period(projectRoot.resolve("template.yaml")), observer);
    }

    /** The sweeper's period, from its function's one {@code Schedule} event, e.g. {@code rate(5 minutes)}. */
    public static Duration period(Path template) throws IOException {
        List<String> schedules = new ArrayList<>();
        for (JsonNode resource : CloudFormationYaml.read(template).path("Resources")) {
            if (TARGET_HANDLER.equals(resource.at("/Properties/Handler").asText())) {
                for (JsonNode event : resource.at("/Properties/Events")) {
                    if ("Schedule".equals(event.path("Type").asText())) {
                        schedules.add(event.at("/Properties/Schedule").asText());
                    }
                }
            }
        }
        if (schedules.size() != 1) {
            throw new IllegalStateException(template + " should hold one Schedule event on the function whose"
                    + " Handler is " + TARGET_HANDLER + ", found " + schedules.size());
        }
        Matcher rate = RATE.matcher(schedules.get(0));
        if (!rate.matches()) {
            throw new IllegalStateException("the sweeper's schedule must be rate(N minutes|hours|days), got "
                    + schedules.get(0));
        }
        long amount = Long.parseLong(rate.group(1));
        return switch (rate.group(2)) {
            case "minute", "minutes" -> Duration.ofMinutes(amount);
            case "hour", "hours" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** The first round one period from now, then one every period. */
    public void start() {
        next();
    }

    public Duration period() {
        return period;
    }

    /** Every round so far, oldest first. */
    public synchronized List<Round> rounds() {
        return List.copyOf(rounds);
    }

    private void next() {
        aws.clock().after(period, this::sweep);
    }

    private void sweep() {
        Round round;
        try {
            JsonNode answer = sweeper.sweep(new LocalContext("Sweep", LocalContext.logger(line -> { })));
            round = new Round(aws.clock().instant(), Optional.of(answer), Optional.empty());
        } catch (RuntimeException failed) {
            round = new Round(aws.clock().instant(), Optional.empty(),
                    Optional.of(failed.getClass().getName() + ": " + failed.getMessage()));
        }
        synchronized (this) {
            rounds.add(round);
        }
        observer.accept(round);
        next();
    }
}
