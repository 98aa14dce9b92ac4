package io.pointbridge.tenant.reward;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A reward of a brand's catalog, priced in the points of one of the brand's programs.
 *
 * @param stock            items left; null means unlimited
 * @param perMemberLimit   how many redemptions a member may hold that are not cancelled; null means no limit
 * @param minimumTierLevel the lowest tier level a member needs (see {@link TierLevels}); null means every member
 * @param validFrom        when it can first be redeemed; null means from its creation
 * @param validUntil       when it can no longer be redeemed; null means until withdrawn
 * @param couponValidDays  how long an issued coupon can be used; null means until used or cancelled
 * @param active           whether it is offered at all; a withdrawn reward stays for its redemptions' sake
 */
public record Reward(UUID id, UUID programId, UUID brandId, RewardKind kind, String name, @Nullable String description,
        long pointsCost, @Nullable Long stock, @Nullable Integer perMemberLimit, @Nullable Integer minimumTierLevel,
        @Nullable Instant validFrom, @Nullable Instant validUntil, @Nullable Integer couponValidDays, boolean active,
        Instant createdAt, Instant updatedAt) {

    /** Why the reward cannot be redeemed at the given time by anyone, if it cannot. */
    public Optional<String> unavailableAt(Instant now) {
        if (!active) {
            return Optional.of("it has been withdrawn");
        }
        if (validFrom != null && now.isBefore(validFrom)) {
            return Optional.of("it can be redeemed from " + validFrom);
        }
        if (validUntil != null && !now.isBefore(validUntil)) {
            return Optional.of("it could be redeemed until " + validUntil);
        }
        return Optional.empty();
    }

    public boolean inStock() {
        return stock == null || stock > 0;
    }
}
