package io.pointbridge.tenant.expiry;

import io.pointbridge.tenant.expiry.Batches.Batch;
import io.pointbridge.tenant.ledger.Lots;
import io.pointbridge.tenant.outbox.Outbox;
import java.util.HashSet;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Announces pending points that became spendable. The ledger makes them spendable by the clock alone (a lot's
 * {@code available_at}), so nothing here moves points: each lot is marked released and, if it still holds
 * points, reported once as {@link PointsReleased} through the outbox.
 */
@Component
class PendingReleaseJob implements BatchedJob {

    private final Lots lots;
    private final Outbox outbox;

    PendingReleaseJob(Lots lots, Outbox outbox) {
        this.lots = lots;
        this.outbox = outbox;
    }

    @Override
    public PointsJob job() {
        return PointsJob.PENDING_RELEASE;
    }

    @Override
    public void run(RunState run, Batches batches) {
        int size = run.options().batchSize();
        int released;
        do {
            released = batches.run(run, () -> {
                var due = lots.releaseDue(run.cutoff(), size);
                var wallets = new HashSet<UUID>();
                long points = 0;
                long events = 0;
                for (var lot : due) {
                    wallets.add(lot.membershipId());
                    if (lot.points() > 0) {
                        outbox.append(PointsReleased.TYPE, new PointsReleased(lot.membershipId(), lot.programId(),
                            lot.lotId(), lot.points(), lot.availableAt(), lot.reference()));
                        points += lot.points();
                        events++;
                    }
                    run.options().afterItem().itemDone();
                }
                return new Batch<>(RunTotals.ofBatch(wallets.size(), due.size(), points, events), due.size());
            });
        } while (released == size);
    }
}
