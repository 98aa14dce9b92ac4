/**
 * Rewards and their redemption: each brand's catalog, redemptions that debit points and issue a coupon
 * code or a gift order, and the validation and consumption of coupons by integrations.
 */
@org.springframework.modulith.NamedInterface("reward")
package io.pointbridge.tenant.reward;
