package io.pointbridge.tenant.tier;

import java.util.UUID;

/**
 * A member's standing changed (upgraded, renewed, grace started, downgraded). Published inside the transaction
 * of the change, and appended to the outbox as {@code tier.<kind>} (e.g. {@code tier.upgraded}) for webhooks.
 */
public record TierChanged(UUID membershipId, UUID programId, TierChange change) {
}
