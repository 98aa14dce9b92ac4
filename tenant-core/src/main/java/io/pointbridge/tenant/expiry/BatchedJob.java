package io.pointbridge.tenant.expiry;

/** One of the points jobs: works through a tenant's due items in batches until none is left. */
interface BatchedJob {

    PointsJob job();

    /** Runs every batch of the run; a failure ends it, leaving the committed batches for the next run to build on. */
    void run(RunState run, Batches batches);
}
