package io.pointbridge.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.member.Membership;
import io.pointbridge.testing.Api;
import io.pointbridge.testing.Api.Response;
import io.pointbridge.testing.Fixtures.BrandSetup;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakServer;
import io.pointbridge.testing.TestDatabase;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Over HTTP, a caller of one tenant reaches nothing of another, and a brand-scoped API key nothing of a sibling brand. */
class TenantIsolationIntegrationTests extends IntegrationTest {

    private static final Map<String, Object> PURCHASE = Map.of("orderId", "order-x", "amount", "10.00", "currency", "EUR");
    private static final Map<String, Object> REFUND = Map.of("amount", "1.00", "currency", "EUR");

    /** The tenant of demo-admin's token, with group A's API keys; what it attacks is group B. */
    private Group a;
    private Group b;
    private Membership aMember;
    private Membership bMember;
    private UUID bEntry;
    private Api aKey;
    private Api aAdmin;
    private Api bKey;

    @BeforeEach
    void groupBWithHistoryAndACallersOfGroupA() {
        a = fixtures.organization("demo-group");
        b = fixtures.group();
        aMember = fixtures.member(a);
        bMember = fixtures.member(b);
        fixtures.member(b, b.cinema());
        bKey = api.withApiKey(b.cafe().apiKey());
        assertThat(bKey.post(membersPath(bMember) + "/purchases", Map.of("orderId", "order-b", "amount", "50.00",
            "currency", "EUR")).status()).isEqualTo(201);
        var spend = bKey.post(membersPath(bMember) + "/spends", Map.of("points", 5));
        assertThat(spend.status()).isEqualTo(201);
        bEntry = UUID.fromString(spend.text("entryId"));
        aKey = api.withApiKey(a.cafe().apiKey());
        aAdmin = api.withToken(KeycloakServer.ensureRunning().token("demo-admin", "demo-admin-pass"));
    }

    @Test
    void apiKeyOfAnotherTenantReachesNothingAndChangesNothing() {
        var before = snapshotOfB();
        var wrong = new ArrayList<String>();

        for (var attack : memberAttacks(bMember, b.cafe().program().id())) {
            expect(wrong, aKey, attack, 404);
        }
        expect(wrong, aKey, get("/api/v1/members?externalId=" + bMember.externalId()), 404);
        expect(wrong, aKey, get("/api/v1/brands/" + b.cafe().brand().id()), 404);
        expect(wrong, aKey, get("/api/v1/programs/" + b.cafe().program().id()), 404);
        for (var adminOnly : List.of(
                post(membersPath(bMember) + "/adjustments", Map.of("points", 100, "reason", "gift")),
                post(membersPath(bMember) + "/entries/" + bEntry + "/reversal", Map.of("reason", "mistake")),
                post(membersPath(aMember) + "/entries/" + bEntry + "/reversal", Map.of("reason", "mistake")),
                post("/api/v1/brands/" + b.cafe().brand().id() + "/programs", newProgram()),
                get("/api/v1/brands/" + b.cafe().brand().id() + "/api-keys"),
                post("/api/v1/brands/" + b.cafe().brand().id() + "/api-keys", Map.of("name", "stolen")),
                delete("/api/v1/brands/" + b.cafe().brand().id() + "/api-keys/" + keyId(b.cafe())))) {
            expect(wrong, aKey, adminOnly, 403);
        }

        assertThat(wrong).as("answers to group A's API key about group B").isEmpty();
        assertListsShowNothingOfB(aKey);
        assertThat(snapshotOfB()).as("group B after the attempts").isEqualTo(before);
        assertThat(fixtures.violations(b)).isEmpty();
    }

    @Test
    void tenantAdminOfAnotherTenantReachesNothingAndChangesNothing() {
        var before = snapshotOfB();
        var wrong = new ArrayList<String>();
        var bBrand = "/api/v1/brands/" + b.cafe().brand().id();

        for (var attack : memberAttacks(bMember, b.cafe().program().id())) {
            expect(wrong, aAdmin, attack, 404);
        }
        for (var attack : List.of(
                post(membersPath(bMember) + "/adjustments", Map.of("points", 100, "reason", "gift")),
                post(membersPath(bMember) + "/adjustments", Map.of("points", -10, "reason", "clawback")),
                post(membersPath(bMember) + "/entries/" + bEntry + "/reversal", Map.of("reason", "mistake")),
                post(membersPath(aMember) + "/entries/" + bEntry + "/reversal", Map.of("reason", "mistake")),
                get(bBrand),
                get("/api/v1/programs/" + b.cafe().program().id()),
                post(bBrand + "/programs", newProgram()),
                get(bBrand + "/api-keys"),
                post(bBrand + "/api-keys", Map.of("name", "stolen")),
                delete(bBrand + "/api-keys/" + keyId(b.cafe())),
                delete("/api/v1/brands/" + a.cafe().brand().id() + "/api-keys/" + keyId(b.cafe())))) {
            expect(wrong, aAdmin, attack, 404);
        }

        assertThat(wrong).as("answers to group A's tenant admin about group B").isEmpty();
        assertListsShowNothingOfB(aAdmin);
        assertThat(snapshotOfB()).as("group B after the attempts").isEqualTo(before);
        assertThat(fixtures.violations(b)).isEmpty();
        assertThat(bKey.get("/api/v1/tenant").status()).as("group B's API key after A tried to revoke it").isEqualTo(200);
    }

    @Test
    void brandScopedApiKeyReachesNothingOfItsTenantsOtherBrand() {
        var cinemaMember = fixtures.member(a, a.cinema());
        var cinemaKey = api.withApiKey(a.cinema().apiKey());
        assertThat(cinemaKey.post(membersPath(cinemaMember) + "/purchases", Map.of("orderId", "order-c", "amount", "30.00",
            "currency", "EUR")).status()).isEqualTo(201);
        var balanceBefore = cinemaKey.get(membersPath(cinemaMember) + "/balance").json();
        var historyBefore = cinemaKey.get(membersPath(cinemaMember) + "/history").json();
        var wrong = new ArrayList<String>();

        for (var attack : memberAttacks(cinemaMember, a.cinema().program().id())) {
            expect(wrong, aKey, attack, 404);
        }
        expect(wrong, aKey, post(membersPath(cinemaMember) + "/purchases/order-c/refunds", REFUND), 404);
        expect(wrong, aKey, get("/api/v1/members?externalId=" + cinemaMember.externalId()), 404);
        expect(wrong, aKey, get("/api/v1/brands/" + a.cinema().brand().id()), 404);
        expect(wrong, aKey, get("/api/v1/programs/" + a.cinema().program().id()), 404);

        assertThat(wrong).as("answers to the cafe's API key about the cinema's members").isEmpty();
        assertThat(ids(aKey.get("/api/v1/brands"))).containsExactly(a.cafe().brand().id().toString());
        assertThat(ids(aKey.get("/api/v1/programs"))).containsExactly(a.cafe().program().id().toString());
        assertThat(ids(aKey.get("/api/v1/programs?brandId=" + a.cinema().brand().id()))).isEmpty();
        assertThat(cinemaKey.get(membersPath(cinemaMember) + "/balance").json()).isEqualTo(balanceBefore);
        assertThat(cinemaKey.get(membersPath(cinemaMember) + "/history").json()).isEqualTo(historyBefore);
        assertThat(fixtures.violations(a)).isEmpty();
    }

    @Test
    void tenantIdsInQueryStringsHeadersAndBodiesAreIgnored() throws SQLException {
        var before = snapshotOfB();
        var smuggling = aKey.with("X-Tenant-Id", b.tenantId().toString());

        var tenant = smuggling.get("/api/v1/tenant?tenantId=" + b.tenantId() + "&tenant_id=" + b.tenantId());
        var externalId = "smuggled-" + UUID.randomUUID();
        var enrolled = smuggling.post("/api/v1/members?tenantId=" + b.tenantId(), Map.of("externalId", externalId,
            "tenantId", b.tenantId().toString(), "tenant_id", b.tenantId().toString()));
        var brand = aAdmin.with("X-Tenant-Id", b.tenantId().toString()).post("/api/v1/brands?tenantId=" + b.tenantId(),
            Map.of("code", "smuggled-" + UUID.randomUUID().toString().substring(0, 8), "name", "Smuggled",
                "tenantId", b.tenantId().toString()));
        var brands = aAdmin.get("/api/v1/brands?tenantId=" + b.tenantId());
        var bMemberAsked = smuggling.get(membersPath(bMember) + "?tenantId=" + b.tenantId());

        assertThat(tenant.status()).isEqualTo(200);
        assertThat(tenant.text("id")).isEqualTo(a.tenantId().toString());
        assertThat(enrolled.status()).isEqualTo(201);
        assertThat(tenantOf("memberships", "membership_id", enrolled.text("id"))).isEqualTo(a.tenantId());
        assertThat(brand.status()).isEqualTo(201);
        assertThat(tenantOf("brands", "brand_id", brand.text("id"))).isEqualTo(a.tenantId());
        assertThat(ids(brands)).contains(brand.text("id")).doesNotContain(b.cafe().brand().id().toString());
        assertThat(bMemberAsked.status()).isEqualTo(404);
        assertThat(snapshotOfB()).as("group B after the attempts").isEqualTo(before);
    }

    @Test
    void randomIdsAreNotFound() {
        var wrong = new ArrayList<String>();
        var stranger = UUID.randomUUID();
        var nobody = new Membership(stranger, stranger, stranger, stranger, "nobody", null, null);

        for (var caller : List.of(aKey, aAdmin)) {
            for (var attack : memberAttacks(nobody, UUID.randomUUID())) {
                expect(wrong, caller, attack, 404);
            }
            expect(wrong, caller, get("/api/v1/brands/" + UUID.randomUUID()), 404);
            expect(wrong, caller, get("/api/v1/programs/" + UUID.randomUUID()), 404);
        }
        expect(wrong, aAdmin, post(membersPath(aMember) + "/entries/" + UUID.randomUUID() + "/reversal",
            Map.of("reason", "mistake")), 404);
        expect(wrong, aAdmin, get("/api/v1/brands/" + UUID.randomUUID() + "/api-keys"), 404);
        expect(wrong, aAdmin, delete("/api/v1/brands/" + a.cafe().brand().id() + "/api-keys/" + UUID.randomUUID()), 404);

        assertThat(wrong).as("answers about ids that name nothing").isEmpty();
    }

    /** What an integration can do to a member: each request names the member or its program. */
    private static List<Attack> memberAttacks(Membership member, UUID programId) {
        var path = membersPath(member);
        return List.of(
            get(path),
            get(path + "/balance"),
            get(path + "/history"),
            get("/api/v1/members?externalId=" + member.externalId() + "&programId=" + programId),
            post("/api/v1/members", Map.of("programId", programId.toString(),
                "externalId", "new-" + UUID.randomUUID())),
            post(path + "/spends", Map.of("points", 1)),
            post(path + "/purchases", PURCHASE),
            post(path + "/purchases/order-b/refunds", REFUND));
    }

    private void assertListsShowNothingOfB(Api caller) {
        var bIds = List.of(b.cafe().brand().id().toString(), b.cinema().brand().id().toString(),
            b.cafe().program().id().toString(), b.cinema().program().id().toString());
        assertThat(ids(caller.get("/api/v1/brands"))).doesNotContainAnyElementsOf(bIds);
        assertThat(ids(caller.get("/api/v1/programs"))).doesNotContainAnyElementsOf(bIds);
        assertThat(ids(caller.get("/api/v1/programs?brandId=" + b.cafe().brand().id()))).isEmpty();
        assertThat(caller.get("/api/v1/tenant").text("id")).isEqualTo(a.tenantId().toString());
    }

    /** Everything of group B: every row in every tenant table, and what its API key reads of its member. */
    private Map<String, Object> snapshotOfB() {
        return Map.of("rows", TenantTables.fingerprint(b.tenantId()),
            "balance", bKey.get(membersPath(bMember) + "/balance").body(),
            "history", bKey.get(membersPath(bMember) + "/history").body());
    }

    private static void expect(List<String> wrong, Api caller, Attack attack, int status) {
        var response = attack.send(caller);
        if (response.status() != status || !response.contentType().startsWith("application/problem+json")) {
            wrong.add(attack + " answered " + response.status() + " " + response.contentType() + " (expected " + status
                + " problem): " + response.body());
        }
    }

    private static List<String> ids(Response list) {
        assertThat(list.status()).as("listing %s", list.body()).isEqualTo(200);
        var ids = new ArrayList<String>();
        list.json().forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }

    private static UUID tenantOf(String table, String idColumn, String id) throws SQLException {
        try (var connection = TestDatabase.shared().connectAsSuperuser();
                var statement = connection.prepareStatement(
                    "select tenant_id from " + table + " where " + idColumn + " = ?::uuid")) {
            statement.setString(1, id);
            try (var rows = statement.executeQuery()) {
                assertThat(rows.next()).as("%s %s stored", table, id).isTrue();
                return rows.getObject(1, UUID.class);
            }
        }
    }

    /** The key id inside an API key, {@code pbk_<32 hex>_<secret>}. */
    private static UUID keyId(BrandSetup brand) {
        var hex = brand.apiKey().substring(4, 36);
        return UUID.fromString(hex.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));
    }

    private static Map<String, Object> newProgram() {
        return Map.of("code", "stolen-points", "name", "Stolen", "pointsName", "Stolen", "purchaseCurrency", "EUR",
            "earnRate", Map.of("points", 1, "perMinorUnits", 100));
    }

    private static String membersPath(Membership member) {
        return "/api/v1/members/" + member.id();
    }

    private static Attack get(String path) {
        return new Attack("GET", path, null);
    }

    private static Attack post(String path, Object body) {
        return new Attack("POST", path, body);
    }

    private static Attack delete(String path) {
        return new Attack("DELETE", path, null);
    }

    /** One request a caller should not get anywhere with. */
    private record Attack(String method, String path, Object body) {

        Response send(Api caller) {
            return switch (method) {
                case "GET" -> caller.get(path);
                case "POST" -> caller.post(path, body);
                case "DELETE" -> caller.delete(path);
                default -> throw new IllegalArgumentException(method);
            };
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }
}
