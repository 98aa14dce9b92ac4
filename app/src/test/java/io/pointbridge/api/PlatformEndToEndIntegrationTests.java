package io.pointbridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakRealm;
import io.pointbridge.testing.KeycloakServer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The platform over real HTTP with real Keycloak tokens, from onboarding a tenant to a member's history. */
class PlatformEndToEndIntegrationTests extends IntegrationTest {

    private final KeycloakRealm realm = new KeycloakRealm(KeycloakServer.ensureRunning());

    @AfterEach
    void removeProvisionedIdentities() {
        realm.close();
    }

    @Test
    void runsALoyaltyProgramFromOnboardingToAMembersHistory() {
        var run = UUID.randomUUID().toString().substring(0, 8);
        var operator = api.withToken(KeycloakUsers.operator());

        var onboarded = operator.post("/api/v1/tenants", KeycloakRealm.newTenant("e2e-" + run, "E2E Group " + run));
        realm.removesAfterwards("e2e-" + run);
        assertThat(onboarded.status()).as(onboarded.body()).isEqualTo(201);
        assertThat(onboarded.text("slug")).isEqualTo("e2e-" + run);
        assertThat(onboarded.text("settlementCurrency")).isEqualTo("EUR");
        assertThat(onboarded.headers().firstValue("Location")).hasValue("/api/v1/tenants/" + onboarded.text("id"));

        var tenantId = DemoGroup.ensureExists(api);
        var admin = api.withToken(KeycloakUsers.demoAdmin());
        var cafe = created(admin.post("/api/v1/brands", Map.of("code", "cafe-" + run, "name", "Cafe " + run)));
        var cinema = created(admin.post("/api/v1/brands", Map.of("code", "cinema-" + run, "name", "Cinema " + run)));
        var stars = created(admin.post("/api/v1/brands/" + cafe.text("id") + "/programs", program("stars-" + run,
            "Cafe Stars", 10, 12)));
        var reels = created(admin.post("/api/v1/brands/" + cinema.text("id") + "/programs", program("reels-" + run,
            "Cinema Reels", 1, 24)));
        assertThat(stars.text("brandId")).isEqualTo(cafe.text("id"));
        assertThat(stars.number("earnPoints")).isEqualTo(10);
        assertThat(ids(admin.get("/api/v1/brands").json())).contains(cafe.text("id"), cinema.text("id"));
        assertThat(ids(admin.get("/api/v1/programs?brandId=" + cinema.text("id")).json()))
            .containsExactly(reels.text("id"));

        var keys = "/api/v1/brands/" + cafe.text("id") + "/api-keys";
        var issued = created(admin.post(keys, Map.of("name", "till")));
        var secret = issued.text("apiKey");
        assertThat(secret).startsWith("pbk_");
        var listed = admin.get(keys);
        assertThat(ids(listed.json())).containsExactly(issued.text("id"));
        assertThat(listed.json().get(0).has("apiKey")).isFalse();
        assertThat(listed.body()).doesNotContain(secret.substring(secret.lastIndexOf('_') + 1));

        var pos = api.withApiKey(secret);
        assertThat(ids(pos.get("/api/v1/brands").json())).containsExactly(cafe.text("id"));
        var member = created(pos.post("/api/v1/members", Map.of("externalId", "customer-" + run)));
        assertThat(member.text("programId")).isEqualTo(stars.text("id"));
        var memberPath = "/api/v1/members/" + member.text("id");

        var beforePurchase = Instant.now();
        var purchase = created(pos.post(memberPath + "/purchases", Map.of("orderId", "order-1", "amount", "45.67",
            "currency", "EUR", "lines", List.of(
                Map.of("sku", "latte", "category", "drinks", "quantity", 2, "amount", "9.00"),
                Map.of("sku", "cake", "category", "food", "quantity", 1, "amount", "36.67")))));
        var afterPurchase = Instant.now();
        assertThat(purchase.number("amountMinor")).isEqualTo(4567);
        assertThat(purchase.number("pointsEarned")).as("10 per EUR 1.00 of 45.67, rounded down").isEqualTo(456);
        assertThat(purchase.number("balanceAfter")).isEqualTo(456);

        var refund = created(pos.post(memberPath + "/purchases/order-1/refunds",
            Map.of("amount", "10.00", "currency", "EUR", "reference", "return-1")));
        assertThat(refund.number("pointsReversed")).as("456 x 10.00 / 45.67, rounded down").isEqualTo(99);
        assertThat(refund.number("pointsNotRecovered")).isZero();
        assertThat(refund.number("balanceAfter")).isEqualTo(357);

        var spend = created(pos.post(memberPath + "/spends", Map.of("points", 100, "reference", "till-7")));
        assertThat(spend.number("points")).isEqualTo(-100);
        assertThat(spend.number("balance")).isEqualTo(257);

        var balance = pos.get(memberPath + "/balance").json();
        assertThat(balance.path("balance").asLong()).isEqualTo(257);
        assertThat(balance.path("available").asLong()).isEqualTo(257);
        assertThat(balance.path("pending").asLong()).isZero();
        assertThat(balance.path("nextExpiry").path("points").asLong()).isEqualTo(257);
        assertThat(Instant.parse(balance.path("nextExpiry").path("at").asString()))
            .as("twelve months after the purchase")
            .isBetween(inMonths(beforePurchase, 12).truncatedTo(ChronoUnit.MILLIS),
                inMonths(afterPurchase, 12).plusMillis(1));

        var adjustment = created(admin.post(memberPath + "/adjustments",
            Map.of("points", 50, "reason", "goodwill: late delivery")));
        assertThat(adjustment.number("balance")).isEqualTo(307);
        var reversal = created(admin.post(memberPath + "/entries/" + spend.text("entryId") + "/reversal",
            Map.of("reason", "spent by mistake")));
        assertThat(reversal.number("points")).isEqualTo(100);
        assertThat(reversal.number("balance")).isEqualTo(407);

        var history = historyInPagesOfTwo(pos, memberPath);
        assertThat(history.pages()).isEqualTo(3);
        assertThat(history.lines()).extracting(line -> line.path("kind").asString())
            .containsExactly("REVERSAL", "ADJUSTMENT", "SPEND", "REFUND", "EARN");
        assertThat(history.lines()).extracting(line -> line.path("points").asLong())
            .containsExactly(100L, 50L, -100L, -99L, 456L);
        assertThat(history.lines()).extracting(line -> line.path("entryId").asString())
            .containsExactly(reversal.text("entryId"), adjustment.text("entryId"), spend.text("entryId"),
                refund.text("entryId"), purchase.text("entryId"));
        assertThat(history.lines()).extracting(line -> Instant.parse(line.path("at").asString()))
            .isSortedAccordingTo((newer, older) -> older.compareTo(newer));
        assertThat(history.lines().get(0).path("reverses").asString()).isEqualTo(spend.text("entryId"));
        assertThat(history.lines().get(1).path("memo").asString()).isEqualTo("goodwill: late delivery");
        assertThat(history.lines().get(2).path("reversedBy").asString()).isEqualTo(reversal.text("entryId"));

        var finalBalance = pos.get(memberPath + "/balance").json();
        assertThat(finalBalance.path("balance").asLong()).isEqualTo(407);
        assertThat(finalBalance.path("available").asLong()).isEqualTo(407);
        assertThat(finalBalance.path("nextExpiry").path("points").asLong())
            .as("the purchase's lot, restored by the reversal; the adjustment does not expire").isEqualTo(357);
        assertThat(fixtures.violations(tenantId)).isEmpty();
    }

    @Test
    void documentsTheApiWithoutAuthentication() {
        var document = api.get("/v3/api-docs");

        assertThat(document.status()).isEqualTo(200);
        var paths = document.json().path("paths");
        assertThat(paths.propertyNames()).contains("/api/v1/tenants", "/api/v1/brands",
            "/api/v1/brands/{brandId}/programs", "/api/v1/brands/{brandId}/api-keys", "/api/v1/members",
            "/api/v1/members/{memberId}/purchases", "/api/v1/members/{memberId}/purchases/{orderId}/refunds",
            "/api/v1/members/{memberId}/spends", "/api/v1/members/{memberId}/adjustments",
            "/api/v1/members/{memberId}/entries/{entryId}/reversal", "/api/v1/members/{memberId}/balance",
            "/api/v1/members/{memberId}/history");
        assertThat(paths.path("/api/v1/members/{memberId}/spends").path("post").path("parameters").valueStream()
            .map(parameter -> parameter.path("name").asString())).contains("memberId", "Idempotency-Key");
        assertThat(paths.path("/api/v1/members/{memberId}/history").path("get").path("parameters").valueStream()
            .map(parameter -> parameter.path("name").asString())).contains("cursor", "limit");
    }

    /** All of a member's history, read a page of two at a time by following {@code nextCursor}. */
    private static History historyInPagesOfTwo(Api api, String memberPath) {
        var lines = new ArrayList<JsonNode>();
        var seen = new HashSet<String>();
        int pages = 0;
        String cursor = null;
        do {
            var page = api.get(memberPath + "/history?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            var items = page.json().path("items").valueStream().toList();
            assertThat(items).hasSizeBetween(1, 2);
            items.forEach(item -> assertThat(seen.add(item.path("entryId").asString())).as("no duplicates").isTrue());
            lines.addAll(items);
            pages++;
            cursor = page.json().path("nextCursor").isString() ? page.json().path("nextCursor").asString() : null;
        } while (cursor != null && pages < 10);
        return new History(lines, pages);
    }

    private record History(List<JsonNode> lines, int pages) {
    }

    private static Map<String, Object> program(String code, String pointsName, long pointsPerEuro, int expiryMonths) {
        return Map.of("code", code, "name", pointsName, "pointsName", pointsName, "purchaseCurrency", "EUR",
            "earnRate", Map.of("points", pointsPerEuro, "perMinorUnits", 100), "expiryMonths", expiryMonths);
    }

    private static Instant inMonths(Instant instant, int months) {
        return instant.atZone(ZoneOffset.UTC).plusMonths(months).toInstant();
    }

    private static List<String> ids(JsonNode list) {
        return list.valueStream().map(item -> item.path("id").asString()).toList();
    }

    private static Response created(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response;
    }
}
