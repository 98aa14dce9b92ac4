package io.pointbridge.tenant.tier;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A member's tier as other features read it: its place ({@code level}, 1 for the entry tier) and {@code code}
 * (what rewards are restricted by), its benefits, since when the member holds it, and when it is next reviewed
 * or, in a grace period, when that ends.
 */
public record MemberTier(UUID membershipId, UUID programId, int level, String code, String name, BigDecimal multiplier,
        Instant since, @Nullable Instant reviewAt, @Nullable Instant graceUntil) {
}
