package io.pointbridge.tenant.referral;

import java.time.Instant;
import java.util.UUID;

/**
 * A referral was rewarded on the referee's first qualifying purchase: published to listeners in the purchase's
 * transaction (e.g. earning rules on referrals) and appended to the outbox.
 */
public record ReferralRewarded(UUID tenantId, UUID referralId, UUID programId, UUID referrerId, UUID refereeId,
        UUID purchaseId, long referrerPoints, long refereePoints, Instant at) {

    /** The event's type in the outbox. */
    public static final String TYPE = "referral.rewarded";
}
