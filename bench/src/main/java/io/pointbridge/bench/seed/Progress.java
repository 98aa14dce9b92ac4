package io.pointbridge.bench.seed;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * One line per step (a table, an index, a check): percentage, rows per second and the time left. On a terminal
 * the line is redrawn in place; in a log (CI, a file) a line is printed at every tenth of the way instead.
 */
public final class Progress {

    private static final long REDRAW_NANOS = 250_000_000L;

    private final PrintStream out;
    private final boolean terminal;

    public Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Progress on standard output, redrawn in place if it is a terminal. */
    public static Progress onStandardOutput() {
        return new Progress(System.out, isTerminal());
    }

    /** No output at all. */
    public static Progress silent() {
        return new Progress(new PrintStream(PrintStream.nullOutputStream()), false);
    }

    /** Whether standard output is an interactive terminal (Java 22's Console.isTerminal when present). */
    static boolean isTerminal() {
        var console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) console.getClass().getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException olderJava) {
            return true;
        }
    }

    /** Starts a step that goes through {@code total} units of work (persons, tenants, ...); rows are counted apart. */
    public Step step(String name, long total) {
        return new Step(name, Math.max(1, total));
    }

    /** Prints a line of its own. */
    public void say(String line) {
        out.println(line);
    }

    public final class Step {

        private final String name;
        private final long total;
        private final long started = System.nanoTime();
        private long done;
        private long rows;
        private long lastDrawn;
        private int lastTenth;

        private Step(String name, long total) {
            this.name = name;
            this.total = total;
        }

        /** Records {@code units} more units of work done, and {@code newRows} more rows written. */
        public void advance(long units, long newRows) {
            done += units;
            rows += newRows;
            long now = System.nanoTime();
            if (terminal) {
                if (now - lastDrawn >= REDRAW_NANOS) {
                    lastDrawn = now;
                    out.print("\r" + line(now) + "   ");
                    out.flush();
                }
            } else {
                int tenth = (int) Math.min(10, done * 10 / total);
                if (tenth > lastTenth && tenth < 10) {
                    lastTenth = tenth;
                    out.println(line(now));
                }
            }
        }

        /** Ends the step; returns its duration. */
        public Duration finish() {
            long now = System.nanoTime();
            done = total;
            var elapsed = Duration.ofNanos(now - started);
            var line = String.format(Locale.ROOT, "%-28s done   %,13d rows  %,11.0f rows/s  in %s", name, rows,
                rows / Math.max(1e-9, elapsed.toNanos() / 1e9), clock(elapsed));
            out.print(terminal ? "\r" + line + "          \n" : line + "\n");
            out.flush();
            return elapsed;
        }

        public long rows() {
            return rows;
        }

        private String line(long now) {
            double seconds = Math.max(1e-9, (now - started) / 1e9);
            double fraction = (double) done / total;
            var eta = fraction <= 0 ? "?" : clock(Duration.ofMillis((long) (seconds * (1 - fraction) / fraction * 1000)));
            return String.format(Locale.ROOT, "%-28s %5.1f%%  %,13d rows  %,11.0f rows/s  ETA %s", name, fraction * 100,
                rows, rows / seconds, eta);
        }
    }

    static String clock(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds >= 3600
            ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
            : String.format(Locale.ROOT, "%d:%02d.%d", seconds / 60, seconds % 60, duration.toMillisPart() / 100);
    }
}
