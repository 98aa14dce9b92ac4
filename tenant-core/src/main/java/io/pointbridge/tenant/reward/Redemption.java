package io.pointbridge.tenant.reward;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A member's redemption of a reward as the member's own view shows it: with the coupon code, if the reward
 * issues one, or else as an order the brand fulfils.
 *
 * @param entryId the SPEND entry that took the points; a cancellation reverses it
 * @param coupon  the coupon, for every kind but gifts
 * @param used    when and under which reference the coupon was consumed or the order fulfilled
 */
public record Redemption(UUID id, UUID rewardId, String rewardName, RewardKind rewardKind, UUID memberId,
        UUID programId, long points, UUID entryId, Status status, @Nullable Coupon coupon, Instant redeemedAt,
        @Nullable Use used, @Nullable Cancellation cancellation) {

    public enum Status {
        /** The coupon can be consumed, or the order is waiting to be fulfilled. */
        ISSUED,
        /** The coupon was consumed, or the order fulfilled. */
        USED,
        /** Cancelled: the points went back to the member and the item back to stock. */
        CANCELLED
    }

    /**
     * A coupon: its code in display form (null where it is not to be shown) and when it stops being usable.
     *
     * @param hint the code's last four symbols, always shown, so that a member can tell coupons apart
     */
    public record Coupon(@Nullable String code, String hint, @Nullable Instant expiresAt) {
    }

    public record Use(Instant at, String reference) {
    }

    public record Cancellation(Instant at, UUID entryId, @Nullable String reason) {
    }

    /** The same redemption without its coupon code, e.g. for a record that is kept beyond the member's view. */
    public Redemption withoutCode() {
        return coupon == null ? this : new Redemption(id, rewardId, rewardName, rewardKind, memberId, programId, points,
            entryId, status, new Coupon(null, coupon.hint(), coupon.expiresAt()), redeemedAt, used, cancellation);
    }
}
