package io.pointbridge.tenant.expiry;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A recorded run of a points job for the tenant, with its progress as of its last committed batch.
 * {@code heartbeatAt} moves with every batch; a run that stopped beating (its instance died) is marked
 * {@link Status#ABANDONED} by the next run of the same job, which resumes its work.
 */
public record JobRun(UUID id, String job, Status status, String requestedBy, Instant cutoff, int batches, long wallets,
        long lots, long points, long events, @Nullable String error, Instant createdAt, Instant heartbeatAt,
        @Nullable Instant finishedAt) {

    public enum Status {
        QUEUED, RUNNING, SUCCEEDED, FAILED, ABANDONED
    }
}
