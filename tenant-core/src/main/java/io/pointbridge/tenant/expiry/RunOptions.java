package io.pointbridge.tenant.expiry;

/**
 * How a run works through its items.
 *
 * @param batchSize items (lots, or reminder groups) claimed per transaction
 * @param afterItem called for each item inside the batch's transaction, once the item's work is done (the expiry
 *                  posts its whole batch first): throwing from it rolls the batch back and ends the run, as a
 *                  crash would; committed batches stay, and the next run resumes from them
 */
public record RunOptions(int batchSize, ItemHook afterItem) {

    public static final int MAX_BATCH_SIZE = 10_000;

    public RunOptions {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH_SIZE + " items, not " + batchSize);
        }
    }

    public static RunOptions batchesOf(int batchSize) {
        return new RunOptions(batchSize, ItemHook.NONE);
    }

    public RunOptions afterEachItem(ItemHook hook) {
        return new RunOptions(batchSize, hook);
    }

    /** Work done after each item of a batch, inside its transaction. */
    @FunctionalInterface
    public interface ItemHook {
        ItemHook NONE = () -> { };

        void itemDone();
    }
}
