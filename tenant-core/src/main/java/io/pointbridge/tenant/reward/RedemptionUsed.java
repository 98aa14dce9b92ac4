package io.pointbridge.tenant.reward;

import java.time.Instant;
import java.util.UUID;

/** A redemption's coupon was consumed, or its order fulfilled, under the consumer's reference. */
public record RedemptionUsed(UUID redemptionId, UUID rewardId, UUID memberId, String reference, String actor,
        Instant at) {

    /** The event's type in the outbox. */
    public static final String TYPE = "reward.redemption-used";
}
