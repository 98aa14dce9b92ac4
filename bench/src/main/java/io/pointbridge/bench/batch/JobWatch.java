package io.pointbridge.bench.batch;

import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Times one of the product's batch jobs from outside, by watching the rows it has left to do: the job starts
 * when the count first drops, and ends when it reaches zero. Polled every 100 ms, so a job is timed to within
 * about 0.2 s; the jobs measured here run for many seconds.
 */
public final class JobWatch {

    private final Database database;
    private final Consumer<String> progress;

    public JobWatch(Database database, Consumer<String> progress) {
        this.database = database;
        this.progress = progress;
    }

    /** What the job did: rows done and the seconds it took. */
    public record Timed(long rows, double seconds) {
    }

    /**
     * Waits for the count of rows still to do ({@code remainingSql}) to fall from its current value to zero.
     *
     * @param startTimeout how long the job may take to begin
     * @param timeout      how long it may take in all
     */
    public Timed await(String name, String remainingSql, Duration startTimeout, Duration timeout)
            throws SQLException, InterruptedException {
        long initial = database.count(remainingSql);
        if (initial == 0) {
            return new Timed(0, 0);
        }
        long begin = System.nanoTime();
        long started = -1;
        long lastReport = 0;
        long remaining = initial;
        while (remaining > 0) {
            Thread.sleep(100);
            long now = System.nanoTime();
            remaining = database.count(remainingSql);
            if (started < 0 && remaining < initial) {
                started = now - Duration.ofMillis(100).toNanos();
            }
            if (started < 0 && now - begin > startTimeout.toNanos()) {
                throw new IllegalStateException(name + " did not start within " + startTimeout.toSeconds() + " s");
            }
            if (now - begin > timeout.toNanos()) {
                throw new IllegalStateException(name + " did not finish within " + timeout.toSeconds() + " s ("
                    + remaining + " of " + initial + " left)");
            }
            if (now - lastReport > Duration.ofSeconds(2).toNanos()) {
                progress.accept(String.format("  %s: %d of %d done (%.0f%%)", name, initial - remaining, initial,
                    100.0 * (initial - remaining) / initial));
                lastReport = now;
            }
        }
        return new Timed(initial, (System.nanoTime() - started) / 1e9);
    }
}
