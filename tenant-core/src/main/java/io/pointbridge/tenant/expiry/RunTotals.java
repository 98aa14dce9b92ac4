package io.pointbridge.tenant.expiry;

/**
 * What a run, or one of its batches, did: batches committed, wallets and lots it handled, points it moved
 * (released, expired or named in reminders) and events it put in the outbox.
 */
public record RunTotals(int batches, long wallets, long lots, long points, long events) {

    public static final RunTotals NONE = new RunTotals(0, 0, 0, 0, 0);

    /** The totals of one batch. */
    static RunTotals ofBatch(long wallets, long lots, long points, long events) {
        return new RunTotals(1, wallets, lots, points, events);
    }

    RunTotals plus(RunTotals other) {
        return new RunTotals(batches + other.batches, wallets + other.wallets, lots + other.lots, points + other.points,
            events + other.events);
    }

    /** Whether the batch or run changed anything. */
    boolean didWork() {
        return lots > 0 || events > 0;
    }
}
