package io.pointbridge.exchange.transfer;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An offer to convert {@code sourcePoints} (S) of one membership into {@code targetPoints} (T) of another
 * membership of the same person, for a fee of {@code feePoints} (F), at the rate version {@code rateId}, until
 * {@code expiresAt}. A newer rate version does not change it; a disabled pair stops it. {@code transferId} is
 * set once it has been executed, which happens at most once.
 */
public record Quote(UUID id, UUID rateId, UUID personId, UUID sourceMemberId, UUID targetMemberId,
        UUID sourceProgramId, UUID targetProgramId, UUID sourceBrandId, UUID targetBrandId, long sourcePoints,
        long feePoints, long targetPoints, Rate rate, Instant createdAt, Instant expiresAt, @Nullable UUID transferId) {

    /** The ratio applied: {@code sourceUnits} source points to {@code targetUnits} target points. */
    public record Rate(long sourceUnits, long targetUnits) {
    }
}
