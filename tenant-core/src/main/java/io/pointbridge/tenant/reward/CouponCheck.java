package io.pointbridge.tenant.reward;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What an integration learns about a coupon from its code: whether it can be consumed now, and what for.
 *
 * @param consumedReference the consumer's reference it was consumed under (e.g. the till's order id)
 */
public record CouponCheck(UUID redemptionId, UUID rewardId, String rewardName, RewardKind rewardKind, UUID memberId,
        State state, @Nullable Instant expiresAt, @Nullable Instant consumedAt, @Nullable String consumedReference) {

    public enum State {
        /** It can be consumed now. */
        VALID,
        CONSUMED,
        EXPIRED,
        /** Its redemption was cancelled and the points returned. */
        CANCELLED
    }
}
