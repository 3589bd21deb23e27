package dev.rollout.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The live progress line, on a wall clock the test moves. */
class LiveProgressTest {

    private static final String CLEAR = "\r\033[K";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong wall = new AtomicLong();
    private final LiveProgress progress = new LiveProgress(out, () -> "+00:03:00  version 2 40%", wall::get);

    @Test
    void aRunShorterThanASecondPrintsItsLinesAndNeverTheStatus() {
        progress.redraw();
        progress.println("+00:00:00  Shift    version 2 10%");
        wall.set(LiveProgress.QUIET_START.toNanos() - 1);
        progress.redraw();
        progress.close();

        assertEquals("+00:00:00  Shift    version 2 10%" + System.lineSeparator(), printed());
    }

    @Test
    void afterASecondTheStatusIsRedrawnInPlaceLinesPrintAboveItAndClosingClearsIt() {
        wall.set(LiveProgress.QUIET_START.toNanos());
        progress.redraw();
        progress.println("+00:03:00  Health   healthy");
        progress.close();

        assertEquals(CLEAR + "+00:03:00  version 2 40%" + CLEAR + "+00:03:00  Health   healthy"
                + System.lineSeparator() + "+00:03:00  version 2 40%" + CLEAR, printed());
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
