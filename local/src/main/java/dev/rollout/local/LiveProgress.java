package dev.rollout.local;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A status line at the bottom of a terminal, redrawn in place while a simulation runs slowly enough for someone to
 * watch it (more than a second of wall time, e.g. at {@code --speed 60}): the simulated time and where the alias
 * sends traffic. Timeline lines print above it, so it never mixes into them; it is cleared when the run ends.
 */
final class LiveProgress implements AutoCloseable {

    /** Runs quicker than this never show the line: it would only flicker. */
    static final Duration QUIET_START = Duration.ofSeconds(1);
    private static final Duration REDRAW = Duration.ofMillis(250);
    private static final String CLEAR_LINE = "\r\033[K";

    private final PrintStream out;
    private final Supplier<String> status;
    private final LongSupplier nanoTime;
    private final long startedAt;
    private Thread redrawing;
    private boolean shown;

    /**
     * @param status   the line to show, asked again at each redraw
     * @param nanoTime the wall clock, {@link System#nanoTime} outside tests
     */
    LiveProgress(PrintStream out, Supplier<String> status, LongSupplier nanoTime) {
        this.out = out;
        this.status = status;
        this.nanoTime = nanoTime;
        this.startedAt = nanoTime.getAsLong();
    }

    /** Redraws the line from a daemon thread until {@link #close()}. */
    LiveProgress start() {
        redrawing = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    redraw();
                    Thread.sleep(REDRAW.toMillis());
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }, "simulate-progress");
        redrawing.setDaemon(true);
        redrawing.start();
        return this;
    }

    /** Shows the status once the run has lasted {@link #QUIET_START}. */
    synchronized void redraw() {
        if (nanoTime.getAsLong() - startedAt < QUIET_START.toNanos()) {
            return;
        }
        out.print(CLEAR_LINE + status.get());
        out.flush();
        shown = true;
    }

    /** Prints a timeline line above the status line. */
    synchronized void println(String line) {
        if (shown) {
            out.print(CLEAR_LINE);
        }
        out.println(line);
        if (shown) {
            out.print(status.get());
            out.flush();
        }
    }

    @Override
    public void close() {
        if (redrawing != null) {
            redrawing.interrupt();
            try {
                redrawing.join();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (shown) {
                out.print(CLEAR_LINE);
                out.flush();
                shown = false;
            }
        }
    }
}
