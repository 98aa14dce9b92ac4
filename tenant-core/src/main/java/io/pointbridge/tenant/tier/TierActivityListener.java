package io.pointbridge.tenant.tier;

import io.pointbridge.tenant.purchase.PurchaseMade;
import io.pointbridge.tenant.purchase.PurchaseRefunded;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Counts purchases and refunds toward tiers in their own transaction: a purchase that qualifies a member
 * upgrades them together with its points, or neither happens.
 */
@Component
class TierActivityListener {

    private final Tiers tiers;

    TierActivityListener(Tiers tiers) {
        this.tiers = tiers;
    }

    @EventListener
    void on(PurchaseMade purchase) {
        tiers.purchaseMade(purchase);
    }

    @EventListener
    void on(PurchaseRefunded refund) {
        tiers.purchaseRefunded(refund);
    }
}
