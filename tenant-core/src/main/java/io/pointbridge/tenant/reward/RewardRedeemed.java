package io.pointbridge.tenant.reward;

import java.time.Instant;
import java.util.UUID;

/** A member redeemed a reward; an order to fulfil when {@code order} is true (a gift), else a coupon was issued. */
public record RewardRedeemed(UUID redemptionId, UUID rewardId, RewardKind rewardKind, UUID memberId, UUID programId,
        long points, UUID entryId, boolean order, Instant at) {

    /** The event's type in the outbox. */
    public static final String TYPE = "reward.redeemed";
}
