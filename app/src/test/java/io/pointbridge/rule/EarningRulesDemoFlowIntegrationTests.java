package io.pointbridge.rule;

import static io.pointbridge.rule.RulesApi.fixed;
import static io.pointbridge.rule.RulesApi.multiplier;
import static io.pointbridge.rule.RulesApi.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.IntegrationTest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo of issue 5: in the demo group, an admin creates a holiday double-points rule and a spend threshold
 * bonus (a purchase over 1,000 earns 50 extra points), backtests them on the program's history, publishes
 * them, and a purchase earns by the rules. All over HTTP, with demo-admin's real Keycloak token.
 */
class EarningRulesDemoFlowIntegrationTests extends IntegrationTest {

    @Test
    void anAdminCreatesBacktestsAndPublishesRulesThenAPurchaseEarnsByThem() {
        var group = fixtures.organization(RulesApi.DEMO_GROUP);
        var rules = new RulesApi(api, group.cafe().program().id());
        var pos = api.withApiKey(group.cafe().apiKey());
        rules.timeZone("Europe/Paris");
        var from = Instant.now().minus(1, ChronoUnit.HOURS);
        var regular = fixtures.member(group);
        for (var order : new String[][] {{"h-1", "12.50"}, {"h-2", "1200.00"}, {"h-3", "80.00"}}) {
            var purchase = pos.post("/api/v1/members/" + regular.id() + "/purchases",
                Map.of("orderId", order[0], "amount", order[1], "currency", "EUR"));
            assertThat(purchase.status()).as(purchase.body()).isEqualTo(201);
        }
        // Today (and tomorrow, should the test cross midnight in Paris) is a holiday for the demo.
        var today = LocalDate.now(ZoneId.of("Europe/Paris"));
        var holiday = rules.create(rule("Holiday double points", "purchase",
            "event.date in ['" + today + "', '" + today.plusDays(1) + "', '2026-12-25', '2027-01-01']",
            multiplier("2")));
        var threshold = rules.create(rule("Spend threshold bonus", "purchase", "event.amount > 1000", fixed(50)));
        assertThat(holiday.status()).as(holiday.body()).isEqualTo(201);
        assertThat(threshold.status()).as(threshold.body()).isEqualTo(201);
        assertThat(holiday.text("status")).isEqualTo("DRAFT");

        var backtest = rules.backtest(from, Instant.now().plusSeconds(60));

        assertThat(backtest.path("published").path("pointsIssued").asLong()).as("the base rate only")
            .isEqualTo(12 + 1200 + 80);
        assertThat(backtest.path("draft").path("pointsIssued").asLong()).isEqualTo(2 * (12 + 1200 + 80) + 50);
        assertThat(backtest.path("difference").asLong()).isEqualTo(1292 + 50);
        assertThat(backtest.path("membersAffected").path("gaining").asLong()).isEqualTo(1);

        var published = rules.admin().post(rules.path() + "/publish",
            Map.of("draftFingerprint", backtest.path("draftFingerprint").asString()));
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        assertThat(published.json().path("published").valueStream().map(rule -> rule.path("inForce").asBoolean()))
            .containsOnly(true).hasSize(2);

        var member = fixtures.member(group);
        var big = pos.post("/api/v1/members/" + member.id() + "/purchases",
            Map.of("orderId", "holiday-1", "amount", "1500.00", "currency", "EUR"));
        var small = pos.post("/api/v1/members/" + member.id() + "/purchases",
            Map.of("orderId", "holiday-2", "amount", "200.00", "currency", "EUR"));

        assertThat(big.status()).as(big.body()).isEqualTo(201);
        assertThat(big.number("basePoints")).isEqualTo(1500);
        assertThat(big.number("pointsEarned")).as("1500 base, 1500 doubled, 50 over 1,000").isEqualTo(3050);
        assertThat(big.json().path("awards").valueStream().map(award -> award.path("name").asString() + " "
            + award.path("points").asLong()))
            .containsExactlyInAnyOrder("Holiday double points 1500", "Spend threshold bonus 50");
        assertThat(small.number("pointsEarned")).isEqualTo(400);
        assertThat(small.number("balanceAfter")).isEqualTo(3450);
        var history = pos.get("/api/v1/members/" + member.id() + "/history").json().path("items");
        assertThat(history.valueStream().map(line -> line.path("kind").asString() + " " + line.path("points").asLong()))
            .containsExactly("EARN 400", "EARN 3050");
        var refund = pos.post("/api/v1/members/" + member.id() + "/purchases/holiday-1/refunds",
            Map.of("amount", "1500.00", "currency", "EUR"));
        assertThat(refund.number("pointsReversed")).as("a whole refund takes back all the purchase earned")
            .isEqualTo(3050);
        assertThat(fixtures.violations(group)).isEmpty();
    }
}
