package dev.rollout.domain;

/**
 * The share of traffic, in whole percent, that the version being rolled out receives.
 *
 * <p>Whole percents match how CodeDeploy and Argo Rollouts express steps and keep the alias'
 * fractional weight exact enough to read back and compare.
 */
public record Weight(int percent) implements Comparable<Weight> {
    public static final Weight NONE = new Weight(0);
    public static final Weight ALL = new Weight(100);

    public Weight {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("weight must be between 0 and 100 percent, got " + percent);
        }
    }

    public static Weight percent(int percent) {
        return new Weight(percent);
    }

    /**
     * Reads a Lambda alias routing weight (a fraction) back as a percentage.
     * Rounds, because the alias stores a double and 0.07 may come back as 0.07000000000000001.
     */
    public static Weight ofFraction(double fraction) {
        return new Weight((int) Math.round(fraction * 100));
    }

    /** The value for {@code RoutingConfig.AdditionalVersionWeights}. */
    public double fraction() {
        return percent / 100.0;
    }

    public boolean isNone() {
        return percent == 0;
    }

    public boolean isAll() {
        return percent == 100;
    }

    @Override
    public int compareTo(Weight other) {
        return Integer.compare(percent, other.percent);
    }

    @Override
    public String toString() {
        return percent + "%";
    }
}
