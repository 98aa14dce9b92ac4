package io.pointbridge.tenant.expiry;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A run in progress for one tenant: what it works on and how, and what its committed batches did so far. */
final class RunState {

    private final PointsJob job;
    private final UUID tenantId;
    private final String actor;
    private final Instant cutoff;
    private final RunOptions options;
    private @Nullable UUID runId;
    private RunTotals totals = RunTotals.NONE;

    RunState(PointsJob job, UUID tenantId, String actor, Instant cutoff, RunOptions options, @Nullable UUID runId) {
        this.job = job;
        this.tenantId = tenantId;
        this.actor = actor;
        this.cutoff = cutoff;
        this.options = options;
        this.runId = runId;
    }

    PointsJob job() {
        return job;
    }

    UUID tenantId() {
        return tenantId;
    }

    String actor() {
        return actor;
    }

    /** The instant the run works as of: fixed for the whole run, so a resumed run ends where an uninterrupted one would. */
    Instant cutoff() {
        return cutoff;
    }

    RunOptions options() {
        return options;
    }

    /** The id of the run's record: from the request on for a requested run, from its first work for a scheduled one. */
    @Nullable UUID runId() {
        return runId;
    }

    RunTotals totals() {
        return totals;
    }

    /** Counts a batch once its transaction has committed, together with the record it was kept in. */
    void committed(RunTotals batch, @Nullable UUID recordedAs) {
        totals = totals.plus(batch);
        if (recordedAs != null) {
            runId = recordedAs;
        }
    }
}
