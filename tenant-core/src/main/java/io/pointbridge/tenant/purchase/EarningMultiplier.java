package io.pointbridge.tenant.purchase;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * A factor on what a member's purchases earn at the program's base rate, such as a tier's benefit. Purchases
 * apply the product of every one there is, before rounding down; without any, purchases earn the base rate.
 */
public interface EarningMultiplier {

    /**
     * The factor for the purchase being recorded in this transaction: 1 when nothing applies, never below 1. It may
     * lock what the purchase goes on to change (e.g. the member's tier row) before the purchase locks the wallet.
     */
    BigDecimal multiplierFor(UUID membershipId);
}
