package io.pointbridge.reward;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.reward.RewardFixtures.Spec;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.MovableClock;
import io.pointbridge.testing.MovableTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/** Coupons and rewards in time: a coupon expires after its reward's valid days, a reward at the end of its window. */
@Import(MovableTime.class)
class CouponExpiryIntegrationTests extends IntegrationTest {

    @Autowired
    RewardFixtures rewards;

    @Autowired
    MovableClock clock;

    private Duration moved = Duration.ZERO;

    @AfterEach
    void restoreTheClock() {
        clock.advance(moved.negated());
    }

    @Test
    void aCouponCanBeConsumedUntilItExpiresAndItsRedemptionCancelledAfter() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var pos = api.withApiKey(group.cafe().apiKey());
        var redeemed = pos.post("/api/v1/members/" + member.id() + "/redemptions",
            Map.of("rewardId", rewards.reward(group, Spec.voucher(30).couponDays(2)).id()));
        var code = redeemed.json().path("coupon").path("code").asString();
        var expiresAt = Instant.parse(redeemed.json().path("coupon").path("expiresAt").asString());
        assertThat(expiresAt).isBetween(clock.instant().plus(Duration.ofDays(2)).minusSeconds(60),
            clock.instant().plus(Duration.ofDays(2)));

        move(Duration.ofDays(2).minusMinutes(1));
        var lastMinute = pos.get("/api/v1/coupons/" + code).text("state");
        move(Duration.ofMinutes(2));
        var checked = pos.get("/api/v1/coupons/" + code);
        var consumed = pos.post("/api/v1/coupons/" + code + "/consume", Map.of("reference", "till-1"));
        var cancelled = pos.post("/api/v1/members/" + member.id() + "/redemptions/" + redeemed.text("id")
            + "/cancellation", Map.of("reason", "expired unused"));

        assertThat(lastMinute).isEqualTo("VALID");
        assertThat(checked.text("state")).isEqualTo("EXPIRED");
        assertThat(consumed.status()).isEqualTo(422);
        assertThat(consumed.problemType()).isEqualTo("coupon-expired");
        assertThat(cancelled.status()).as("an expired, unused coupon's points can be given back").isEqualTo(200);
        assertThat(pos.get("/api/v1/members/" + member.id() + "/balance").number("balance")).isEqualTo(100);
    }

    @Test
    void aRewardCanBeRedeemedUntilTheEndOfItsWindow() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var pos = api.withApiKey(group.cafe().apiKey());
        var reward = rewards.reward(group, Spec.voucher(10).window(null, clock.instant().plus(Duration.ofHours(1))));
        var path = "/api/v1/members/" + member.id() + "/redemptions";

        var inTime = pos.post(path, Map.of("rewardId", reward.id()));
        move(Duration.ofHours(1));
        var late = pos.post(path, Map.of("rewardId", reward.id()));

        assertThat(inTime.status()).isEqualTo(201);
        assertThat(late.status()).isEqualTo(422);
        assertThat(late.problemType()).isEqualTo("reward-not-available");
        assertThat(pos.get("/api/v1/members/" + member.id() + "/balance").number("balance")).isEqualTo(90);
    }

    private void move(Duration duration) {
        clock.advance(duration);
        moved = moved.plus(duration);
    }
}
