package io.pointbridge.tenant.purchase;

import java.time.Instant;
import java.util.UUID;

/**
 * A purchase was refunded, in part or in full; published inside the refund's transaction.
 *
 * @param pointsTakenBack the purchase's points this refund accounts for: those reversed plus those the member
 *                        had spent already and so were not recovered
 * @param fullyRefunded   whether the purchase is now refunded in full
 */
public record PurchaseRefunded(UUID tenantId, UUID refundId, UUID purchaseId, UUID membershipId, UUID programId,
        long amountMinor, long pointsTakenBack, boolean fullyRefunded, Instant refundedAt) {
}
