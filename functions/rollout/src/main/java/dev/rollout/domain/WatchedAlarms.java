package dev.rollout.domain;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The rule for watched alarms that do not exist, used by health checks (stop); admission applies the same rule to the
 * names an input lists ({@link Lookups}).
 */
public final class WatchedAlarms {
    private WatchedAlarms() {
    }

    /** A watched alarm that does not exist, and where the rollout's alarm list names it. */
    public record Missing(int index, String name) {
    }

    /**
     * @param watched the rollout's alarm names, in input order
     * @param found   the alarms CloudWatch describes for those names (absent names are simply not there)
     * @return every watched name that is not found, in input order
     */
    public static List<Missing> missing(List<String> watched, List<AlarmStatus> found) {
        Set<String> existing = found.stream().map(AlarmStatus::name).collect(Collectors.toSet());
        return IntStream.range(0, watched.size())
                .filter(i -> !existing.contains(watched.get(i)))
                .mapToObj(i -> new Missing(i, watched.get(i)))
                .toList();
    }
}
