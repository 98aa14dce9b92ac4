package io.pointbridge.referral;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.AuditRecord;
import io.pointbridge.tenant.identity.PersonMerges;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.tenant.referral.Referrals;
import io.pointbridge.tenant.referral.Referrals.NewTerms;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Concurrently;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakServer;
import io.pointbridge.testing.TestDatabase;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Referrals over HTTP: codes, naming a referrer, rewards on the first qualifying purchase, and every refusal. */
class ReferralIntegrationTests extends IntegrationTest {

    /** 100 points to the referrer, 50 to the referee, on a purchase of 20.00 EUR or more. */
    private static final NewTerms TERMS = new NewTerms(true, 100, 50, new BigDecimal("20.00"), 30, null);

    @Autowired
    Referrals referrals;

    @Autowired
    PersonMerges merges;

    @Autowired
    AuditTrail audit;

    @Test
    void bothSidesAreRewardedOnTheRefereesFirstQualifyingPurchase() throws SQLException {
        var group = offering(TERMS);
        var pos = pos(group);
        var referrer = fixtures.member(group);
        var code = pos.get("/api/v1/members/" + referrer.id() + "/referral-code");
        assertThat(code.status()).as(code.body()).isEqualTo(200);
        assertThat(code.text("code")).matches("[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}");
        assertThat(pos.get("/api/v1/members/" + referrer.id() + "/referral-code").text("code"))
            .as("the same code every time").isEqualTo(code.text("code"));
        var referee = enroll(pos);

        var named = pos.post("/api/v1/members/" + referee + "/referral",
            Map.of("code", code.text("code").toLowerCase(Locale.ROOT).replace("-", "")));
        assertThat(named.status()).as(named.body()).isEqualTo(201);
        assertThat(named.text("status")).isEqualTo("PENDING");
        assertThat(named.text("referrerId")).isEqualTo(referrer.id().toString());

        purchase(pos, referee, "19.99");
        assertThat(pos.get("/api/v1/members/" + referee + "/referral").text("status")).as("below the minimum")
            .isEqualTo("PENDING");
        var qualifying = purchase(pos, referee, "25.00");
        purchase(pos, referee, "40.00");

        assertThat(qualifying.number("pointsEarned")).isEqualTo(25);
        var referral = pos.get("/api/v1/members/" + referee + "/referral");
        assertThat(referral.text("status")).isEqualTo("REWARDED");
        assertThat(referral.text("purchaseId")).isEqualTo(qualifying.text("purchaseId"));
        assertThat(referral.number("referrerPointsPaid")).isEqualTo(100);
        assertThat(referral.number("refereePointsPaid")).isEqualTo(50);
        assertThat(balance(pos, referee)).isEqualTo(19 + 25 + 40 + 50);
        assertThat(balance(pos, referrer.id().toString())).isEqualTo(100);
        var line = pos.get("/api/v1/members/" + referrer.id() + "/history?limit=1").json().path("items").get(0);
        assertThat(line.path("kind").asString()).isEqualTo("EARN");
        assertThat(line.path("reference").asString()).isEqualTo("referral:" + referral.text("id"));
        var made = pos.get("/api/v1/members/" + referrer.id() + "/referrals").json().path("items");
        assertThat(made.findValuesAsString("id")).containsExactly(referral.text("id"));
        assertThat(outboxTypes(group)).containsSubsequence("referral.claimed", "referral.rewarded")
            .containsOnlyOnce("referral.rewarded");
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void refusesSelfReferralsAndReferralsWithinOnePersonAndSavesNothing() throws SQLException {
        var group = offering(TERMS);
        fixtures.as(group, () -> referrals.setTerms(group.cinema().program().id(), TERMS, "test:referrals", null));
        var pos = pos(group);
        var referrer = fixtures.member(group);
        var code = code(pos, referrer.id().toString());
        var sameEmail = Map.<String, Object>of("email", "twin@example.com", "emailVerified", true);
        var owner = enroll(pos, sameEmail);
        var withOwnersEmail = enroll(pos, sameEmail);
        var ownersCode = code(pos, owner);
        var merged = fixtures.member(group);
        fixtures.as(group,
            () -> merges.merge(referrer.personId(), merged.personId(), "one customer", "test:referrals", null));
        var cinemaMember = api.withApiKey(group.cinema().apiKey()).post("/api/v1/members",
            Map.of("externalId", "c-" + UUID.randomUUID())).text("id");

        var self = pos.post("/api/v1/members/" + referrer.id() + "/referral", Map.of("code", code));
        var sharedEmail = pos.post("/api/v1/members/" + withOwnersEmail + "/referral", Map.of("code", ownersCode));
        var samePerson = pos.post("/api/v1/members/" + merged.id() + "/referral", Map.of("code", code));
        var otherProgram = api.withApiKey(group.cinema().apiKey()).post("/api/v1/members/" + cinemaMember + "/referral",
            Map.of("code", code));
        var unknown = pos.post("/api/v1/members/" + enroll(pos) + "/referral", Map.of("code", "2345-6789"));
        var malformed = pos.post("/api/v1/members/" + enroll(pos) + "/referral", Map.of("code", "no!"));

        assertProblem(self, 422, "self-referral");
        assertProblem(sharedEmail, 422, "same-identity-referral");
        assertProblem(samePerson, 422, "same-identity-referral");
        assertProblem(otherProgram, 404, "referral-code-not-found");
        assertProblem(unknown, 404, "referral-code-not-found");
        assertProblem(malformed, 404, "referral-code-not-found");
        assertThat(rows(group, "referrals")).isZero();
    }

    @Test
    void refusesASecondReferrerAMutualReferralAndLateOrUnofferedClaims() throws SQLException {
        var group = offering(TERMS);
        var pos = pos(group);
        var ann = enroll(pos);
        var bob = enroll(pos);
        var buyer = enroll(pos);
        purchase(pos, buyer, "20.00");
        assertThat(pos.post("/api/v1/members/" + bob + "/referral", Map.of("code", code(pos, ann))).status())
            .isEqualTo(201);

        var second = pos.post("/api/v1/members/" + bob + "/referral", Map.of("code", code(pos, enroll(pos))));
        var mutual = pos.post("/api/v1/members/" + ann + "/referral", Map.of("code", code(pos, bob)));
        var late = pos.post("/api/v1/members/" + buyer + "/referral", Map.of("code", code(pos, ann)));
        fixtures.as(group, () -> referrals.setTerms(group.cafe().program().id(),
            new NewTerms(false, 100, 50, BigDecimal.ZERO, 30, null), "test:referrals", null));
        var unoffered = pos.post("/api/v1/members/" + enroll(pos) + "/referral", Map.of("code", code(pos, ann)));

        assertProblem(second, 409, "already-referred");
        assertProblem(mutual, 422, "mutual-referral");
        assertProblem(late, 422, "referral-window-closed");
        assertProblem(unoffered, 422, "referrals-not-offered");
        assertThat(rows(group, "referrals")).isEqualTo(1);
    }

    @Test
    void aReferralIsDisqualifiedWhenTheTwoTurnOutToBeOnePersonBeforeThePurchase() throws SQLException {
        var group = offering(TERMS);
        var pos = pos(group);
        var referrer = enroll(pos);
        var referee = enroll(pos);
        assertThat(pos.post("/api/v1/members/" + referee + "/referral", Map.of("code", code(pos, referrer))).status())
            .isEqualTo(201);
        for (var member : List.of(referrer, referee)) {
            assertThat(pos.post("/api/v1/members/" + member + "/contacts",
                Map.of("phone", "+43 660 1234567", "phoneVerified", true)).status()).isEqualTo(201);
        }

        purchase(pos, referee, "30.00");

        var referral = pos.get("/api/v1/members/" + referee + "/referral");
        assertThat(referral.text("status")).isEqualTo("DISQUALIFIED");
        assertThat(referral.text("disqualifiedBecause")).isEqualTo("same-identity");
        assertThat(balance(pos, referee)).isEqualTo(30);
        assertThat(balance(pos, referrer)).isZero();
        assertThat(outboxTypes(group)).contains("referral.disqualified").doesNotContain("referral.rewarded");
    }

    @Test
    void aRefereeBuyingManyTimesAtOnceIsRewardedOnce() throws Exception {
        var group = offering(TERMS);
        var pos = pos(group);
        var referrer = enroll(pos);
        var referee = enroll(pos);
        pos.post("/api/v1/members/" + referee + "/referral", Map.of("code", code(pos, referrer)));

        var purchases = Concurrently.run(8, client -> purchase(pos, referee, "20.00"));

        assertThat(purchases).extracting(Response::status).containsOnly(201);
        assertThat(balance(pos, referee)).isEqualTo(8 * 20 + 50);
        assertThat(balance(pos, referrer)).isEqualTo(100);
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void aReferrerIsRewardedForNoMoreReferralsThanTheProgramAllowsWhileRefereesAlwaysAre() throws Exception {
        var group = offering(new NewTerms(true, 100, 50, BigDecimal.ZERO, 30, 2));
        var pos = pos(group);
        var referrer = enroll(pos);
        var code = code(pos, referrer);
        var referees = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            var referee = enroll(pos);
            var named = pos.post("/api/v1/members/" + referee + "/referral", Map.of("code", code));
            assertThat(named.status()).isEqualTo(201);
            referees.add(referee);
        }

        var purchases = Concurrently.run(referees.size(), client -> purchase(pos, referees.get(client), "1.00"));

        assertThat(purchases).extracting(Response::status).containsOnly(201);
        assertThat(balance(pos, referrer)).isEqualTo(200);
        assertThat(referees).allSatisfy(referee -> assertThat(balance(pos, referee)).isEqualTo(1 + 50));
        var paid = pos.get("/api/v1/members/" + referrer + "/referrals?limit=10").json().path("items")
            .findValuesAsString("referrerPointsPaid");
        assertThat(paid).containsExactlyInAnyOrder("100", "100", "0", "0", "0");
        assertThat(fixtures.violations(group)).isEmpty();
    }

    @Test
    void aTenantAdminSetsTheTermsIntegrationsReadThemAndBadTermsAreRefused() {
        var group = fixtures.demoGroup();
        var shop = fixtures.brand(group, "refer-" + UUID.randomUUID().toString().substring(0, 8), "Shop Points");
        var path = "/api/v1/programs/" + shop.program().id() + "/referral-terms";
        var admin = api.withToken(KeycloakServer.ensureRunning().token("demo-admin", "demo-admin-pass"));
        var pos = api.withApiKey(shop.apiKey());
        assertProblem(pos.get(path), 404, "referral-terms-not-set");

        var set = put(admin, path, terms(true, 200, 100, "15.50"));
        var read = pos.get(path);
        var bad = List.of(
            Map.entry(put(admin, path, terms(true, 0, 0, "15.50")), "refereePoints"),
            Map.entry(put(admin, path, terms(true, -1, 100, "15.50")), "referrerPoints"),
            Map.entry(put(admin, path, terms(true, 10, 10, "-1")), "minimumPurchase"));
        var tooPrecise = put(admin, path, terms(true, 10, 10, "1.001"));
        var byIntegration = put(pos, path, terms(true, 10, 10, "1"));

        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(set.json());
        assertThat(read.json().path("minimumPurchase").decimalValue()).isEqualByComparingTo("15.50");
        assertThat(read.text("currency")).isEqualTo("EUR");
        assertThat(bad).allSatisfy(entry -> {
            assertThat(entry.getKey().status()).as(entry.getKey().body()).isEqualTo(400);
            assertThat(entry.getKey().json().path("errors").findValuesAsString("field"))
                .containsExactly(entry.getValue());
        });
        assertProblem(tooPrecise, 400, "amount-too-precise");
        assertProblem(byIntegration, 403, "forbidden");
        assertThat(pos.get(path).json()).isEqualTo(set.json());
        var records = fixtures.as(group, () -> audit.about("program:" + shop.program().id())).stream()
            .filter(record -> !record.action().equals("program.created")).toList();
        assertThat(records).extracting(AuditRecord::action).containsExactly("referral-terms.set");
        assertThat(records.getFirst().before()).isNull();
        assertThat(records.getFirst().after().path("referrerPoints").asLong()).isEqualTo(200);
    }

    private Group offering(NewTerms terms) {
        var group = fixtures.group();
        fixtures.as(group, () -> referrals.setTerms(group.cafe().program().id(), terms, "test:referrals", null));
        return group;
    }

    private Api pos(Group group) {
        return api.withApiKey(group.cafe().apiKey());
    }

    private static String enroll(Api pos) {
        return enroll(pos, Map.of());
    }

    private static String enroll(Api pos, Map<String, Object> contacts) {
        var body = new HashMap<String, Object>(contacts);
        body.put("externalId", "r-" + UUID.randomUUID());
        var enrolled = pos.post("/api/v1/members", body);
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        return enrolled.text("id");
    }

    private static String code(Api pos, String member) {
        return pos.get("/api/v1/members/" + member + "/referral-code").text("code");
    }

    private static Response purchase(Api pos, String member, String amount) {
        var purchase = pos.post("/api/v1/members/" + member + "/purchases",
            Map.of("orderId", "o-" + UUID.randomUUID(), "amount", amount, "currency", "EUR"));
        assertThat(purchase.status()).as(purchase.body()).isEqualTo(201);
        return purchase;
    }

    private static long balance(Api pos, String member) {
        return pos.get("/api/v1/members/" + member + "/balance").number("balance");
    }

    private static Map<String, Object> terms(boolean enabled, long referrer, long referee, String minimum) {
        return Map.of("enabled", enabled, "referrerPoints", referrer, "refereePoints", referee,
            "minimumPurchase", minimum, "claimWindowDays", 30);
    }

    private static Response put(Api api, String path, Object body) {
        return api.send(api.builder(path).header("Content-Type", "application/json")
            .header("Idempotency-Key", UUID.randomUUID().toString())
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(Api.json(body))));
    }

    private static void assertProblem(Response response, int status, String type) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.problemType()).isEqualTo(type);
    }

    private static long rows(Group group, String table) throws SQLException {
        return strings("select count(*) from " + table + " where tenant_id = ?", group.tenantId()).stream()
            .mapToLong(Long::parseLong).sum();
    }

    private static List<String> outboxTypes(Group group) throws SQLException {
        return strings("select type from outbox_events where tenant_id = ? order by event_seq", group.tenantId());
    }

    private static List<String> strings(String sql, @Nullable Object parameter) throws SQLException {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement(sql)) {
            statement.setObject(1, parameter);
            var values = new ArrayList<String>();
            try (var rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
