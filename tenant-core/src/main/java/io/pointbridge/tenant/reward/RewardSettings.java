package io.pointbridge.tenant.reward;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Reward settings, bound to {@code pointbridge.reward}.
 *
 * @param couponKey the secret coupon codes are hashed (for look-up) and sealed (for the member's view) under,
 *     at least 32 characters; each tenant's keys are derived from it. Every deployment sets its own: the value
 *     in {@code application.yml} is for development only. Replacing it makes issued coupons unfindable, so a
 *     rotation adds a key version instead ({@link CouponCodes#KEY_VERSION}).
 */
@ConfigurationProperties("pointbridge.reward")
@Validated
public record RewardSettings(@NotBlank @Size(min = 32) String couponKey) {

    @Override
    public String toString() {
        return "RewardSettings[couponKey=<secret>]";
    }
}
