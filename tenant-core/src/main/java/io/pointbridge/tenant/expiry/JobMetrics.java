package io.pointbridge.tenant.expiry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * Progress of the points jobs on this instance, tagged by job only ({@value #TAG}): batches, lots, wallets, points and events of
 * committed batches, runs by outcome, runs in progress (and for how long), and when each job last succeeded.
 * The points that expire are counted by the ledger ({@code pointbridge.points.expired}).
 */
@Component
class JobMetrics {

    /** The tag naming the job, {@code points_job} in Prometheus. */
    static final String TAG = "points.job";

    private final Map<PointsJob, Meters> meters = new EnumMap<>(PointsJob.class);
    private final Clock clock;

    JobMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        for (var job : PointsJob.values()) {
            meters.put(job, new Meters(job, registry));
        }
    }

    LongTaskTimer.Sample started(PointsJob job) {
        return meters.get(job).active.start();
    }

    /** Counts a committed batch. */
    void batch(PointsJob job, RunTotals batch) {
        var of = meters.get(job);
        of.batches.increment(batch.batches());
        of.wallets.increment(batch.wallets());
        of.lots.increment(batch.lots());
        of.points.increment(batch.points());
        of.events.increment(batch.events());
    }

    void finished(PointsJob job, boolean succeeded, LongTaskTimer.Sample sample) {
        sample.stop();
        var of = meters.get(job);
        (succeeded ? of.succeeded : of.failed).increment();
        if (succeeded) {
            of.lastSuccess.set(clock.instant().getEpochSecond());
        }
    }

    private static final class Meters {
        final Counter batches;
        final Counter wallets;
        final Counter lots;
        final Counter points;
        final Counter events;
        final Counter succeeded;
        final Counter failed;
        final LongTaskTimer active;
        final AtomicLong lastSuccess = new AtomicLong();

        Meters(PointsJob job, MeterRegistry registry) {
            var tag = job.slug();
            // Not "job": Prometheus gives every scraped series its own job label, which would rename ours.
            batches = Counter.builder("pointbridge.jobs.batches").tag(TAG, tag)
                .description("Batches a points job committed").register(registry);
            wallets = Counter.builder("pointbridge.jobs.wallets").tag(TAG, tag)
                .description("Wallets (members) a points job handled").register(registry);
            lots = Counter.builder("pointbridge.jobs.lots").tag(TAG, tag)
                .description("Lots a points job handled").register(registry);
            points = Counter.builder("pointbridge.jobs.points").tag(TAG, tag)
                .description("Points a points job released, expired or reminded of").register(registry);
            events = Counter.builder("pointbridge.jobs.events").tag(TAG, tag)
                .description("Outbox events a points job emitted").register(registry);
            succeeded = Counter.builder("pointbridge.jobs.runs").tag(TAG, tag).tag("outcome", "succeeded")
                .description("Runs of a points job for one tenant, by outcome").register(registry);
            failed = Counter.builder("pointbridge.jobs.runs").tag(TAG, tag).tag("outcome", "failed")
                .description("Runs of a points job for one tenant, by outcome").register(registry);
            active = LongTaskTimer.builder("pointbridge.jobs.active").tag(TAG, tag)
                .description("Runs of a points job in progress on this instance").register(registry);
            Gauge.builder("pointbridge.jobs.last.success", lastSuccess, AtomicLong::get).tag(TAG, tag).baseUnit("seconds")
                .description("When a run of a points job last succeeded on this instance (Unix time, 0: never)")
                .register(registry);
        }
    }
}
