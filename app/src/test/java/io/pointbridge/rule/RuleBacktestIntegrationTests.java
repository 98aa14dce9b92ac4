package io.pointbridge.rule;

import static io.pointbridge.rule.RulesApi.fixed;
import static io.pointbridge.rule.RulesApi.multiplier;
import static io.pointbridge.rule.RulesApi.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.Api;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.TestDatabase;
import io.pointbridge.tenant.member.Membership;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A backtest replays a period's real purchases and reported events against the draft set and the published
 * rules, and reports the difference in points, liability and members affected, without writing anything.
 */
class RuleBacktestIntegrationTests extends IntegrationTest {

    @Test
    void reportsWhatTheDraftSetWouldHaveChangedOverAPeriodOfRealEvents() throws SQLException {
        var group = fixtures.organization(RulesApi.DEMO_GROUP);
        var program = group.cafe().program().id();
        var rules = new RulesApi(api, program);
        var pos = api.withApiKey(group.cafe().apiKey());
        var threshold = rules.draft(rule("Threshold", "purchase", "event.amount > 50", fixed(20)));
        var app = rules.draft(rule("App bonus", "purchase", "event.channel == 'app'", fixed(25)));
        rules.publish();
        var ann = fixtures.member(group);
        var bob = fixtures.member(group);
        var cid = fixtures.member(group);
        var dee = fixtures.member(group);
        // Cid's and Dee's first orders are older than the period, so their purchases in it are repeat orders.
        purchase(pos, cid, "cid-old", "999.00", null);
        purchase(pos, dee, "dee-old", "20.00", null);
        moveBack(program, List.of("cid-old", "dee-old"), 40);
        var from = Instant.now().minus(1, ChronoUnit.DAYS);
        purchase(pos, ann, "ann-1", "120.00", null);
        purchase(pos, ann, "ann-2", "30.00", null);
        purchase(pos, bob, "bob-1", "60.00", null);
        purchase(pos, cid, "cid-1", "10.00", null);
        purchase(pos, dee, "dee-1", "5.00", "app");
        var review = pos.post("/api/v1/members/" + bob.id() + "/events", Map.of("type", "review"));
        assertThat(review.status()).as(review.body()).isEqualTo(201);
        var to = Instant.now().plus(1, ChronoUnit.MINUTES);
        assertThat(rules.change(threshold, rule("Threshold", "purchase", "event.amount > 100", fixed(50))).status())
            .isEqualTo(201);
        var doubled = rules.draft(rule("Double points", "purchase", null, multiplier("2")));
        var firstOrder = rules.draft(rule("First order", "first-order", null, fixed(100)));
        var reviews = rules.draft(rule("Reviews", "review", null, fixed(10)));
        assertThat(rules.admin().post(rules.path() + "/" + app + "/retirement", Map.of()).status()).isEqualTo(201);
        var outstanding = balances(pos, ann, bob, cid, dee);
        var before = stored(group.tenantId());

        var report = rules.backtest(from, to);

        assertThat(stored(group.tenantId())).as("nothing written").isEqualTo(before);
        assertThat(report.path("replayed").path("purchases").asLong()).isEqualTo(5);
        assertThat(report.path("replayed").path("firstOrders").asLong()).as("Ann's and Bob's").isEqualTo(2);
        assertThat(report.path("replayed").path("memberEvents").asLong()).isEqualTo(1);
        assertThat(report.path("replayed").path("enrolments").asLong()).as("all four joined in the period")
            .isEqualTo(4);
        assertThat(report.path("actuallyIssued").asLong()).as("225 at the base rate, 2 x 20 threshold, 25 app bonus")
            .isEqualTo(290);
        assertThat(report.path("published").path("pointsIssued").asLong()).isEqualTo(290);
        assertThat(report.path("published").path("basePoints").asLong()).isEqualTo(225);
        assertThat(byRule(report.path("published"))).containsExactlyInAnyOrderEntriesOf(Map.of(
            threshold + ":1", "2 awards, 40 points", app + ":1", "1 awards, 25 points"));
        assertThat(report.path("draft").path("pointsIssued").asLong()).isEqualTo(225 + 50 + 225 + 200 + 10);
        assertThat(byRule(report.path("draft"))).containsExactlyInAnyOrderEntriesOf(Map.of(
            threshold + ":2", "1 awards, 50 points", doubled + ":1", "5 awards, 225 points",
            firstOrder + ":1", "2 awards, 200 points", reviews + ":1", "1 awards, 10 points"));
        assertThat(report.path("difference").asLong()).isEqualTo(420);
        assertThat(report.path("liability").path("outstandingNow").asLong()).isEqualTo(outstanding);
        assertThat(report.path("liability").path("projected").asLong()).isEqualTo(outstanding + 420);
        var affected = report.path("membersAffected");
        assertThat(affected.path("total").asLong()).isEqualTo(4);
        assertThat(affected.path("gaining").asLong()).as("Ann +280, Bob +150, Cid +10").isEqualTo(3);
        assertThat(affected.path("losing").asLong()).as("Dee loses the app bonus: -20").isEqualTo(1);
        assertThat(affected.path("byTier").size()).as("no member has a tier yet").isEqualTo(1);
        var noTier = affected.path("byTier").get(0);
        assertThat(noTier.has("tier")).isFalse();
        assertThat(noTier.path("members").asLong()).isEqualTo(4);
        assertThat(noTier.path("pointsDifference").asLong()).isEqualTo(420);
        assertThat(report.path("drafts").asInt()).isEqualTo(5);
        assertThat(report.path("draftFingerprint").asString()).hasSize(16);
    }

    @Test
    void refusesAPeriodThatEndsBeforeItStartsOrIsTooLong() {
        var group = fixtures.organization(RulesApi.DEMO_GROUP);
        var rules = new RulesApi(api, group.cafe().program().id());
        var now = Instant.now();

        var backwards = rules.admin().post(rules.path() + "/backtest", Map.of("from", now.toString(),
            "to", now.minusSeconds(1).toString()));
        var tooLong = rules.admin().post(rules.path() + "/backtest",
            Map.of("from", now.minus(400, ChronoUnit.DAYS).toString(), "to", now.toString()));

        assertThat(List.of(backwards, tooLong)).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.problemType()).isEqualTo("invalid-request");
            assertThat(response.json().path("errors").get(0).path("field").asString()).isEqualTo("to");
        });
    }

    private static void purchase(Api pos, Membership member, String orderId, String amount, String channel) {
        var body = new HashMap<String, Object>(Map.of("orderId", orderId, "amount", amount, "currency", "EUR"));
        if (channel != null) {
            body.put("channel", channel);
        }
        var response = pos.post("/api/v1/members/" + member.id() + "/purchases", body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    private static long balances(Api pos, Membership... members) {
        long sum = 0;
        for (var member : members) {
            sum += pos.get("/api/v1/members/" + member.id() + "/balance").number("balance");
        }
        return sum;
    }

    private static Map<String, String> byRule(JsonNode set) {
        var totals = new HashMap<String, String>();
        set.path("byRule").forEach(rule -> totals.put(
            rule.path("ruleId").asString() + ":" + rule.path("version").asInt(),
            rule.path("awards").asLong() + " awards, " + rule.path("points").asLong() + " points"));
        return totals;
    }

    /** Seeds history: these orders are made to have happened that many days ago. */
    private static void moveBack(UUID program, List<String> orders, int days) throws SQLException {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement("""
                    update purchases set purchased_at = purchased_at - make_interval(days => ?)
                     where program_id = ? and order_id = any (?)""")) {
            statement.setInt(1, days);
            statement.setObject(2, program);
            statement.setArray(3, connection.createArrayOf("text", orders.toArray()));
            assertThat(statement.executeUpdate()).isEqualTo(orders.size());
        }
    }

    /** Row counts of the tables a backtest could write to, for the tenant, and the budgets spent. */
    private static String stored(UUID tenant) throws SQLException {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement("""
                select (select count(*) from journal_entries where tenant_id = ?) || '/'
                    || (select count(*) from purchases where tenant_id = ?) || '/'
                    || (select count(*) from earning_rule_awards where tenant_id = ?) || '/'
                    || (select count(*) from earning_rule_usage where tenant_id = ?) || '/'
                    || (select count(*) from earning_rule_versions where tenant_id = ?) || '/'
                    || (select coalesce(sum(budget_spent), 0) from earning_rules where tenant_id = ?) || '/'
                    || (select count(*) from audit_records where tenant_id = ?)""")) {
            for (int i = 1; i <= 7; i++) {
                statement.setObject(i, tenant);
            }
            try (var rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }
}
