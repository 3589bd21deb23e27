package dev.rollout.domain;

/**
 * The weights of a rollout's two Route 53 weighted record sets, {@code from} and {@code to}: Route 53's integers from
 * 0 to 255. Route 53 answers a query with a record in proportion to its weight over the sum of the weights of the
 * records of the name and type, so {@code to} receives {@code to / (from + to)} of the queries, and when every weight
 * is 0 each record receives an equal share.
 *
 * <p>How a rollout maps its steps, in whole percents, onto the two records:
 * <ul>
 *   <li>a step of <i>p</i>% sets {@code to = p} and {@code from = 100 - p}: both within 0..255, summing to 100, so
 *       {@code to} receives exactly <i>p</i>% of the queries (every step of a plan is a whole percent from 1 to 99, so
 *       every step maps exactly);</li>
 *   <li>promotion swaps the starting weights: {@code to} gets what {@code from} had and {@code from} what {@code to}
 *       had, i.e. 0, so the pair ends as it began, mirrored, and the next rollout back starts from the same weights;</li>
 *   <li>rollback restores the starting weights exactly as Prepare read them (say 255 and 0, or 1 and 0).</li>
 * </ul>
 * The percentages hold for the record name as a whole only when no other weighted record of the name and type receives
 * queries; Prepare refuses a rollout otherwise.
 */
public record RecordWeights(long from, long to) {
    /** Route 53's largest weight. */
    public static final long MAX = 255;
    /** What one side of a Route 53 rollout is, for people. */
    public static final String UNIT = "record set";

    public RecordWeights {
        if (from < 0 || from > MAX || to < 0 || to > MAX) {
            throw new IllegalArgumentException("Route 53 weights are integers from 0 to " + MAX + ", got from " + from
                    + " and to " + to);
        }
    }

    /** The weights of a step that routes {@code weight} to the {@code to} record. */
    public static RecordWeights step(Weight weight) {
        return new RecordWeights(100 - weight.percent(), weight.percent());
    }

    /** Everything on {@code to}, on the scale the records started with: the starting weights, swapped. */
    public RecordWeights promoted() {
        return new RecordWeights(to, from);
    }

    /**
     * The share of queries {@code to} receives, in whole percents: exact for every weight a rollout sets, rounded for
     * weights someone set by hand (200 and 55 read as 22%).
     */
    public Weight share() {
        if (from == 0 && to == 0) {
            return Weight.percent(50);
        }
        return Weight.percent((int) Math.round(100.0 * to / (from + to)));
    }

    /** Whether {@code from}, or {@code to}, receives any queries. */
    public boolean fromServes() {
        return from > 0 || to == 0;
    }

    public boolean toServes() {
        return to > 0 || from == 0;
    }

    /**
     * Where the two records send queries: everything on one side when the other weighs 0 (and it does not), a split
     * otherwise.
     */
    public Routing routing(String fromSet, String toSet, String revision) {
        if (!toServes()) {
            return Routing.whole(fromSet, revision, UNIT);
        }
        if (!fromServes()) {
            return Routing.whole(toSet, revision, UNIT);
        }
        return Routing.split(fromSet, toSet, share(), revision, UNIT);
    }

    @Override
    public String toString() {
        return "from " + from + ", to " + to;
    }
}
