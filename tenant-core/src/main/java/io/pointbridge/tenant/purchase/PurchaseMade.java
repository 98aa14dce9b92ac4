package io.pointbridge.tenant.purchase;

import java.time.Instant;
import java.util.Currency;
import java.util.UUID;

/**
 * A purchase was recorded and earned its points; published inside the purchase's transaction, so that
 * listeners (e.g. tiers) change their state together with it or not at all.
 *
 * @param membershipId the membership the purchase was posted to (which may have been merged into another)
 * @param madeAt       when it was recorded, as stored with the purchase
 */
public record PurchaseMade(UUID tenantId, UUID purchaseId, UUID membershipId, UUID programId, String orderId,
        long amountMinor, Currency currency, long pointsEarned, Instant madeAt) {
}
