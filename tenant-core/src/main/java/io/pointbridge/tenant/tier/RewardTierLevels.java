package io.pointbridge.tenant.tier;

import io.pointbridge.tenant.reward.TierLevels;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Gives rewards the member's current tier level, so that rewards with a minimum tier can be redeemed. */
@Component
class RewardTierLevels implements TierLevels {

    private final Tiers tiers;

    RewardTierLevels(Tiers tiers) {
        this.tiers = tiers;
    }

    @Override
    public int levelOf(UUID membershipId) {
        return tiers.tierOf(membershipId).map(MemberTier::level).orElse(0);
    }
}
