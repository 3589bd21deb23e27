package dev.rollout.protocol;

import org.junit.jupiter.api.Assumptions;

/**
 * How the protocol tests treat a place where moto differs from AWS (bin/test installs moto 5.2.1, the version
 * these notes were checked against). A test states AWS's behaviour. Before asserting it, the test looks for the
 * gap in the moto that is running, by a precise sign (an HTTP 500 moto logs as NotImplementedError, a RevisionId
 * that never changes); while the sign is there the test is skipped with the gap named, and bin/test lists it
 * after the run. The day moto closes the gap, the same test runs against moto in full: an improved moto shows up
 * as one known gap fewer, never as a failure. Each gapped behaviour is also tested against the in-memory AWS.
 */
final class MotoGap {
    private MotoGap() {
    }

    /** Skips the calling test while {@code present}, naming the gap and where the behaviour is tested instead. */
    static void skipWhile(boolean present, String gap) {
        Assumptions.assumeFalse(present, () -> "known moto gap: " + gap);
    }
}
