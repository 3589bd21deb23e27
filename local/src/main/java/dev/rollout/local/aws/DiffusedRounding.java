package dev.rollout.local.aws;

import java.util.HashMap;
import java.util.Map;

/**
 * Splits whole numbers of requests by a fraction deterministically. The rounding error of each split is carried into
 * the next split with the same key, so over many small batches the totals track the exact share (a 5% weight on
 * batches of 10 requests gives 1, 0, 1, 0, ... rather than always 0 or always 1).
 */
final class DiffusedRounding {

    private final Map<String, Double> carry = new HashMap<>();

    /** The rounding error carried into the next split with {@code key}. */
    double carry(String key) {
        return carry.getOrDefault(key, 0.0);
    }

    long share(String key, long total, double fraction) {
        double exact = total * fraction + carry.getOrDefault(key, 0.0);
        long whole = Math.max(0, Math.min(total, Math.round(exact)));
        carry.put(key, exact - whole);
        return whole;
    }
}
