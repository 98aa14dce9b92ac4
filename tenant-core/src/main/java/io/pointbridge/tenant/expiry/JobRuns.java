package io.pointbridge.tenant.expiry;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.expiry.JobRun.Status;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The current tenant's records of points job runs and their progress. */
@Component
class JobRuns {

    private static final int MAX_ERROR_LENGTH = 500;

    private final JdbcClient jdbc;
    private final Clock clock;

    JobRuns(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records a requested run, queued until the request's transaction commits and a worker picks it up. */
    @Transactional(propagation = Propagation.MANDATORY)
    JobRun queue(PointsJob job, String requestedBy, Instant cutoff) {
        var id = UUID.randomUUID();
        var now = at(clock.instant());
        jdbc.sql("""
                insert into points_job_runs (tenant_id, run_id, job, requested_by, cutoff, status, created_at, heartbeat_at)
                values (:tenant, :id, :job, :by, :cutoff, 'QUEUED', :now, :now)""")
            .param("tenant", TenantContext.require()).param("id", id).param("job", job.slug())
            .param("by", requestedBy).param("cutoff", at(cutoff)).param("now", now)
            .update();
        return find(id).orElseThrow();
    }

    /** Starts a queued run; false if it is no longer queued (marked abandoned while it waited). */
    @Transactional
    boolean start(UUID runId) {
        return jdbc.sql("""
                update points_job_runs set status = 'RUNNING', heartbeat_at = :now
                 where tenant_id = :tenant and run_id = :id and status = 'QUEUED'""")
            .param("now", at(clock.instant())).param("tenant", TenantContext.require()).param("id", runId)
            .update() == 1;
    }

    /**
     * Adds a batch's totals to the run's record in the batch's own transaction, creating the record for a
     * scheduled run's first work; returns the record's id.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    UUID progress(RunState run, RunTotals batch) {
        var now = at(clock.instant());
        var tenant = TenantContext.require();
        if (run.runId() == null) {
            var id = UUID.randomUUID();
            jdbc.sql("""
                    insert into points_job_runs (tenant_id, run_id, job, requested_by, cutoff, status, batches, wallets,
                                                 lots, points, events, created_at, heartbeat_at)
                    values (:tenant, :id, :job, :by, :cutoff, 'RUNNING', :batches, :wallets, :lots, :points, :events,
                            :now, :now)""")
                .param("tenant", tenant).param("id", id).param("job", run.job().slug()).param("by", run.actor())
                .param("cutoff", at(run.cutoff())).param("batches", batch.batches()).param("wallets", batch.wallets())
                .param("lots", batch.lots()).param("points", batch.points()).param("events", batch.events())
                .param("now", now)
                .update();
            return id;
        }
        jdbc.sql("""
                update points_job_runs set batches = batches + :batches, wallets = wallets + :wallets,
                       lots = lots + :lots, points = points + :points, events = events + :events, heartbeat_at = :now
                 where tenant_id = :tenant and run_id = :id""")
            .param("batches", batch.batches()).param("wallets", batch.wallets()).param("lots", batch.lots())
            .param("points", batch.points()).param("events", batch.events()).param("now", now)
            .param("tenant", tenant).param("id", run.runId())
            .update();
        return run.runId();
    }

    /** Records how a run ended, if it has a record. */
    @Transactional
    void finish(RunState run, Status status, @Nullable String error) {
        if (run.runId() == null) {
            return;
        }
        var now = at(clock.instant());
        jdbc.sql("""
                update points_job_runs set status = :status, error = :error, heartbeat_at = :now, finished_at = :now
                 where tenant_id = :tenant and run_id = :id and status in ('QUEUED', 'RUNNING')""")
            .param("status", status.name())
            .param("error", error == null ? null : error.substring(0, Math.min(error.length(), MAX_ERROR_LENGTH)))
            .param("now", now).param("tenant", TenantContext.require()).param("id", run.runId())
            .update();
    }

    /** Marks runs of the job whose heartbeat stopped before the given time as abandoned: their instance died. */
    @Transactional
    int abandonStale(PointsJob job, Instant heartbeatBefore) {
        var now = at(clock.instant());
        return jdbc.sql("""
                update points_job_runs set status = 'ABANDONED', finished_at = :now,
                       error = 'no progress since ' || to_char(heartbeat_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                 where tenant_id = :tenant and job = :job and status in ('QUEUED', 'RUNNING') and heartbeat_at < :before""")
            .param("now", now).param("tenant", TenantContext.require()).param("job", job.slug())
            .param("before", at(heartbeatBefore))
            .update();
    }

    @Transactional(readOnly = true)
    Optional<JobRun> find(UUID runId) {
        return jdbc.sql("select * from points_job_runs where tenant_id = :tenant and run_id = :id")
            .param("tenant", TenantContext.require()).param("id", runId)
            .query(JobRuns::run)
            .optional();
    }

    /** The latest runs, newest first. */
    @Transactional(readOnly = true)
    List<JobRun> recent(int limit) {
        return jdbc.sql("select * from points_job_runs where tenant_id = :tenant order by created_at desc, run_id limit :limit")
            .param("tenant", TenantContext.require()).param("limit", limit)
            .query(JobRuns::run)
            .list();
    }

    private static JobRun run(ResultSet rs, int row) throws SQLException {
        var finished = rs.getObject("finished_at", OffsetDateTime.class);
        return new JobRun(rs.getObject("run_id", UUID.class), rs.getString("job"), Status.valueOf(rs.getString("status")),
            rs.getString("requested_by"), rs.getObject("cutoff", OffsetDateTime.class).toInstant(), rs.getInt("batches"),
            rs.getLong("wallets"), rs.getLong("lots"), rs.getLong("points"), rs.getLong("events"), rs.getString("error"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant(),
            rs.getObject("heartbeat_at", OffsetDateTime.class).toInstant(),
            finished == null ? null : finished.toInstant());
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
