package io.pointbridge.audit;

import static io.pointbridge.audit.AuditTestSupport.actorOf;
import static io.pointbridge.audit.AuditTestSupport.actorOfKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.audit.AuditTestSupport.Row;
import io.pointbridge.audit.AuditTestSupport.Trail;
import io.pointbridge.tenant.member.Membership;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakRealm;
import io.pointbridge.testing.KeycloakServer;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every change an operator or admin makes writes exactly one audit record, in the transaction of the
 * change: who (the token's user or the integration's API key), what, to what, before and after, and the
 * request. A refused change writes none, and a replayed request none a second time.
 */
class AuditedChangesIntegrationTests extends IntegrationTest {

    private Group group;
    private String adminToken;
    private Api admin;

    @BeforeEach
    void demoGroupAndItsAdmin() {
        group = fixtures.organization(AuditTestSupport.DEMO_GROUP);
        adminToken = AuditTestSupport.demoAdmin();
        admin = api.withToken(adminToken);
    }

    @Test
    void recordsTheCreationOfATenantAsTheFirstRecordOfItsOwnTrail() {
        var operator = AuditTestSupport.operator();
        var slug = "audited-" + UUID.randomUUID().toString().substring(0, 8);
        var requestId = "onboarding-" + UUID.randomUUID();
        var body = KeycloakRealm.newTenant(slug, "Audited Group");

        Response created;
        try (var realm = new KeycloakRealm(KeycloakServer.ensureRunning()).removesAfterwards(slug)) {
            created = api.withToken(operator).with("X-Request-Id", requestId).post("/api/v1/tenants", body, "onboard-" + slug);
        }

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var tenantId = UUID.fromString(created.text("id"));
        var record = only(AuditTestSupport.rows(tenantId));
        assertThat(record.actor()).isEqualTo(actorOf(operator));
        assertThat(record.action()).isEqualTo("tenant.created");
        assertThat(record.subject()).isEqualTo("tenant:" + tenantId);
        assertThat(record.before()).isNull();
        assertThat(record.after().path("slug").asString()).isEqualTo(slug);
        assertThat(record.after().path("name").asString()).isEqualTo("Audited Group");
        assertThat(record.after().path("settlementCurrency").asString()).isEqualTo("EUR");
        assertThat(record.requestId()).isEqualTo(requestId);

        var replayed = api.withToken(operator).post("/api/v1/tenants", body, "onboard-" + slug);

        assertThat(replayed.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(AuditTestSupport.rows(tenantId)).hasSize(1);
    }

    @Test
    void recordsBrandsCreatedAndUpdatedWithTheirStateBeforeAndAfter() {
        var code = "audited-" + UUID.randomUUID().toString().substring(0, 8);
        var trail = Trail.of(group.tenantId());

        var created = admin.post("/api/v1/brands", Map.of("code", code, "name", "Audited Cafe"));

        var brandId = created.text("id");
        var creation = only(trail.added());
        assertThat(creation.actor()).isEqualTo(actorOf(adminToken));
        assertThat(creation.action()).isEqualTo("brand.created");
        assertThat(creation.subject()).isEqualTo("brand:" + brandId);
        assertThat(creation.before()).isNull();
        assertThat(creation.after().path("code").asString()).isEqualTo(code);
        assertThat(creation.after().path("name").asString()).isEqualTo("Audited Cafe");
        assertThat(creation.requestId()).startsWith("idempotency-key:");

        trail = Trail.of(group.tenantId());
        var updated = put(admin, "/api/v1/brands/" + brandId, Map.of("name", "Audited Coffee House"),
            "rename-" + brandId);

        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.text("name")).isEqualTo("Audited Coffee House");
        var update = only(trail.added());
        assertThat(update.action()).isEqualTo("brand.updated");
        assertThat(update.subject()).isEqualTo("brand:" + brandId);
        assertThat(update.before().path("name").asString()).isEqualTo("Audited Cafe");
        assertThat(update.after().path("name").asString()).isEqualTo("Audited Coffee House");
        assertThat(update.after().path("code").asString()).isEqualTo(code);
        assertThat(update.requestId()).isEqualTo("idempotency-key:rename-" + brandId);
    }

    @Test
    void recordsProgramsCreatedAndUpdatedWithTheirStateBeforeAndAfter() {
        var trail = Trail.of(group.tenantId());
        var code = "audited-" + UUID.randomUUID().toString().substring(0, 8);

        var created = admin.post("/api/v1/brands/" + group.cafe().brand().id() + "/programs", program(code, 1, 12));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        var programId = created.text("id");
        var creation = only(trail.added());
        assertThat(creation.action()).isEqualTo("program.created");
        assertThat(creation.subject()).isEqualTo("program:" + programId);
        assertThat(creation.before()).isNull();
        assertThat(creation.after().path("earnPoints").asLong()).isEqualTo(1);
        assertThat(creation.after().path("brandId").asString()).isEqualTo(group.cafe().brand().id().toString());

        trail = Trail.of(group.tenantId());
        var updated = put(admin, "/api/v1/programs/" + programId, Map.of("name", "Double Stars", "pointsName", "Stars",
            "earnRate", Map.of("points", 2, "perMinorUnits", 100)), UUID.randomUUID().toString());

        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.number("earnPoints")).isEqualTo(2);
        assertThat(updated.json().has("expiryMonths")).isFalse();
        var update = only(trail.added());
        assertThat(update.actor()).isEqualTo(actorOf(adminToken));
        assertThat(update.action()).isEqualTo("program.updated");
        assertThat(update.before().path("earnPoints").asLong()).isEqualTo(1);
        assertThat(update.before().path("expiryMonths").asInt()).isEqualTo(12);
        assertThat(update.after().path("earnPoints").asLong()).isEqualTo(2);
        assertThat(update.after().has("expiryMonths")).isFalse();
        assertThat(update.after().path("name").asString()).isEqualTo("Double Stars");
        assertThat(update.after().path("code").asString()).isEqualTo(code + "-points");
    }

    @Test
    void writesNoRecordForAnUpdateThatChangesNothing() {
        var brandPath = "/api/v1/brands/" + group.cafe().brand().id();
        var name = admin.get(brandPath).text("name");
        var trail = Trail.of(group.tenantId());

        var same = put(admin, brandPath, Map.of("name", name), UUID.randomUUID().toString());

        assertThat(same.status()).isEqualTo(200);
        assertThat(trail.added()).isEmpty();
    }

    @Test
    void recordsManualAdjustmentsWithTheBalanceBeforeAndAfter() {
        var member = fixtures.memberWithBalance(group, 100);
        var trail = Trail.of(group.tenantId());

        var credited = admin.post(adjustments(member), Map.of("points", 50, "reason", "goodwill"));
        var debited = admin.post(adjustments(member), Map.of("points", -30, "reason", "double booking"));

        assertThat(credited.status()).as(credited.body()).isEqualTo(201);
        assertThat(debited.status()).as(debited.body()).isEqualTo(201);
        var records = trail.added();
        assertThat(records).hasSize(2);
        var credit = records.get(0);
        assertThat(credit.actor()).isEqualTo(actorOf(adminToken));
        assertThat(credit.action()).isEqualTo("points.adjusted");
        assertThat(credit.subject()).isEqualTo("member:" + member.id());
        assertThat(credit.before().path("balance").asLong()).isEqualTo(100);
        assertThat(credit.after().path("balance").asLong()).isEqualTo(150);
        assertThat(credit.after().path("points").asLong()).isEqualTo(50);
        assertThat(credit.after().path("reason").asString()).isEqualTo("goodwill");
        assertThat(credit.after().path("entryId").asString()).isEqualTo(credited.text("entryId"));
        var debit = records.get(1);
        assertThat(debit.before().path("balance").asLong()).isEqualTo(150);
        assertThat(debit.after().path("balance").asLong()).isEqualTo(120);
        assertThat(debit.after().path("points").asLong()).isEqualTo(-30);
        assertThat(records).extracting(Row::raw).noneMatch(raw -> raw.contains(member.externalId()));
    }

    @Test
    void recordsReversalsWithTheEntryReversedAndTheBalanceBeforeAndAfter() {
        var member = fixtures.memberWithBalance(group, 100);
        var adjusted = admin.post(adjustments(member), Map.of("points", 40, "reason", "wrong member"));
        var trail = Trail.of(group.tenantId());

        var reversed = admin.post("/api/v1/members/" + member.id() + "/entries/" + adjusted.text("entryId")
            + "/reversal", Map.of("reason", "meant for another member"));

        assertThat(reversed.status()).as(reversed.body()).isEqualTo(201);
        var record = only(trail.added());
        assertThat(record.actor()).isEqualTo(actorOf(adminToken));
        assertThat(record.action()).isEqualTo("entry.reversed");
        assertThat(record.subject()).isEqualTo("member:" + member.id());
        assertThat(record.before().path("balance").asLong()).isEqualTo(140);
        assertThat(record.before().path("entryId").asString()).isEqualTo(adjusted.text("entryId"));
        assertThat(record.after().path("balance").asLong()).isEqualTo(100);
        assertThat(record.after().path("reversedEntryId").asString()).isEqualTo(adjusted.text("entryId"));
        assertThat(record.after().path("entryId").asString()).isEqualTo(reversed.text("entryId"));
        assertThat(record.after().path("points").asLong()).isEqualTo(-40);
        assertThat(record.after().path("reason").asString()).isEqualTo("meant for another member");
    }

    @Test
    void recordsApiKeysIssuedAndRevokedNeverWithTheirSecret() {
        var keys = "/api/v1/brands/" + group.cafe().brand().id() + "/api-keys";
        var trail = Trail.of(group.tenantId());

        var issued = admin.post(keys, Map.of("name", "till 4"));

        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        var keyId = issued.text("id");
        var secret = issued.text("apiKey");
        var issue = only(trail.added());
        assertThat(issue.actor()).isEqualTo(actorOf(adminToken));
        assertThat(issue.action()).isEqualTo("api-key.issued");
        assertThat(issue.subject()).isEqualTo("api-key:" + keyId);
        assertThat(issue.before()).isNull();
        assertThat(issue.after().path("name").asString()).isEqualTo("till 4");
        assertThat(issue.after().path("brandId").asString()).isEqualTo(group.cafe().brand().id().toString());
        assertThat(issue.after().has("revokedAt")).isFalse();

        trail = Trail.of(group.tenantId());
        var revoked = admin.delete(keys + "/" + keyId);
        var revokedAgain = admin.delete(keys + "/" + keyId);

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revokedAgain.status()).isEqualTo(200);
        var revocation = only(trail.added());
        assertThat(revocation.action()).isEqualTo("api-key.revoked");
        assertThat(revocation.subject()).isEqualTo("api-key:" + keyId);
        assertThat(revocation.before().has("revokedAt")).isFalse();
        assertThat(revocation.after().path("revokedAt").asString()).isEqualTo(revoked.text("revokedAt"));
        var secretPart = secret.substring(secret.lastIndexOf('_') + 1);
        assertThat(AuditTestSupport.rows(group.tenantId())).extracting(Row::raw)
            .noneMatch(raw -> raw.contains(secretPart) || raw.contains("pbk_") || raw.contains("secret"));
    }

    @Test
    void recordsLinkingByAnIntegrationAsItsApiKey() {
        var email = "linked-" + UUID.randomUUID() + "@example.com";
        var cafe = api.withApiKey(group.cafe().apiKey());
        var cinema = api.withApiKey(group.cinema().apiKey());
        cafe.post("/api/v1/members", Map.of("externalId", "cafe-" + UUID.randomUUID(), "email", email,
            "emailVerified", true, "consentToLink", true));
        var trail = Trail.of(group.tenantId());

        var enrolled = cinema.post("/api/v1/members", Map.of("externalId", "cinema-" + UUID.randomUUID(),
            "email", email, "emailVerified", true, "consentToLink", true));

        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        assertThat(enrolled.json().path("linked").asBoolean()).isTrue();
        var record = only(trail.added());
        assertThat(record.actor()).isEqualTo(actorOfKey(group.cinema().apiKey()));
        assertThat(record.action()).isEqualTo("membership.linked");
        assertThat(record.raw()).doesNotContain(email);
    }

    @Test
    void writesNoRecordForARefusedChange() {
        var member = fixtures.memberWithBalance(group, 100);
        var adjusted = admin.post(adjustments(member), Map.of("points", 10, "reason", "goodwill"));
        var reversal = "/api/v1/members/" + member.id() + "/entries/" + adjusted.text("entryId") + "/reversal";
        assertThat(admin.post(reversal, Map.of("reason", "mistake")).status()).isEqualTo(201);
        var brand = "/api/v1/brands/" + group.cafe().brand().id();
        var manager = api.withToken(AuditTestSupport.demoManager());
        var integration = api.withApiKey(group.cafe().apiKey());
        var otherAdmin = api.withToken(AuditTestSupport.otherAdmin());
        var otherTenant = fixtures.organization(AuditTestSupport.OTHER_GROUP).tenantId();
        var demo = Trail.of(group.tenantId());
        var other = Trail.of(otherTenant);

        expectRefused(400, "invalid-request",
            () -> admin.post("/api/v1/brands", Map.of("code", "Not A Code", "name", "x")));
        expectRefused(400, "invalid-request",
            () -> put(admin, brand, Map.of("name", ""), UUID.randomUUID().toString()));
        expectRefused(400, "idempotency-key-missing",
            () -> admin.post(adjustments(member), Map.of("points", 5, "reason", "no key"), null));
        expectRefused(403, "forbidden",
            () -> manager.post("/api/v1/brands", Map.of("code", "by-manager", "name", "x")));
        // The brand manager holds no grant of the cafe, so its member is not even visible to them.
        expectRefused(404, "member-not-found",
            () -> manager.post(adjustments(member), Map.of("points", 5, "reason", "x")));
        expectRefused(403, "forbidden",
            () -> integration.post(adjustments(member), Map.of("points", 5, "reason", "x")));
        expectRefused(403, "forbidden", () -> api.withToken(adminToken).post("/api/v1/tenants",
            KeycloakRealm.newTenant("by-admin-" + UUID.randomUUID().toString().substring(0, 8), "x")));
        expectRefused(409, "brand-code-taken",
            () -> admin.post("/api/v1/brands", Map.of("code", group.cafe().brand().code(), "name", "again")));
        expectRefused(409, "tenant-slug-taken", () -> api.withToken(AuditTestSupport.operator()).post("/api/v1/tenants",
            KeycloakRealm.newTenant(AuditTestSupport.DEMO_GROUP, "again")));
        expectRefused(422, "insufficient-points",
            () -> admin.post(adjustments(member), Map.of("points", -1000, "reason", "too much")));
        expectRefused(409, "entry-already-reversed", () -> admin.post(reversal, Map.of("reason", "again")));
        expectRefused(404, "program-not-found", () -> put(admin, "/api/v1/programs/" + UUID.randomUUID(),
            Map.of("name", "Ghost", "pointsName", "Points", "earnRate", Map.of("points", 1, "perMinorUnits", 100)),
            UUID.randomUUID().toString()));
        expectRefused(404, "brand-not-found",
            () -> put(otherAdmin, brand, Map.of("name", "taken over"), UUID.randomUUID().toString()));
        expectRefused(404, "program-not-found", () -> put(otherAdmin, "/api/v1/programs/" + group.cafe().program().id(),
            Map.of("name", "Taken", "pointsName", "Points", "earnRate", Map.of("points", 9, "perMinorUnits", 1)),
            UUID.randomUUID().toString()));
        expectRefused(404, "api-key-not-found", () -> admin.delete(brand + "/api-keys/" + UUID.randomUUID()));

        assertThat(demo.added()).isEmpty();
        assertThat(other.added()).isEmpty();
        assertThat(admin.get(brand).text("name")).isEqualTo(group.cafe().brand().name());
        assertThat(admin.get("/api/v1/programs/" + group.cafe().program().id()).number("earnPoints")).isEqualTo(1);
    }

    @Test
    void writesNoRecordWhenAnIdempotentRequestIsReplayed() {
        var member = fixtures.memberWithBalance(group, 100);
        var adjusted = admin.post(adjustments(member), Map.of("points", 10, "reason", "goodwill"));
        var code = "replayed-" + UUID.randomUUID().toString().substring(0, 8);
        var requests = new LinkedHashMap<String, Supplier<Response>>();
        var brandKey = UUID.randomUUID().toString();
        requests.put("brand.created",
            () -> admin.post("/api/v1/brands", Map.of("code", code, "name", "Replayed"), brandKey));
        var programKey = UUID.randomUUID().toString();
        requests.put("program.created", () -> admin.post("/api/v1/brands/" + group.cinema().brand().id() + "/programs",
            program(code, 3, 6), programKey));
        var updateKey = UUID.randomUUID().toString();
        requests.put("program.updated", () -> put(admin, "/api/v1/programs/" + group.cafe().program().id(),
            Map.of("name", "Cafe Stars", "pointsName", "Stars", "earnRate", Map.of("points", 5, "perMinorUnits", 100),
                "expiryMonths", 24), updateKey));
        var adjustKey = UUID.randomUUID().toString();
        requests.put("points.adjusted", () -> admin.post(adjustments(member), Map.of("points", 7, "reason", "retry"),
            adjustKey));
        var reverseKey = UUID.randomUUID().toString();
        requests.put("entry.reversed", () -> admin.post("/api/v1/members/" + member.id() + "/entries/"
            + adjusted.text("entryId") + "/reversal", Map.of("reason", "retry"), reverseKey));
        var issueKey = UUID.randomUUID().toString();
        requests.put("api-key.issued", () -> admin.post("/api/v1/brands/" + group.cafe().brand().id() + "/api-keys",
            Map.of("name", "retried"), issueKey));
        var survivor = fixtures.member(group);
        var absorbed = fixtures.member(group, group.cinema());
        var mergeKey = UUID.randomUUID().toString();
        requests.put("person.merged", () -> admin.post("/api/v1/persons/" + survivor.personId() + "/merge",
            Map.of("absorbedPersonId", absorbed.personId(), "reason", "same customer"), mergeKey));

        for (var request : requests.entrySet()) {
            var trail = Trail.of(group.tenantId());
            var first = request.getValue().get();
            var replay = request.getValue().get();

            assertThat(first.status()).as("%s: %s", request.getKey(), first.body()).isIn(200, 201);
            assertThat(replay.status()).as(request.getKey()).isEqualTo(first.status());
            assertThat(replay.headers().firstValue("Idempotent-Replayed")).as(request.getKey()).hasValue("true");
            assertThat(trail.added()).as(request.getKey()).extracting(Row::action).containsExactly(request.getKey());
        }
    }

    private void expectRefused(int status, String type, Supplier<Response> request) {
        var response = request.get();
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.problemType()).as(response.body()).isEqualTo(type);
    }

    private static Row only(List<Row> rows) {
        assertThat(rows).hasSize(1);
        return rows.getFirst();
    }

    private static String adjustments(Membership member) {
        return "/api/v1/members/" + member.id() + "/adjustments";
    }

    private static Map<String, Object> program(String code, int points, Integer expiryMonths) {
        var program = new LinkedHashMap<String, Object>();
        program.put("code", code + "-points");
        program.put("name", code + " points");
        program.put("pointsName", "Points");
        program.put("purchaseCurrency", "EUR");
        program.put("earnRate", Map.of("points", points, "perMinorUnits", 100));
        if (expiryMonths != null) {
            program.put("expiryMonths", expiryMonths);
        }
        return program;
    }

    private static Response put(Api caller, String path, Object body, String idempotencyKey) {
        return caller.send(caller.builder(path).header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey).PUT(BodyPublishers.ofString(Api.json(body))));
    }
}
