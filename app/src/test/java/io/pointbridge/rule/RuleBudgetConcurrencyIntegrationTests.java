package io.pointbridge.rule;

import static io.pointbridge.rule.RulesApi.fixed;
import static io.pointbridge.rule.RulesApi.perAmount;
import static io.pointbridge.rule.RulesApi.rule;
import static io.pointbridge.rule.RulesApi.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Concurrently;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.tenant.member.Membership;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Campaign budgets hold under real concurrency: many purchases at once over HTTP never take more from a
 * budget than it has, every award is whole, and the rules a spent campaign excluded apply again.
 */
class RuleBudgetConcurrencyIntegrationTests extends IntegrationTest {

    private static final int CLIENTS = 48;

    @Test
    void aCampaignBudgetIsNeverOverspentByParallelPurchases() throws Exception {
        var group = fixtures.organization(RulesApi.DEMO_GROUP);
        var rules = new RulesApi(api, group.cafe().program().id());
        var campaign = rules.draft(with(rule("Launch bonus", "purchase", null, fixed(50)),
            "priority", 10, "exclusive", true, "budget", 500));
        rules.draft(with(rule("Everyday bonus", "purchase", null, fixed(5)), "priority", 20));
        rules.publish();
        var members = new ArrayList<Membership>();
        for (int m = 0; m < CLIENTS / 2; m++) {
            members.add(fixtures.member(group));
        }
        var pos = api.withApiKey(group.cafe().apiKey());

        var responses = Concurrently.run(CLIENTS, client -> pos.post(
            "/api/v1/members/" + members.get(client % members.size()).id() + "/purchases",
            Map.of("orderId", "launch-" + client, "amount", "10.00", "currency", "EUR")));

        assertThat(responses).extracting(Response::status).containsOnly(201);
        var launch = responses.stream().filter(response -> response.number("pointsEarned") == 10 + 50).count();
        var everyday = responses.stream().filter(response -> response.number("pointsEarned") == 10 + 5).count();
        assertThat(launch).as("purchases the budget of 500 paid 50 each").isEqualTo(10);
        assertThat(everyday).as("purchases after the budget was spent, by the rule it had excluded")
            .isEqualTo(CLIENTS - 10);
        var rule = rules.admin().get(rules.path() + "/" + campaign).json();
        assertThat(rule.path("budgetSpent").asLong()).isEqualTo(500);
        long balances = members.stream().mapToLong(member -> pos.get("/api/v1/members/" + member.id() + "/balance")
            .number("balance")).sum();
        assertThat(balances).isEqualTo(CLIENTS * 10L + 500 + (CLIENTS - 10) * 5L);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void anAmountBasedBudgetGivesWholeAwardsAndNeverMoreThanItHas() throws Exception {
        var group = fixtures.organization(RulesApi.DEMO_GROUP);
        var rules = new RulesApi(api, group.cafe().program().id());
        var campaign = rules.publish(with(rule("Points back", "purchase", null, perAmount(1, "1.00")), "budget", 400));
        var members = new ArrayList<Membership>();
        for (int m = 0; m < CLIENTS; m++) {
            members.add(fixtures.member(group));
        }
        var pos = api.withApiKey(group.cafe().apiKey());

        var responses = Concurrently.run(CLIENTS, client -> pos.post("/api/v1/members/" + members.get(client).id()
            + "/purchases", Map.of("orderId", "order-" + client, "amount", (7 + client % 29) + ".00",
                "currency", "EUR")));

        assertThat(responses).extracting(Response::status).containsOnly(201);
        long awarded = 0;
        for (int client = 0; client < CLIENTS; client++) {
            long base = 7 + client % 29;
            long earned = responses.get(client).number("pointsEarned");
            assertThat(earned).as("client %d earns its base, and the whole award or none", client).isIn(base, 2 * base);
            awarded += earned - base;
        }
        var spent = rules.admin().get(rules.path() + "/" + campaign).json().path("budgetSpent").asLong();
        assertThat(spent).isEqualTo(awarded).isLessThanOrEqualTo(400).isGreaterThan(400 - 36);
        assertThat(fixtures.violations(group)).isEmpty();
    }

}
