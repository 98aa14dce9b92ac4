package io.pointbridge.reward;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.reward.RewardFixtures.Spec;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.reward.Reward;
import io.pointbridge.tenant.tenancy.TenantManagement;
import io.pointbridge.tenant.tenancy.TenantManagement.NewProgram;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.TierLevelsForTests;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A member redeems rewards over HTTP: points, coupons, cancellation, limits, tiers and every refusal. */
class RedemptionIntegrationTests extends IntegrationTest {

    private static final String CODE = "[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}";

    @Autowired
    RewardFixtures rewards;

    @Autowired
    TierLevelsForTests tiers;

    @Autowired
    TenantManagement tenancy;

    @Test
    void redeemingDebitsThePointsAndIssuesACouponTheTillConsumesOnce() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 500);
        var voucher = rewards.reward(group, Spec.voucher(200).stock(5L));
        var pos = pos(group);

        var redeemed = redeem(pos, member, voucher);

        assertThat(redeemed.status()).as(redeemed.body()).isEqualTo(201);
        var code = redeemed.json().path("coupon").path("code").asString();
        assertThat(code).matches(CODE);
        assertThat(redeemed.json().path("coupon").path("hint").asString()).isEqualTo(code.substring(15));
        assertThat(redeemed.text("status")).isEqualTo("ISSUED");
        assertThat(redeemed.number("points")).isEqualTo(200);
        assertThat(redeemed.headers().firstValue("Location")).hasValue(
            "/api/v1/members/" + member.id() + "/redemptions/" + redeemed.text("id"));
        assertThat(balance(pos, member)).isEqualTo(300);
        var line = pos.get("/api/v1/members/" + member.id() + "/history?limit=1").json().path("items").get(0);
        assertThat(line.path("kind").asString()).isEqualTo("SPEND");
        assertThat(line.path("points").asLong()).isEqualTo(-200);
        assertThat(line.path("reference").asString()).isEqualTo("redemption:" + redeemed.text("id"));
        assertThat(line.path("entryId").asString()).isEqualTo(redeemed.text("entryId"));
        assertThat(rewards.current(group, voucher).stock()).isEqualTo(4);

        var checked = pos.get("/api/v1/coupons/" + code);
        assertThat(checked.status()).as(checked.body()).isEqualTo(200);
        assertThat(checked.text("state")).isEqualTo("VALID");
        assertThat(checked.text("rewardId")).isEqualTo(voucher.id().toString());
        assertThat(checked.text("memberId")).isEqualTo(member.id().toString());
        assertThat(checked.json().has("code")).as("a check never repeats the code").isFalse();

        var typed = code.toLowerCase(Locale.ROOT).replace("-", " ");
        var consumed = pos.post("/api/v1/coupons/" + typed.replace(" ", "") + "/consume",
            Map.of("reference", "till-7/991"));
        assertThat(consumed.status()).as(consumed.body()).isEqualTo(200);
        assertThat(consumed.text("state")).isEqualTo("CONSUMED");
        assertThat(consumed.text("consumedReference")).isEqualTo("till-7/991");

        var again = pos.post("/api/v1/coupons/" + code + "/consume", Map.of("reference", "till-7/991"));
        assertThat(again.status()).as("the same consumer again: a no-op").isEqualTo(200);
        assertThat(again.text("consumedAt")).isEqualTo(consumed.text("consumedAt"));
        var other = pos.post("/api/v1/coupons/" + code + "/consume", Map.of("reference", "till-2/17"));
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.problemType()).isEqualTo("coupon-already-consumed");
        assertThat(pos.get("/api/v1/coupons/" + code).text("state")).isEqualTo("CONSUMED");
        assertThat(pos.get(redemptionPath(member, redeemed)).text("status")).isEqualTo("USED");
        assertThat(balance(pos, member)).isEqualTo(300);
        assertThat(RewardFixtures.outboxTypes(group.tenantId()))
            .containsSubsequence("reward.redeemed", "reward.redemption-used")
            .containsOnlyOnce("reward.redemption-used");
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void storesNoCouponCodeInPlainTextAnywhere() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var voucher = rewards.reward(group, Spec.voucher(10));
        var pos = pos(group);
        var redeemed = redeem(pos, member, voucher, "redeem-once-1");
        assertThat(redeem(pos, member, voucher, "redeem-once-1").status()).isEqualTo(201);
        var code = redeemed.json().path("coupon").path("code").asString();
        pos.post("/api/v1/coupons/" + code + "/consume", Map.of("reference", "till-1"));

        var tables = RewardFixtures.strings("""
                select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'flyway_schema_history'""");
        for (var table : tables) {
            for (var form : List.of(code, code.replace("-", ""))) {
                var holding = RewardFixtures.count(
                    "select count(*) from \"" + table + "\" t where tenant_id = ? and t::text like ?",
                    group.tenantId(), "%" + form + "%");
                assertThat(holding).as("rows of %s holding the code", table).isZero();
            }
        }
    }

    @Test
    void aRetriedRedemptionAnswersWithTheSameCouponAndDebitsOnce() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var voucher = rewards.reward(group, Spec.voucher(30));
        var pos = pos(group);

        var first = redeem(pos, member, voucher, "redeem-retry-1");
        var retry = redeem(pos, member, voucher, "redeem-retry-1");

        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(retry.json().path("coupon").path("code").asString()).matches(CODE);
        assertThat(balance(pos, member)).isEqualTo(70);
        assertThat(RewardFixtures.redemptions(group.tenantId())).isEqualTo(1);
    }

    @Test
    void theMembersViewShowsTheirCouponsAgainAndOnlyToTheirBrand() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var pos = pos(group);
        var first = redeem(pos, member, rewards.reward(group, Spec.voucher(10)));
        var second = redeem(pos, member, rewards.reward(group, Spec.gift(20)));

        var one = pos.get(redemptionPath(member, first));
        var page = pos.get("/api/v1/members/" + member.id() + "/redemptions?limit=1");
        var next = pos.get("/api/v1/members/" + member.id() + "/redemptions?limit=1&cursor=" + page.text("nextCursor"));

        assertThat(one.json().path("coupon").path("code").asString())
            .isEqualTo(first.json().path("coupon").path("code").asString());
        assertThat(page.json().path("items").get(0).path("id").asString()).isEqualTo(second.text("id"));
        assertThat(page.json().path("items").get(0).has("coupon")).as("a gift is an order, not a coupon").isFalse();
        assertThat(next.json().path("items").get(0).path("coupon").path("code").asString())
            .isEqualTo(first.json().path("coupon").path("code").asString());
        assertThat(next.json().path("nextCursor").isString()).as("the last page").isFalse();
        var cinema = api.withApiKey(group.cinema().apiKey());
        assertThat(cinema.get(redemptionPath(member, first)).problemType()).isEqualTo("member-not-found");
        var code = first.json().path("coupon").path("code").asString();
        assertThat(cinema.get("/api/v1/coupons/" + code).problemType()).isEqualTo("coupon-not-found");
        assertThat(cinema.post("/api/v1/coupons/" + code + "/consume", Map.of("reference", "x")).problemType())
            .isEqualTo("coupon-not-found");
        assertThat(api.withApiKey(fixtures.group().cafe().apiKey()).get("/api/v1/coupons/" + code).problemType())
            .as("another tenant's brand").isEqualTo("coupon-not-found");
        assertThat(pos.get("/api/v1/coupons/2222-3333-4444-5555").problemType()).isEqualTo("coupon-not-found");
        assertThat(pos.get("/api/v1/coupons/not-a-code").problemType()).isEqualTo("coupon-not-found");
    }

    @Test
    void cancellingReturnsThePointsAndTheItemAndVoidsTheCoupon() {
        var group = fixtures.group();
        var member = fixtures.memberWithLots(group, 40, 60);
        var voucher = rewards.reward(group, Spec.voucher(70).stock(2L));
        var pos = pos(group);
        var redeemed = redeem(pos, member, voucher);
        assertThat(balance(pos, member)).isEqualTo(30);
        assertThat(rewards.current(group, voucher).stock()).isEqualTo(1);

        var cancelled = pos.post(redemptionPath(member, redeemed) + "/cancellation", Map.of("reason", "changed mind"));

        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.text("status")).isEqualTo("CANCELLED");
        assertThat(cancelled.json().path("cancellation").path("reason").asString()).isEqualTo("changed mind");
        assertThat(cancelled.json().path("coupon").path("code").asString())
            .isEqualTo(redeemed.json().path("coupon").path("code").asString());
        assertThat(balance(pos, member)).isEqualTo(100);
        assertThat(rewards.current(group, voucher).stock()).isEqualTo(2);
        var line = pos.get("/api/v1/members/" + member.id() + "/history?limit=1").json().path("items").get(0);
        assertThat(line.path("kind").asString()).isEqualTo("REVERSAL");
        assertThat(line.path("reverses").asString()).isEqualTo(redeemed.text("entryId"));
        assertThat(line.path("entryId").asString())
            .isEqualTo(cancelled.json().path("cancellation").path("entryId").asString());
        var code = redeemed.json().path("coupon").path("code").asString();
        assertThat(pos.get("/api/v1/coupons/" + code).text("state")).isEqualTo("CANCELLED");
        var consumed = pos.post("/api/v1/coupons/" + code + "/consume", Map.of("reference", "till-1"));
        assertThat(consumed.status()).isEqualTo(409);
        assertThat(consumed.problemType()).isEqualTo("coupon-cancelled");
        var twice = pos.post(redemptionPath(member, redeemed) + "/cancellation", Map.of());
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.problemType()).isEqualTo("redemption-already-cancelled");
        assertThat(balance(pos, member)).isEqualTo(100);
        assertThat(RewardFixtures.outboxTypes(group.tenantId())).containsOnlyOnce("reward.redemption-cancelled");
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void aUsedRedemptionCannotBeCancelled() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var pos = pos(group);
        var redeemed = redeem(pos, member, rewards.reward(group, Spec.voucher(40)));
        pos.post("/api/v1/coupons/" + redeemed.json().path("coupon").path("code").asString() + "/consume",
            Map.of("reference", "till-1"));

        var refused = pos.post(redemptionPath(member, redeemed) + "/cancellation", Map.of("reason", "too late"));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("redemption-already-used");
        assertThat(balance(pos, member)).isEqualTo(60);
        assertThat(pos.get(redemptionPath(member, redeemed)).text("status")).isEqualTo("USED");
    }

    @Test
    void giftsAreOrdersFulfilledOnceUnderOneReference() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var pos = pos(group);
        var gift = redeem(pos, member, rewards.reward(group, Spec.gift(50)));
        var voucher = redeem(pos, member, rewards.reward(group, Spec.voucher(10)));
        assertThat(gift.status()).as(gift.body()).isEqualTo(201);
        assertThat(gift.json().has("coupon")).isFalse();
        assertThat(gift.text("rewardKind")).isEqualTo("GIFT");

        var fulfilled = pos.post(redemptionPath(member, gift) + "/fulfilment", Map.of("reference", "shipment-1"));
        var again = pos.post(redemptionPath(member, gift) + "/fulfilment", Map.of("reference", "shipment-1"));
        var other = pos.post(redemptionPath(member, gift) + "/fulfilment", Map.of("reference", "shipment-2"));
        var coupon = pos.post(redemptionPath(member, voucher) + "/fulfilment", Map.of("reference", "shipment-3"));

        assertThat(fulfilled.status()).as(fulfilled.body()).isEqualTo(200);
        assertThat(fulfilled.text("status")).isEqualTo("USED");
        assertThat(fulfilled.json().path("used").path("reference").asString()).isEqualTo("shipment-1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("used")).isEqualTo(fulfilled.json().path("used"));
        assertThat(other.status()).isEqualTo(409);
        assertThat(other.problemType()).isEqualTo("redemption-already-used");
        assertThat(coupon.status()).isEqualTo(422);
        assertThat(coupon.problemType()).isEqualTo("redemption-not-an-order");
    }

    @Test
    void aMemberRedeemsNoMoreThanTheLimitOfRedemptionsNotCancelled() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var onePerMember = rewards.reward(group, Spec.voucher(10).perMember(1));
        var pos = pos(group);
        var first = redeem(pos, member, onePerMember);

        var refused = redeem(pos, member, onePerMember);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.problemType()).isEqualTo("redemption-limit-reached");
        assertThat(refused.number("limit")).isEqualTo(1);
        assertThat(balance(pos, member)).isEqualTo(90);
        assertThat(redeem(pos, fixtures.memberWithBalance(group, 10), onePerMember).status())
            .as("another member's own limit").isEqualTo(201);
        pos.post(redemptionPath(member, first) + "/cancellation", Map.of());
        assertThat(redeem(pos, member, onePerMember).status()).as("after cancelling the first").isEqualTo(201);
        assertThat(balance(pos, member)).isEqualTo(90);
    }

    @Test
    void aTierRestrictedRewardNeedsTheMemberAtThatTierOrAbove() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var gold = rewards.reward(group, Spec.voucher(10).tier(2));
        var pos = pos(group);

        var untiered = redeem(pos, member, gold);
        tiers.set(member.id(), 1);
        var silver = redeem(pos, member, gold);
        var options = pos.get("/api/v1/members/" + member.id() + "/rewards").json().path("items").get(0);
        tiers.set(member.id(), 2);
        var goldMember = redeem(pos, member, gold);

        assertThat(untiered.status()).isEqualTo(422);
        assertThat(untiered.problemType()).isEqualTo("tier-too-low");
        assertThat(untiered.number("memberTierLevel")).as("no tier feature: every member at 0").isZero();
        assertThat(silver.problemType()).isEqualTo("tier-too-low");
        assertThat(silver.number("requiredTierLevel")).isEqualTo(2);
        assertThat(options.path("redeemable").asBoolean()).isFalse();
        assertThat(options.path("obstacles").valueStream().map(node -> node.asString()))
            .containsExactly("tier-too-low");
        assertThat(goldMember.status()).isEqualTo(201);
        assertThat(balance(pos, member)).isEqualTo(90);
    }

    @Test
    void showsWhichRewardsTheMemberCanRedeemNow() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 50);
        var affordable = rewards.reward(group, Spec.voucher(50).perMember(1));
        var dear = rewards.reward(group, Spec.voucher(60));
        rewards.reward(group, Spec.voucher(1).stock(0L));
        rewards.reward(group, Spec.voucher(1).withdrawn());
        var pos = pos(group);

        Function<Response, Map<String, List<String>>> obstacles = response -> {
            var byReward = new java.util.LinkedHashMap<String, List<String>>();
            response.json().path("items").forEach(item -> byReward.put(item.path("reward").path("id").asString(),
                item.path("obstacles").valueStream().map(node -> node.asString()).toList()));
            return byReward;
        };
        var before = obstacles.apply(pos.get("/api/v1/members/" + member.id() + "/rewards"));
        fixtures.credit(group, member, 50);
        redeem(pos, member, affordable);
        var after = obstacles.apply(pos.get("/api/v1/members/" + member.id() + "/rewards"));

        assertThat(before).containsExactly(Map.entry(affordable.id().toString(), List.of()),
            Map.entry(dear.id().toString(), List.of("insufficient-points")));
        assertThat(after).containsExactly(Map.entry(affordable.id().toString(), List.of("redemption-limit-reached")),
            Map.entry(dear.id().toString(), List.of("insufficient-points")));
    }

    @Test
    void refusesWhatCannotBeRedeemedAndChangesNothing() {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var now = Instant.now();
        var secondProgram = fixtures.as(group, () -> tenancy.createProgram(group.cafe().brand().id(),
            new NewProgram("cafe-beans", "Cafe Beans", "Beans", Currency.getInstance("EUR"), 1, 100, null)));
        var cases = Map.of(
            "reward-not-available", List.of(rewards.reward(group, Spec.voucher(10).withdrawn()),
                rewards.reward(group, Spec.voucher(10).window(now.plus(Duration.ofDays(1)), null)),
                rewards.reward(group,
                    Spec.voucher(10).window(now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))))),
            "reward-out-of-stock", List.of(rewards.reward(group, Spec.voucher(10).stock(0L))),
            "insufficient-points", List.of(rewards.reward(group, Spec.voucher(101))),
            "reward-of-another-program", List.of(rewards.reward(group, secondProgram.id(), Spec.voucher(10))),
            "reward-not-found", List.of(rewards.reward(group, group.cinema(), Spec.voucher(10)),
                rewards.reward(fixtures.group(), Spec.voucher(10))));
        var pos = pos(group);

        cases.forEach((problem, refused) -> refused.forEach(reward -> {
            var response = redeem(pos, member, reward);
            assertThat(response.problemType()).as("redeeming %s", reward).isEqualTo(problem);
            assertThat(response.status()).isIn(404, 409, 422);
        }));
        var unknown = pos.post("/api/v1/members/" + member.id() + "/redemptions",
            Map.of("rewardId", java.util.UUID.randomUUID()));
        var missing = pos.post("/api/v1/members/" + member.id() + "/redemptions", Map.of());

        assertThat(unknown.problemType()).isEqualTo("reward-not-found");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("errors").findValuesAsString("field")).containsExactly("rewardId");
        assertThat(balance(pos, member)).isEqualTo(100);
        assertThat(RewardFixtures.redemptions(group.tenantId())).isZero();
        assertThat(RewardFixtures.outboxTypes(group.tenantId())).doesNotContain("reward.redeemed");
        assertThat(fixtures.violations(group)).isEmpty();
    }

    private Api pos(Group group) {
        return api.withApiKey(group.cafe().apiKey());
    }

    private static Response redeem(Api pos, Membership member, Reward reward) {
        return pos.post("/api/v1/members/" + member.id() + "/redemptions", Map.of("rewardId", reward.id()));
    }

    private static Response redeem(Api pos, Membership member, Reward reward, String key) {
        return pos.post("/api/v1/members/" + member.id() + "/redemptions", Map.of("rewardId", reward.id()), key);
    }

    private static String redemptionPath(Membership member, Response redeemed) {
        return "/api/v1/members/" + member.id() + "/redemptions/" + redeemed.text("id");
    }

    private static long balance(Api pos, Membership member) {
        var response = pos.get("/api/v1/members/" + member.id() + "/balance");
        assertThat(response.status()).isEqualTo(200);
        return response.number("balance");
    }
}
