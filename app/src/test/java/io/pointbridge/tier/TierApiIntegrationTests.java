package io.pointbridge.tier;

import static io.pointbridge.tier.TierSchemeIntegrationTests.leaf;
import static io.pointbridge.tier.TierSchemeIntegrationTests.levelJson;
import static io.pointbridge.tier.TierSchemeIntegrationTests.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.KeycloakServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo, all through the API: in the demo group, a tenant admin sets up tiers, a shop's integration
 * enrolls a customer and posts purchases, and the customer reaches the next tier with the purchase that
 * qualifies them, sees it with what is missing for the one after, and earns more from then on.
 */
class TierApiIntegrationTests extends TierIntegrationTest {

    private Group group;
    private Api admin;
    private Api shop;

    @BeforeEach
    void theDemoGroupsCafe() {
        clock.set(Instant.parse("2031-03-10T10:00:00Z"));
        group = fixtures.organization("demo-group");
        admin = api.withToken(KeycloakServer.ensureRunning().token("demo-admin", "demo-admin-pass"));
        shop = api.withApiKey(group.cafe().apiKey());
    }

    @Test
    void aMemberReachesTheNextTierWithThePurchaseThatQualifiesThem() {
        var tiers = Map.of("window", Map.of("kind", "rolling", "months", 12), "levels", List.of(
            levelJson("bronze", "Bronze", "1", null),
            levelJson("silver", "Silver", "1.25", Map.of("any", List.of(leaf("spend", 10_000), leaf("orders", 5)))),
            levelJson("gold", "Gold", "1.5", Map.of("all", List.of(leaf("spend", 25_000), leaf("orders", 8))))));
        var configured = put(admin, "/api/v1/programs/" + group.cafe().program().id() + "/tiers", tiers, "tiers-demo-"
            + UUID.randomUUID());
        assertThat(configured.status()).as(configured.body()).isEqualTo(201);
        var member = shop.post("/api/v1/members", Map.of("externalId", "cust-" + UUID.randomUUID())).text("id");
        var tier = "/api/v1/members/" + member + "/tier";

        var bronze = shop.get(tier);
        assertThat(bronze.status()).as(bronze.body()).isEqualTo(200);
        assertThat(bronze.text("code")).isEqualTo("bronze");
        assertThat(bronze.json().path("next").path("code").asString()).isEqualTo("silver");
        assertThat(bronze.json().path("next").path("missing").toString())
            .isEqualTo("[{\"spend\":10000},{\"orders\":5}]");

        assertThat(buy(member, "60.00").number("pointsEarned")).isEqualTo(60);
        assertThat(buy(member, "45.00").number("pointsEarned")).as("earned before the upgrade").isEqualTo(45);

        var silver = shop.get(tier);
        assertThat(silver.text("code")).isEqualTo("silver");
        assertThat(silver.text("since")).isEqualTo("2031-03-10T10:00:00Z");
        assertThat(silver.text("reviewAt")).isEqualTo("2032-03-10T10:00:00Z");
        assertThat(silver.json().path("multiplier").decimalValue()).isEqualByComparingTo("1.25");
        assertThat(silver.json().path("counters").toString()).isEqualTo("{\"orders\":2,\"points\":105,\"spend\":10500}");
        assertThat(silver.json().path("next").path("missing").toString()).isEqualTo("[{\"orders\":6,\"spend\":14500}]");
        clock.advance(Duration.ofDays(1));
        assertThat(buy(member, "10.00").number("pointsEarned")).as("10 × 1.25").isEqualTo(12);
        var keep = shop.get(tier).json().path("keep");
        assertThat(keep.path("by").asString()).isEqualTo("2032-03-10T10:00:00Z");
        assertThat(keep.path("met").asBoolean()).isFalse();
        assertThat(keep.path("missing").toString()).as("counted since Silver was reached, to earn it again")
            .isEqualTo("[{\"spend\":9000},{\"orders\":4}]");

        var history = shop.get(tier + "/history");
        assertThat(history.json().path("items")).hasSize(1);
        assertThat(history.json().path("items").get(0).path("kind").asString()).isEqualTo("upgraded");
        assertThat(history.json().path("items").get(0).path("reason").asString()).isEqualTo("activity");
        assertThat(history.json().path("items").get(0).path("to").path("code").asString()).isEqualTo("silver");
        assertThat(outboxPayloads(member)).singleElement().satisfies(payload -> assertThat(payload)
            .contains("\"kind\": \"upgraded\"").contains("\"code\": \"silver\""));
    }

    @Test
    void integrationsReportCustomCountersOnceAndAdminsOrOperatorsRunTheReviews() {
        var member = shop.post("/api/v1/members", Map.of("externalId", "cust-" + UUID.randomUUID())).text("id");
        var activity = "/api/v1/members/" + member + "/qualifying-activity";
        var report = Map.of("counter", "custom:visits", "amount", 2, "reference", "visit-2031-03-10");

        var reported = shop.post(activity, report);
        assertThat(reported.status()).as(reported.body()).isEqualTo(201);
        assertThat(reported.json().has("tier")).as("the program has no tiers yet").isFalse();
        assertThat(shop.post(activity, report).problemType()).isEqualTo("duplicate-activity");
        assertThat(shop.post(activity, Map.of("counter", "spend", "amount", 2, "reference", "x")).problemType())
            .isEqualTo("invalid-request");
        var zero = shop.post(activity, Map.of("counter", "custom:visits", "amount", 0, "reference", "visit-zero"));
        assertThat(zero.problemType()).isEqualTo("invalid-request");
        assertThat(zero.json().path("errors").findValuesAsString("field")).containsExactly("amount");
        assertThat(shop.get("/api/v1/members/" + member + "/tier").problemType()).isEqualTo("tiers-not-configured");

        assertThat(admin.post("/api/v1/tier-reviews", Map.of()).status()).isEqualTo(200);
        assertThat(shop.post("/api/v1/tier-reviews", Map.of()).status()).isEqualTo(403);
        var operator = api.withToken(KeycloakServer.ensureRunning().token("operator", "operator-pass"));
        var run = operator.post("/api/v1/tenants/" + group.tenantId() + "/tier-reviews", Map.of());
        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertThat(run.json().has("members")).isTrue();
        assertThat(operator.post("/api/v1/tenants/" + UUID.randomUUID() + "/tier-reviews", Map.of()).problemType())
            .isEqualTo("tenant-not-found");
    }

    private Response buy(String member, String amount) {
        var bought = shop.post("/api/v1/members/" + member + "/purchases", Map.of("orderId", "order-" + UUID.randomUUID(),
            "amount", amount, "currency", "EUR"));
        assertThat(bought.status()).as(bought.body()).isEqualTo(201);
        return bought;
    }

    private List<String> outboxPayloads(String member) {
        return inTenant(group, () -> jdbc.sql("""
                select payload::text from outbox_events where type = 'tier.upgraded' and payload ->> 'membershipId' = :member""")
            .param("member", member).query(String.class).list());
    }
}
