package io.pointbridge.tenant.purchase;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * A factor on what a member's purchases earn at the program's base rate, such as a tier's benefit. Purchases
 * apply the product of every one there is, before rounding down; without any, purchases earn the base rate.
 */
public interface EarningMultiplier {

    /** The factor for the membership's next purchase: 1 when nothing applies, never below 1. */
    BigDecimal multiplierFor(UUID membershipId);
}
