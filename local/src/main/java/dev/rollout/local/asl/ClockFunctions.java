package dev.rollout.local.asl;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.Jsonata;
import java.time.Clock;
import java.util.List;

/** {@code $now()} and {@code $millis()} on the execution's clock, so virtual time is the only time a definition sees. */
final class ClockFunctions {
    private final Jsonata.JFunction now;
    private final Jsonata.JFunction millis;

    ClockFunctions(Clock clock) {
        this.now = new Jsonata.JFunction((ignoredInput, args) -> Functions.dateTimeFromMillis(
                clock.millis(), stringArgument(args, 0), stringArgument(args, 1)), "<s?s?:s>");
        this.millis = new Jsonata.JFunction((ignoredInput, args) -> clock.millis(), "<:n>");
    }

    void bindTo(Jsonata.Frame frame) {
        frame.bind("now", now);
        frame.bind("millis", millis);
    }

    private static String stringArgument(List<?> args, int index) {
        return args.size() > index ? (String) args.get(index) : null;
    }
}
