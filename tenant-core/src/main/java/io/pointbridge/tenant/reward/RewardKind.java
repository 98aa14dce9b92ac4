package io.pointbridge.tenant.reward;

/** What a member gets for their points; every kind but a gift comes as a coupon code. */
public enum RewardKind {
    /** A discount at the till, e.g. 5 EUR off the next order. */
    DISCOUNT_COUPON,
    /** A voucher for a product or service, e.g. a free coffee. */
    VOUCHER,
    /** A physical item sent or handed over: the redemption is its order, fulfilled by the brand. */
    GIFT,
    /** An event or visit, e.g. a cinema premiere, admitted by its code. */
    EXPERIENCE;

    /** Whether a redemption of this kind issues a coupon code (or else is an order to fulfil). */
    public boolean issuesCoupon() {
        return this != GIFT;
    }
}
