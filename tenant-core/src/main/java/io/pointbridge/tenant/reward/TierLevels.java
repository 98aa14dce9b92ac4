package io.pointbridge.tenant.reward;

import java.util.UUID;

/**
 * The seam to the tier feature: a member's current tier level, which rewards may require a minimum of.
 *
 * <p>Level 0 means no tier; the tiers of a program count up from 1 (its lowest tier) to its highest. The
 * tier feature provides the one bean of this type; until it does, or where a program has no tiers, every
 * member is at level 0 and rewards with a minimum tier level cannot be redeemed. A {@code @Primary} bean
 * takes precedence over the others, which lets tests set levels.
 */
@FunctionalInterface
public interface TierLevels {

    /** Every member at level 0: no tiers. */
    TierLevels NONE = membershipId -> 0;

    /** The member's tier level now: 0 for none, else 1 and up. */
    int levelOf(UUID membershipId);
}
