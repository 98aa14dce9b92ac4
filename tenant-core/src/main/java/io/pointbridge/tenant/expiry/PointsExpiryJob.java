package io.pointbridge.tenant.expiry;

import io.pointbridge.tenant.expiry.Batches.Batch;
import io.pointbridge.tenant.ledger.Ledger;
import io.pointbridge.tenant.ledger.Ledger.Expired;
import io.pointbridge.tenant.ledger.Lots;
import io.pointbridge.tenant.ledger.Lots.ClaimedWallets;
import io.pointbridge.tenant.ledger.Lots.Cursor;
import io.pointbridge.tenant.outbox.Outbox;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Moves what remains of expired lots to breakage: walks the lots expired by the run's cutoff in expiry order,
 * a batch of them per transaction; claims their wallets with SKIP LOCKED (so two instances split the work and
 * a member spending right now is not waited for) and posts one expiry entry per claimed wallet for all its
 * expired lots. A crash loses only the batch in flight: expired lots are those with points left, so the next
 * run simply finds what is still to do. Wallets skipped because another transaction held them get another pass.
 */
@Component
class PointsExpiryJob implements BatchedJob {

    private static final Logger log = LoggerFactory.getLogger(PointsExpiryJob.class);

    /** Passes over the expired lots while wallets were skipped; what is still held after them waits for the next run. */
    static final int MAX_PASSES = 3;

    private final Lots lots;
    private final Ledger ledger;
    private final Outbox outbox;

    PointsExpiryJob(Lots lots, Ledger ledger, Outbox outbox) {
        this.lots = lots;
        this.ledger = ledger;
        this.outbox = outbox;
    }

    @Override
    public PointsJob job() {
        return PointsJob.POINTS_EXPIRY;
    }

    @Override
    public void run(RunState run, Batches batches) {
        for (int pass = 1; pass <= MAX_PASSES; pass++) {
            if (!pass(run, batches)) {
                return;
            }
            log.debug("points-expiry for tenant {}: wallets were held elsewhere in pass {}", run.tenantId(), pass);
        }
    }

    /** One pass over the expired lots; true if some wallets were held by another transaction and skipped. */
    private boolean pass(RunState run, Batches batches) {
        boolean skipped = false;
        Cursor cursor = null;
        do {
            var claimed = batch(run, batches, cursor);
            skipped |= claimed.skipped() > 0;
            cursor = claimed.next();
        } while (cursor != null);
        return skipped;
    }

    /**
     * Posts the claimed wallets' expiries and their events together, in a few statements however many wallets
     * the batch holds; the item hook then runs once per claimed wallet, inside the batch's transaction.
     */
    private ClaimedWallets batch(RunState run, Batches batches, @Nullable Cursor after) {
        return batches.run(run, () -> {
            var claimed = lots.claimWalletsWithExpiredLots(run.cutoff(), after, run.options().batchSize());
            var expired = ledger.expireAll(claimed.membershipIds(), run.cutoff(), run.actor());
            outbox.appendAll(PointsExpired.TYPE, expired.stream().map(entry -> new PointsExpired(entry.membershipId(),
                entry.programId(), entry.entryId(), entry.points(), entry.lots(), entry.postedAt())).toList());
            claimed.membershipIds().forEach(member -> run.options().afterItem().itemDone());
            long wallets = expired.size();
            long expiredLots = expired.stream().mapToLong(Expired::lots).sum();
            long points = expired.stream().mapToLong(Expired::points).sum();
            return new Batch<>(RunTotals.ofBatch(wallets, expiredLots, points, wallets), claimed);
        });
    }
}
