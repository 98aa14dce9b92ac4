package io.pointbridge.tenant.referral;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A program's referral terms, set by a tenant admin. A referral takes the terms in force when the referee names
 * the referrer; only the limit per referrer is applied as it stands when the reward is paid.
 *
 * @param minimumPurchase       the smallest purchase, in the program's purchase currency, that qualifies
 * @param claimWindowDays       how many days after enrolling a member may still name who referred them
 * @param maxRewardsPerReferrer how many referrals one referrer is rewarded for; null means no limit (the referee
 *                              is rewarded all the same)
 */
public record ReferralTerms(UUID programId, boolean enabled, long referrerPoints, long refereePoints,
        BigDecimal minimumPurchase, Currency currency, int claimWindowDays, @Nullable Integer maxRewardsPerReferrer,
        Instant updatedAt, String updatedBy) {
}
