package io.pointbridge.tenant.expiry;

import io.pointbridge.tenant.TenantContext;
import java.util.UUID;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a job's batches: each in its own transaction as the run's tenant, with the batch's totals added to the
 * run's record in that same transaction, so that the recorded progress is exactly the committed work; counted
 * and logged once committed.
 */
@Component
class Batches {

    private static final Logger log = LoggerFactory.getLogger(Batches.class);
    private static final int LOG_EVERY = 10;

    private final TransactionTemplate transactions;
    private final JobRuns runs;
    private final JobMetrics metrics;

    Batches(PlatformTransactionManager transactionManager, JobRuns runs, JobMetrics metrics) {
        this.transactions = new TransactionTemplate(transactionManager);
        this.runs = runs;
        this.metrics = metrics;
    }

    /** What a batch did, and what the job needs to find the next one. */
    record Batch<T>(RunTotals totals, T next) {
    }

    <T> T run(RunState run, Supplier<Batch<T>> work) {
        var committed = TenantContext.callAs(run.tenantId(), () -> transactions.execute(status -> {
            var batch = work.get();
            var totals = batch.totals().didWork() ? batch.totals() : RunTotals.NONE;
            UUID recordedAs = totals.didWork() || run.runId() != null ? runs.progress(run, totals) : null;
            return new Committed<>(batch.next(), totals, recordedAs);
        }));
        run.committed(committed.totals(), committed.recordedAs());
        if (committed.totals().didWork()) {
            metrics.batch(run.job(), committed.totals());
            var sofar = run.totals();
            if (sofar.batches() % LOG_EVERY == 0) {
                log.info("{} for tenant {}: {} batches, {} lots, {} points, {} events so far", run.job().slug(),
                    run.tenantId(), sofar.batches(), sofar.lots(), sofar.points(), sofar.events());
            } else {
                log.debug("{} for tenant {}: batch of {} lots, {} points committed", run.job().slug(), run.tenantId(),
                    committed.totals().lots(), committed.totals().points());
            }
        }
        return committed.next();
    }

    private record Committed<T>(T next, RunTotals totals, @Nullable UUID recordedAs) {
    }
}
