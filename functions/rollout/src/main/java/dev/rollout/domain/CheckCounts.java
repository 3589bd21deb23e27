package dev.rollout.domain;

/**
 * How many metric windows of a rollout failed, and how many were inconclusive, so far: the state machine carries it
 * from check to check ({@code $checks}), so a rollout can tolerate {@link MetricRules#threshold} failed windows.
 */
public record CheckCounts(long failed, long inconclusive) {
    public static final CheckCounts NONE = new CheckCounts(0, 0);

    public CheckCounts {
        if (failed < 0 || inconclusive < 0) {
            throw new IllegalArgumentException("check counts must not be negative, got " + failed + " and " + inconclusive);
        }
    }

    /** The counts after one more window with {@code verdict}. */
    public CheckCounts after(MetricVerdict verdict) {
        return switch (verdict.outcome()) {
            case FAILED -> new CheckCounts(failed + 1, inconclusive);
            case INCONCLUSIVE -> new CheckCounts(failed, inconclusive + 1);
            case PASSED, NOT_APPLICABLE -> this;
        };
    }

    /** {@code 1 failed window of 2 tolerated, 3 inconclusive}. */
    public String describe(MetricRules rules) {
        return failed + " failed window" + (failed == 1 ? "" : "s") + " of " + rules.threshold() + " tolerated, "
                + inconclusive + " inconclusive";
    }
}
