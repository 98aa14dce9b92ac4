package io.pointbridge.tenant.expiry;

import io.pointbridge.tenant.AfterCommit;
import io.pointbridge.tenant.DomainFailure;
import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.expiry.JobRun.Status;
import io.pointbridge.tenant.tenancy.TenantManagement;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Runs the points jobs: for one tenant now (operators, tests), for every tenant in turn (the schedule), or on a
 * tenant admin's request in the background. Each run works as of a cutoff fixed at its start, records its
 * progress with every committed batch, and is safe alongside runs of the same job on other instances.
 */
@Service
public class PointsJobs implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PointsJobs.class);
    public static final String SCHEDULER = "system:points-jobs";
    public static final int MAX_RECENT = 100;

    private final Map<PointsJob, BatchedJob> jobs = new EnumMap<>(PointsJob.class);
    private final Batches batches;
    private final JobRuns runs;
    private final JobMetrics metrics;
    private final TenantManagement tenancy;
    private final PointsJobSettings settings;
    private final Clock clock;
    // Requested runs: few and long, so a small pool of their own, apart from request threads and the scheduler.
    private final ExecutorService requested = Executors.newFixedThreadPool(2,
        Thread.ofPlatform().name("points-job-", 1).daemon(true).factory());

    PointsJobs(List<BatchedJob> jobs, Batches batches, JobRuns runs, JobMetrics metrics, TenantManagement tenancy,
            PointsJobSettings settings, Clock clock) {
        jobs.forEach(job -> this.jobs.put(job.job(), job));
        this.batches = batches;
        this.runs = runs;
        this.metrics = metrics;
        this.tenancy = tenancy;
        this.settings = settings;
        this.clock = clock;
    }

    /** What a run did for a tenant; {@code runId} names its record, none if it found nothing to do. */
    public record RunResult(PointsJob job, UUID tenantId, @Nullable UUID runId, Instant cutoff, RunTotals totals) {
    }

    /** Runs the job for the tenant now, in this thread, as of now, in batches of the configured size. */
    public RunResult run(PointsJob job, UUID tenantId, String actor) {
        return run(job, tenantId, actor, RunOptions.batchesOf(settings.batchSize()));
    }

    /**
     * Runs the job for the tenant now, in this thread, as of now. A failure is recorded with the run (if it had
     * a record) and thrown; the batches committed before it stay, and the next run continues from them.
     */
    public RunResult run(PointsJob job, UUID tenantId, String actor, RunOptions options) {
        return execute(new RunState(job, tenantId, actor, clock.instant(), options, null));
    }

    /** Runs the job for every tenant, one after the other, as the schedule does; one tenant's failure stops no other. */
    public void runForAllTenants(PointsJob job) {
        for (var tenant : tenancy.allTenantIds()) {
            try {
                run(job, tenant, SCHEDULER);
            } catch (RuntimeException failed) {
                // Recorded and logged by the run itself; the next tenant's points must not wait for this one's.
            }
        }
    }

    /**
     * Queues a run of the job for the current tenant, as of now; it starts in the background once the caller's
     * transaction commits, and its record shows its progress.
     */
    @Transactional
    public JobRun request(PointsJob job, String actor) {
        var tenant = TenantContext.require();
        var queued = runs.queue(job, actor, clock.instant());
        AfterCommit.run(() -> requested.execute(() -> runQueued(tenant, queued)));
        return queued;
    }

    /** The current tenant's run, if it has that id. */
    public JobRun find(UUID runId) {
        return runs.find(runId).orElseThrow(() -> new JobRunNotFound(runId));
    }

    /** The current tenant's latest runs, newest first. */
    public List<JobRun> recent(int limit) {
        if (limit < 1 || limit > MAX_RECENT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_RECENT);
        }
        return runs.recent(limit);
    }

    private void runQueued(UUID tenant, JobRun queued) {
        var job = PointsJob.bySlug(queued.job()).orElseThrow();
        try {
            if (TenantContext.callAs(tenant, () -> runs.start(queued.id()))) {
                execute(new RunState(job, tenant, queued.requestedBy(), queued.cutoff(),
                    RunOptions.batchesOf(settings.batchSize()), queued.id()));
            }
        } catch (RuntimeException failed) {
            // Recorded and logged by the run itself.
        }
    }

    private RunResult execute(RunState run) {
        int abandoned = TenantContext.callAs(run.tenantId(),
            () -> runs.abandonStale(run.job(), clock.instant().minus(settings.staleAfter())));
        if (abandoned > 0) {
            log.warn("{} for tenant {}: {} earlier run(s) stopped without finishing; this run resumes their work",
                run.job().slug(), run.tenantId(), abandoned);
        }
        var active = metrics.started(run.job());
        try {
            jobs.get(run.job()).run(run, batches);
        } catch (RuntimeException failed) {
            metrics.finished(run.job(), false, active);
            log.error("{} for tenant {} failed after {} committed batches ({} lots, {} points); the next run resumes",
                run.job().slug(), run.tenantId(), run.totals().batches(), run.totals().lots(), run.totals().points(), failed);
            try {
                TenantContext.runAs(run.tenantId(), () -> runs.finish(run, Status.FAILED, String.valueOf(failed.getMessage())));
            } catch (RuntimeException unrecorded) {
                failed.addSuppressed(unrecorded);
            }
            throw failed;
        }
        TenantContext.runAs(run.tenantId(), () -> runs.finish(run, Status.SUCCEEDED, null));
        metrics.finished(run.job(), true, active);
        var totals = run.totals();
        if (totals.didWork()) {
            log.info("{} for tenant {} as of {}: {} batches, {} wallets, {} lots, {} points, {} events",
                run.job().slug(), run.tenantId(), run.cutoff(), totals.batches(), totals.wallets(), totals.lots(),
                totals.points(), totals.events());
        }
        return new RunResult(run.job(), run.tenantId(), run.runId(), run.cutoff(), totals);
    }

    @Override
    public void destroy() {
        // A run cut short here resumes with the next run: its committed batches stay, its record goes stale.
        requested.shutdownNow();
    }

    /** No run of a points job with this id is visible to the caller. */
    public static final class JobRunNotFound extends DomainFailure {
        JobRunNotFound(UUID runId) {
            super(404, "job-run-not-found", "Job run not found", "No points job run " + runId + " is visible to you.");
        }
    }

    /** The caller named a job that does not exist. */
    public static final class UnknownJob extends DomainFailure {
        public UnknownJob(String slug) {
            super(404, "points-job-not-found", "Points job not found", "There is no points job '" + slug
                + "'; the jobs are " + String.join(", ", Arrays.stream(PointsJob.values()).map(PointsJob::slug).toList())
                + ".");
        }
    }

    /** The job named by its slug, or the problem the caller gets. */
    public static PointsJob job(String slug) {
        return PointsJob.bySlug(slug).orElseThrow(() -> new UnknownJob(slug));
    }
}
