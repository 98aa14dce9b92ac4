package io.pointbridge.tenant.reward;

import io.pointbridge.tenant.DomainFailure;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The facts the reward catalog, redemptions and coupons refuse requests with. */
public final class RewardFailures {

    private RewardFailures() {
    }

    public static final class RewardNotFound extends DomainFailure {
        public RewardNotFound(UUID reward) {
            super(404, "reward-not-found", "Reward not found", "No reward " + reward + " is visible to you.");
        }
    }

    /** A stock change would leave fewer than no items, or changes a stock that is unlimited. */
    public static final class NegativeStock extends DomainFailure {
        public NegativeStock(long stock, long change) {
            super(422, "negative-stock", "Negative stock",
                "The reward has " + stock + " items left; a change of " + change + " would leave fewer than none.");
            with("field", "change");
            with("stock", stock);
            with("errors", List.of(Map.of("field", "change", "message", "would leave the stock below zero")));
        }
    }

    public static final class StockUnlimited extends DomainFailure {
        public StockUnlimited() {
            super(422, "stock-unlimited", "Stock unlimited",
                "The reward's stock is unlimited; set a number of items first to change it by some.");
            with("field", "change");
        }
    }

    public static final class RewardNotAvailable extends DomainFailure {
        public RewardNotAvailable(UUID reward, String why) {
            super(422, "reward-not-available", "Reward not available",
                "Reward " + reward + " cannot be redeemed now: " + why + ".");
            with("rewardId", reward);
        }
    }

    public static final class RewardOutOfStock extends DomainFailure {
        public RewardOutOfStock(UUID reward) {
            super(409, "reward-out-of-stock", "Reward out of stock", "Reward " + reward + " has no items left.");
            with("rewardId", reward);
        }
    }

    /** The member holds as many redemptions of the reward (not cancelled) as one member may. */
    public static final class RedemptionLimitReached extends DomainFailure {
        public RedemptionLimitReached(UUID reward, int limit) {
            super(422, "redemption-limit-reached", "Redemption limit reached",
                "A member may redeem reward " + reward + " " + limit + (limit == 1 ? " time" : " times")
                    + ", and this member has.");
            with("rewardId", reward);
            with("limit", limit);
        }
    }

    public static final class TierTooLow extends DomainFailure {
        public TierTooLow(UUID reward, int required, int level) {
            super(422, "tier-too-low", "Tier too low",
                "Reward " + reward + " is for members of tier level " + required + " and up; this member is at level "
                    + level + ".");
            with("rewardId", reward);
            with("requiredTierLevel", required);
            with("memberTierLevel", level);
        }
    }

    /** The reward is priced in the points of a program the member is not a member of through this membership. */
    public static final class RewardOfAnotherProgram extends DomainFailure {
        public RewardOfAnotherProgram(UUID reward) {
            super(422, "reward-of-another-program", "Reward of another program",
                "Reward " + reward + " is redeemed with the points of another program than this member's.");
            with("field", "rewardId");
        }
    }

    public static final class RedemptionNotFound extends DomainFailure {
        public RedemptionNotFound(UUID redemption) {
            super(404, "redemption-not-found", "Redemption not found",
                "No redemption " + redemption + " is visible to you.");
        }
    }

    public static final class RedemptionAlreadyUsed extends DomainFailure {
        public RedemptionAlreadyUsed(UUID redemption, Instant at) {
            super(409, "redemption-already-used", "Redemption already used",
                "Redemption " + redemption + " was used (its coupon consumed or its order fulfilled) at " + at + ".");
            with("usedAt", at);
        }
    }

    public static final class RedemptionAlreadyCancelled extends DomainFailure {
        public RedemptionAlreadyCancelled(UUID redemption, Instant at) {
            super(409, "redemption-already-cancelled", "Redemption already cancelled",
                "Redemption " + redemption + " was cancelled at " + at + ".");
            with("cancelledAt", at);
        }
    }

    /** A fulfilment was asked for a redemption that issued a coupon: coupons are consumed by their code. */
    public static final class NotAnOrder extends DomainFailure {
        public NotAnOrder(UUID redemption) {
            super(422, "redemption-not-an-order", "Not an order",
                "Redemption " + redemption + " issued a coupon; it is used by consuming the coupon with its code.");
        }
    }

    /** No coupon with that code is visible: unknown, mistyped, or another brand's or tenant's. */
    public static final class CouponNotFound extends DomainFailure {
        public CouponNotFound() {
            super(404, "coupon-not-found", "Coupon not found", "No coupon with this code is visible to you.");
        }
    }

    public static final class CouponAlreadyConsumed extends DomainFailure {
        public CouponAlreadyConsumed(Instant at) {
            super(409, "coupon-already-consumed", "Coupon already consumed",
                "This coupon was consumed at " + at + " under another reference.");
            with("consumedAt", at);
        }
    }

    public static final class CouponExpired extends DomainFailure {
        public CouponExpired(Instant at) {
            super(422, "coupon-expired", "Coupon expired", "This coupon expired at " + at + ".");
            with("expiredAt", at);
        }
    }

    public static final class CouponCancelled extends DomainFailure {
        public CouponCancelled(Instant at) {
            super(409, "coupon-cancelled", "Coupon cancelled",
                "The redemption that issued this coupon was cancelled at " + at + "; its points were returned.");
            with("cancelledAt", at);
        }
    }
}
