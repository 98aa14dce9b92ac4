package io.pointbridge.reward;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.reward.RewardFixtures.Spec;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Concurrently;
import io.pointbridge.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Redemptions, consumptions and cancellations racing over real HTTP and threads: stock, limits and coupons hold. */
class RedemptionConcurrencyIntegrationTests extends IntegrationTest {

    private static final int CLIENTS = 16;

    @Autowired
    RewardFixtures rewards;

    @Test
    void parallelRedemptionsOfTheLastItemGiveItToExactlyOneMember() throws Exception {
        var group = fixtures.group();
        var members = new ArrayList<Membership>();
        for (int m = 0; m < CLIENTS; m++) {
            members.add(fixtures.memberWithBalance(group, 100));
        }
        var lastOne = rewards.reward(group, Spec.voucher(60).stock(1L));
        var pos = api.withApiKey(group.cafe().apiKey());

        var responses = Concurrently.run(CLIENTS, client -> pos.post(
            "/api/v1/members/" + members.get(client).id() + "/redemptions", Map.of("rewardId", lastOne.id())));

        var winners = IntStream.range(0, CLIENTS).filter(client -> responses.get(client).status() == 201)
            .boxed().toList();
        assertThat(winners).hasSize(1);
        assertThat(responses).filteredOn(response -> response.status() != 201).hasSize(CLIENTS - 1)
            .allSatisfy(response -> {
                assertThat(response.status()).isEqualTo(409);
                assertThat(response.problemType()).isEqualTo("reward-out-of-stock");
            });
        for (int m = 0; m < CLIENTS; m++) {
            var balance = pos.get("/api/v1/members/" + members.get(m).id() + "/balance").number("balance");
            assertThat(balance).as("balance of member %d", m).isEqualTo(winners.contains(m) ? 40 : 100);
        }
        assertThat(rewards.current(group, lastOne).stock()).isZero();
        assertThat(RewardFixtures.redemptions(group.tenantId())).isEqualTo(1);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void parallelRedemptionsOfOneMemberNeverPassTheLimit() throws Exception {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 1000);
        var twoPerMember = rewards.reward(group, Spec.voucher(100).perMember(2));
        var pos = api.withApiKey(group.cafe().apiKey());

        var responses = Concurrently.run(CLIENTS, client -> pos.post(
            "/api/v1/members/" + member.id() + "/redemptions", Map.of("rewardId", twoPerMember.id())));

        assertThat(responses).filteredOn(response -> response.status() == 201).hasSize(2);
        assertThat(responses).filteredOn(response -> response.status() != 201).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(422);
            assertThat(response.problemType()).isEqualTo("redemption-limit-reached");
        });
        assertThat(pos.get("/api/v1/members/" + member.id() + "/balance").number("balance")).isEqualTo(800);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void aCouponConsumedByManyTillsAtOnceIsConsumedByOne() throws Exception {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 100);
        var pos = api.withApiKey(group.cafe().apiKey());
        var redeemed = pos.post("/api/v1/members/" + member.id() + "/redemptions",
            Map.of("rewardId", rewards.reward(group, Spec.voucher(10)).id()));
        var code = redeemed.json().path("coupon").path("code").asString();

        var differentTills = Concurrently.run(CLIENTS, client -> pos.post("/api/v1/coupons/" + code + "/consume",
            Map.of("reference", "till-" + client)));

        var winner = differentTills.stream().filter(response -> response.status() == 200).toList();
        assertThat(winner).hasSize(1);
        assertThat(differentTills).filteredOn(response -> response.status() != 200).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(409);
            assertThat(response.problemType()).isEqualTo("coupon-already-consumed");
        });
        var reference = winner.getFirst().text("consumedReference");
        var sameTill = Concurrently.run(CLIENTS, client -> pos.post("/api/v1/coupons/" + code + "/consume",
            Map.of("reference", reference)));
        assertThat(sameTill).extracting(Response::status).containsOnly(200);
        assertThat(sameTill).extracting(response -> response.text("consumedAt"))
            .containsOnly(winner.getFirst().text("consumedAt"));
        assertThat(RewardFixtures.outboxTypes(group.tenantId())).containsOnlyOnce("reward.redemption-used");
    }

    @Test
    void aCancellationRacingAConsumptionEndsInExactlyOneOfThem() throws Exception {
        var group = fixtures.group();
        var member = fixtures.memberWithBalance(group, 1000);
        var voucher = rewards.reward(group, Spec.voucher(100).stock(10L));
        var pos = api.withApiKey(group.cafe().apiKey());

        for (int round = 0; round < 5; round++) {
            var redeemed = pos.post("/api/v1/members/" + member.id() + "/redemptions",
                Map.of("rewardId", voucher.id()));
            var code = redeemed.json().path("coupon").path("code").asString();
            var path = "/api/v1/members/" + member.id() + "/redemptions/" + redeemed.text("id");

            var outcomes = Concurrently.run(2, client -> client == 0
                ? pos.post(path + "/cancellation", Map.of("reason", "race"))
                : pos.post("/api/v1/coupons/" + code + "/consume", Map.of("reference", "till-1")));

            assertThat(outcomes).filteredOn(response -> response.status() == 200).as("round %d", round).hasSize(1);
            var status = pos.get(path).text("status");
            var consumeLost = outcomes.get(1).problemType().equals("coupon-cancelled");
            assertThat(consumeLost ? "CANCELLED" : "USED").as("the status the winner left").isEqualTo(status);
        }
        long used = RewardFixtures.count("select count(*) from redemptions where tenant_id = ? and status = 'USED'",
            group.tenantId());
        assertThat(pos.get("/api/v1/members/" + member.id() + "/balance").number("balance"))
            .isEqualTo(1000 - 100 * used);
        assertThat(rewards.current(group, voucher).stock()).isEqualTo(10 - used);
        assertThat(fixtures.violations(group)).isEmpty();
    }
}
