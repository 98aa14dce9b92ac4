package io.pointbridge.bench.batch;

import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Times the product's points-expiry job by what it records of itself: every run (one per tenant) writes the lots
 * it expired, when it was created and when it finished. The job is done when every tenant with lots past their
 * expiry has a finished run and no run is open.
 */
public final class ExpiryWatch {

    private static final String RUNS = """
        select count(*) filter (where status in ('QUEUED', 'RUNNING')),
               count(distinct tenant_id) filter (where status = 'SUCCEEDED'),
               count(*) filter (where status in ('FAILED', 'ABANDONED')),
               coalesce(sum(lots), 0),
               coalesce(extract(epoch from max(finished_at) - min(created_at)), 0)
          from points_job_runs where job = 'points-expiry'""";

    private final Database database;
    private final Consumer<String> progress;

    public ExpiryWatch(Database database, Consumer<String> progress) {
        this.database = database;
        this.progress = progress;
    }

    /** Tenants that have lots past their expiry with points left, i.e. tenants the job has work in. */
    public long tenantsWithExpiredLots() throws SQLException {
        return database.count("select count(distinct tenant_id) from lots where remaining > 0 and expires_at <= now()");
    }

    public JobWatch.Timed await(long tenants, Duration timeout) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long lastReport = 0;
        while (true) {
            try (var connection = database.connect(); var statement = connection.createStatement();
                    var row = statement.executeQuery(RUNS)) {
                row.next();
                long open = row.getLong(1);
                long succeeded = row.getLong(2);
                long failed = row.getLong(3);
                long lots = row.getLong(4);
                double seconds = row.getDouble(5);
                if (failed > 0) {
                    throw new IllegalStateException("an expiry run failed; see the app log");
                }
                if (open == 0 && succeeded >= tenants) {
                    return new JobWatch.Timed(lots, seconds);
                }
                if (System.nanoTime() - lastReport > Duration.ofSeconds(2).toNanos()) {
                    progress.accept(String.format("  points expiry: %d of %d tenants done, %d lots so far", succeeded,
                        tenants, lots));
                    lastReport = System.nanoTime();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("points expiry did not finish within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }
}
