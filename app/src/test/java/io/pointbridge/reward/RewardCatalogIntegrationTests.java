package io.pointbridge.reward;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.AuditRecord;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.BrandSetup;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakServer;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The catalog over HTTP with real Keycloak tokens: a tenant admin of the demo group manages rewards (each test in
 * a brand of its own), integrations read their brand's catalog, and a reward is redeemed and its coupon consumed.
 */
class RewardCatalogIntegrationTests extends IntegrationTest {

    @Autowired
    AuditTrail audit;

    @Test
    void aRewardIsRedeemedAndItsCouponConsumedInTheDemoGroup() {
        var group = fixtures.demoGroup();
        var admin = admin();
        var cafe = api.withApiKey(group.cafe().apiKey());
        var created = admin.post("/api/v1/programs/" + group.cafe().program().id() + "/rewards", Map.of(
            "kind", "VOUCHER", "name", "Free cappuccino", "description", "Any size", "pointsCost", 40, "stock", 100,
            "perMemberLimit", 3, "couponValidDays", 30));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var reward = created.text("id");

        // The cafe's POS enrolls a customer, who earns 45 stars with a purchase and redeems 40 for the voucher.
        var member = cafe.post("/api/v1/members", Map.of("externalId", "demo-reward-" + UUID.randomUUID())).text("id");
        var purchase = cafe.post("/api/v1/members/" + member + "/purchases",
            Map.of("orderId", "o-" + UUID.randomUUID(), "amount", "45.00", "currency", "EUR"));
        assertThat(purchase.number("pointsEarned")).isEqualTo(45);
        assertThat(cafe.get("/api/v1/rewards?available=true&limit=100").json().path("items").findValuesAsString("id"))
            .contains(reward);
        var redeemed = cafe.post("/api/v1/members/" + member + "/redemptions", Map.of("rewardId", reward));
        assertThat(redeemed.status()).as(redeemed.body()).isEqualTo(201);
        var code = redeemed.json().path("coupon").path("code").asString();

        // The till checks the code the customer shows, then consumes it under its order.
        var checked = cafe.get("/api/v1/coupons/" + code);
        assertThat(checked.text("state")).isEqualTo("VALID");
        assertThat(checked.text("rewardName")).isEqualTo("Free cappuccino");
        var consumed = cafe.post("/api/v1/coupons/" + code + "/consume", Map.of("reference", "till-1/order-77"));
        assertThat(consumed.status()).as(consumed.body()).isEqualTo(200);
        assertThat(consumed.text("state")).isEqualTo("CONSUMED");

        assertThat(cafe.get("/api/v1/members/" + member + "/balance").number("balance")).isEqualTo(5);
        assertThat(admin.get("/api/v1/rewards/" + reward).number("stock")).isEqualTo(99);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void aTenantAdminChangesARewardAndItsStockAndEveryChangeIsAudited() {
        var group = fixtures.demoGroup();
        var shop = newBrand(group);
        var admin = admin();
        var created = create(admin, shop, rewardBody("EXPERIENCE", 500));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var path = "/api/v1/rewards/" + created.text("id");
        assertThat(created.json().path("stock").isMissingNode()).as("unlimited stock").isTrue();
        assertThat(created.text("brandId")).isEqualTo(shop.brand().id().toString());

        var update = rewardBody("EXPERIENCE", 450);
        update.remove("kind");
        update.put("name", "Premiere night");
        update.put("active", true);
        var updated = admin.send(admin.builder(path).header("Content-Type", "application/json")
            .header("Idempotency-Key", "update-" + UUID.randomUUID()).PUT(BodyPublishers.ofString(Api.json(update))));
        var limited = admin.post(path + "/stock", Map.of("set", 10));
        var restocked = admin.post(path + "/stock", Map.of("add", 5));
        var sold = admin.post(path + "/stock", Map.of("add", -15));
        var unlimited = admin.post(path + "/stock", Map.of("unlimited", true));

        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.text("name")).isEqualTo("Premiere night");
        assertThat(updated.number("pointsCost")).isEqualTo(450);
        assertThat(List.of(limited, restocked, sold)).extracting(response -> response.number("stock"))
            .containsExactly(10L, 15L, 0L);
        assertThat(unlimited.json().path("stock").isMissingNode()).isTrue();
        var records = fixtures.as(group, () -> audit.about("reward:" + created.text("id")));
        assertThat(records).extracting(AuditRecord::action).containsExactly("reward.created", "reward.updated",
            "reward.stock-changed", "reward.stock-changed", "reward.stock-changed", "reward.stock-changed");
        assertThat(records.get(1).before().path("name").asString()).isEqualTo("EXPERIENCE for 500");
        assertThat(records.get(1).after().path("name").asString()).isEqualTo("Premiere night");
        assertThat(records.get(3).after().path("change").asString()).isEqualTo("add 5");
        assertThat(records).allSatisfy(record -> assertThat(record.actor()).startsWith("user:"));
    }

    @Test
    void refusesNegativeStockAndBadTermsWithTheirFieldAndSavesNothing() {
        var group = fixtures.demoGroup();
        var shop = newBrand(group);
        var admin = admin();
        var reward = create(admin, shop, withStock(rewardBody("GIFT", 100), 3)).text("id");
        var before = admin.get("/api/v1/rewards?programId=" + shop.program().id()).json();

        var cases = new ArrayList<Map.Entry<Response, String>>();
        cases.add(Map.entry(create(admin, shop, withStock(rewardBody("GIFT", 100), -1)), "stock"));
        var reversed = rewardBody("VOUCHER", 100);
        reversed.put("validFrom", "2027-02-01T00:00:00Z");
        reversed.put("validUntil", "2027-01-01T00:00:00Z");
        cases.add(Map.entry(create(admin, shop, reversed), "validUntil"));
        cases.add(Map.entry(create(admin, shop, rewardBody("LOTTERY", 100)), "kind"));
        cases.add(Map.entry(create(admin, shop, rewardBody("VOUCHER", 0)), "pointsCost"));
        cases.add(Map.entry(admin.post("/api/v1/rewards/" + reward + "/stock", Map.of("set", -2)), "set"));
        cases.add(Map.entry(admin.post("/api/v1/rewards/" + reward + "/stock", Map.of("add", 2, "set", 4)), "add"));
        cases.add(Map.entry(admin.post("/api/v1/rewards/" + reward + "/stock", Map.of()), "add"));
        var belowZero = admin.post("/api/v1/rewards/" + reward + "/stock", Map.of("add", -4));

        assertThat(cases).allSatisfy(entry -> {
            assertThat(entry.getKey().status()).as(entry.getKey().body()).isEqualTo(400);
            assertThat(entry.getKey().problemType()).isEqualTo("invalid-request");
            assertThat(entry.getKey().json().path("errors").findValuesAsString("field"))
                .containsExactly(entry.getValue());
        });
        assertThat(belowZero.status()).isEqualTo(422);
        assertThat(belowZero.problemType()).isEqualTo("negative-stock");
        assertThat(belowZero.number("stock")).isEqualTo(3);
        assertThat(admin.get("/api/v1/rewards?programId=" + shop.program().id()).json()).isEqualTo(before);
        assertThat(fixtures.as(group, () -> audit.about("reward:" + reward))).hasSize(1);
    }

    @Test
    void integrationsReadOnlyTheirBrandsCatalogAndChangeNothing() {
        var group = fixtures.demoGroup();
        var shop = newBrand(group);
        var other = newBrand(group);
        var admin = admin();
        var ours = create(admin, shop, rewardBody("VOUCHER", 10)).text("id");
        var theirs = create(admin, other, rewardBody("VOUCHER", 10)).text("id");
        var pos = api.withApiKey(shop.apiKey());

        var catalog = pos.get("/api/v1/rewards").json().path("items").findValuesAsString("id");
        var foreign = pos.get("/api/v1/rewards/" + theirs);
        var foreignBrand = pos.get("/api/v1/rewards?brandId=" + other.brand().id());
        var foreignProgram = pos.get("/api/v1/rewards?programId=" + other.program().id());
        var creating = pos.post("/api/v1/programs/" + shop.program().id() + "/rewards", rewardBody("VOUCHER", 10));
        var restocking = pos.post("/api/v1/rewards/" + ours + "/stock", Map.of("set", 1000));

        assertThat(catalog).containsExactly(ours);
        assertThat(pos.get("/api/v1/rewards/" + ours).status()).isEqualTo(200);
        assertThat(foreign.problemType()).isEqualTo("reward-not-found");
        assertThat(foreignBrand.problemType()).isEqualTo("brand-not-found");
        assertThat(foreignProgram.problemType()).isEqualTo("program-not-found");
        assertThat(List.of(creating, restocking)).allSatisfy(response -> {
            assertThat(response.status()).isEqualTo(403);
            assertThat(response.problemType()).isEqualTo("forbidden");
        });
        assertThat(admin.get("/api/v1/rewards/" + ours).json().path("stock").isMissingNode()).isTrue();
    }

    @Test
    void listsTheCatalogInPagesAndWhatIsAvailableNowWhenAsked() {
        var group = fixtures.demoGroup();
        var shop = newBrand(group);
        var admin = admin();
        var offered = new ArrayList<String>();
        for (int i = 0; i < 3; i++) {
            offered.add(create(admin, shop, rewardBody("VOUCHER", 10 + i)).text("id"));
        }
        var soldOut = create(admin, shop, withStock(rewardBody("GIFT", 10), 0)).text("id");
        var later = rewardBody("VOUCHER", 10);
        later.put("validFrom", "2999-01-01T00:00:00Z");
        var notYet = create(admin, shop, later).text("id");
        var withdrawn = rewardBody("VOUCHER", 10);
        withdrawn.put("active", false);
        var gone = create(admin, shop, withdrawn).text("id");
        var pos = api.withApiKey(shop.apiKey());

        var all = pages(pos, "/api/v1/rewards?limit=2");
        var available = pages(pos, "/api/v1/rewards?available=true&limit=2");

        assertThat(all).extracting(item -> item.path("id").asString())
            .containsExactly(offered.get(0), offered.get(1), offered.get(2), soldOut, notYet, gone);
        assertThat(available).extracting(item -> item.path("id").asString()).containsExactlyElementsOf(offered);
        assertThat(pos.get("/api/v1/rewards?cursor=bm90LWEtY3Vyc29y").problemType()).isEqualTo("invalid-cursor");
    }

    private static List<JsonNode> pages(Api api, String path) {
        var items = new ArrayList<JsonNode>();
        String cursor = null;
        int pages = 0;
        do {
            var page = api.get(path + (cursor == null ? "" : "&cursor=" + cursor)).json();
            page.path("items").forEach(items::add);
            cursor = page.path("nextCursor").isString() ? page.path("nextCursor").asString() : null;
            assertThat(++pages).as("pages").isLessThan(10);
        } while (cursor != null);
        return items;
    }

    private BrandSetup newBrand(Group group) {
        return fixtures.brand(group, "shop-" + UUID.randomUUID().toString().substring(0, 8), "Shop Points");
    }

    private Api admin() {
        return api.withToken(KeycloakServer.ensureRunning().token("demo-admin", "demo-admin-pass"));
    }

    private static Response create(Api admin, BrandSetup brand, Map<String, Object> body) {
        return admin.post("/api/v1/programs/" + brand.program().id() + "/rewards", body);
    }

    private static Map<String, Object> rewardBody(String kind, long cost) {
        var body = new HashMap<String, Object>();
        body.put("kind", kind);
        body.put("name", kind + " for " + cost);
        body.put("pointsCost", cost);
        return body;
    }

    private static Map<String, Object> withStock(Map<String, Object> body, long stock) {
        body.put("stock", stock);
        return body;
    }
}
