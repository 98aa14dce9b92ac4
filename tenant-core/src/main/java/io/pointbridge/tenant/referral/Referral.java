package io.pointbridge.tenant.referral;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One member (the referrer) referred another (the referee) to the same program, on the terms copied when the
 * referee named the referrer. Settled on the referee's first qualifying purchase: rewarded, or disqualified
 * if the two have turned out to be one person since.
 *
 * @param referrerPointsPaid what the referrer got: the promised points, or 0 past the program's limit per referrer
 */
public record Referral(UUID id, UUID programId, UUID referrerId, UUID refereeId, Status status, long referrerPoints,
        long refereePoints, long minimumPurchaseMinor, Instant claimedAt, @Nullable Instant settledAt,
        @Nullable UUID purchaseId, @Nullable Long referrerPointsPaid, @Nullable Long refereePointsPaid,
        @Nullable String disqualifiedBecause) {

    public enum Status {
        /** Waiting for the referee's first qualifying purchase. */
        PENDING,
        REWARDED,
        /** Not rewarded: the referrer and referee turned out to be one person. */
        DISQUALIFIED
    }
}
