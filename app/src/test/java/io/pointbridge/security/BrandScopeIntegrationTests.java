package io.pointbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.tenant.TenantContext;
import io.pointbridge.tenant.access.BrandGrants;
import io.pointbridge.tenant.audit.AuditTrail;
import io.pointbridge.tenant.audit.AuditTrail.AuditRecord;
import io.pointbridge.tenant.ledger.Wallets;
import io.pointbridge.testing.Fixtures.Group;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakRealm;
import io.pointbridge.testing.KeycloakServer;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.json.JsonMapper;

/**
 * Brand managers act on the brands tenant admins grant them, and on nothing once revoked; support agents
 * read with personal data masked and write nothing. With real Keycloak users of the organization demo-group.
 */
class BrandScopeIntegrationTests extends IntegrationTest {

    private final KeycloakServer keycloak = KeycloakServer.ensureRunning();
    private final KeycloakRealm realm = new KeycloakRealm(keycloak);

    @Autowired
    private AuditTrail audit;

    @Autowired
    private Wallets wallets;

    @Autowired
    private BrandGrants grants;

    private Group demo;
    private io.pointbridge.testing.Api admin;

    @BeforeEach
    void demoGroupWithFreshBrands() {
        demo = fixtures.organization("demo-group");
        admin = api.withToken(keycloak.token("demo-admin", "demo-admin-pass"));
    }

    @AfterEach
    void removeTestUsers() {
        realm.close();
    }

    @Test
    void aBrandManagerActsOnAGrantedBrandUntilTheGrantIsRevoked() {
        var managerToken = keycloak.token("demo-manager", "demo-manager-pass");
        var manager = api.withToken(managerToken);
        var subject = subject(managerToken);
        var cafe = demo.cafe().brand().id();
        var cafeMember = fixtures.member(demo);
        var cinemaMember = fixtures.member(demo, demo.cinema());
        assertThat(manager.get("/api/v1/brands/" + cafe).problemType()).as("before the grant").isEqualTo("brand-not-found");

        var granted = admin.post("/api/v1/brand-grants", Map.of("subject", subject, "brandId", cafe));
        var grantedAgain = admin.post("/api/v1/brand-grants", Map.of("subject", subject, "brandId", cafe));

        assertThat(granted.status()).as(granted.body()).isEqualTo(201);
        assertThat(granted.text("grantedBy")).startsWith("user:");
        assertThat(grantedAgain.status()).isEqualTo(200);
        assertThat(admin.get("/api/v1/brand-grants?subject=" + subject).json().findValuesAsString("brandId"))
            .contains(cafe.toString());
        assertThat(manager.get("/api/v1/brands").json().findValuesAsString("id"))
            .contains(cafe.toString()).doesNotContain(demo.cinema().brand().id().toString());
        var adjusted = manager.post("/api/v1/members/" + cafeMember.id() + "/adjustments", Map.of("points", 7, "reason", "goodwill"));
        assertThat(adjusted.status()).as(adjusted.body()).isEqualTo(201);
        var program = manager.post("/api/v1/brands/" + cafe + "/programs", Map.of("code", "managed-" + suffix(), "name",
            "Managed", "pointsName", "Beans", "purchaseCurrency", "EUR", "earnRate", Map.of("points", 1, "perMinorUnits", 100)));
        assertThat(program.status()).as(program.body()).isEqualTo(201);
        var otherBrand = manager.post("/api/v1/members/" + cinemaMember.id() + "/adjustments",
            Map.of("points", 7, "reason", "goodwill"));
        assertThat(otherBrand.problemType()).isEqualTo("member-not-found");
        assertThat(fixtures.as(demo, () -> wallets.balance(cinemaMember.id()).balance())).isZero();

        var revoked = admin.delete("/api/v1/brand-grants/" + subject + "/" + cafe);
        var revokedAgain = admin.delete("/api/v1/brand-grants/" + subject + "/" + cafe);

        assertThat(revoked.status()).isEqualTo(204);
        assertThat(revokedAgain.status()).isEqualTo(204);
        assertThat(manager.get("/api/v1/brands/" + cafe).problemType()).as("after revocation").isEqualTo("brand-not-found");
        assertThat(manager.post("/api/v1/members/" + cafeMember.id() + "/adjustments",
            Map.of("points", 7, "reason", "goodwill")).problemType()).isEqualTo("member-not-found");
        var records = TenantContext.callAs(demo.tenantId(), () -> audit.about("user:" + subject)).stream()
            .filter(record -> cafe.toString().equals(brandOf(record))).toList();
        assertThat(records).extracting(AuditRecord::action).containsExactly("brand-grant.granted", "brand-grant.revoked");
        assertThat(records).allSatisfy(record -> assertThat(record.actor()).isEqualTo(granted.text("grantedBy")));
    }

    @Test
    void aBrandManagerWithoutGrantsSeesNoBrand() {
        var username = "manager-" + suffix();
        realm.createUser(username, "manager-pass", "brand-manager", "demo-group");
        var manager = api.withToken(keycloak.token(username, "manager-pass"));

        assertThat(manager.get("/api/v1/tenant").text("id")).isEqualTo(demo.tenantId().toString());
        assertThat(manager.get("/api/v1/brands").json()).isEmpty();
        assertThat(manager.get("/api/v1/programs").json()).isEmpty();
        assertThat(manager.get("/api/v1/members/" + fixtures.member(demo).id()).problemType()).isEqualTo("member-not-found");
    }

    @Test
    void refusesAGrantOfABrandTheTenantDoesNotHave() {
        var subject = UUID.randomUUID().toString();

        var refused = admin.post("/api/v1/brand-grants", Map.of("subject", subject, "brandId", UUID.randomUUID()));

        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.problemType()).isEqualTo("brand-not-found");
        assertThat(admin.get("/api/v1/brand-grants?subject=" + subject).json()).isEmpty();
    }

    @Test
    void refusesARevocationOnABrandTheTenantDoesNotHaveAndLeavesAnotherTenantsGrant() {
        var other = fixtures.group();
        var subject = "manager-" + suffix();
        var otherCafe = other.cafe().brand().id();
        TenantContext.runAs(other.tenantId(), () -> grants.grant(subject, otherCafe, "test:brand-scope", null));

        var otherTenants = admin.delete("/api/v1/brand-grants/" + subject + "/" + otherCafe);
        var unknown = admin.delete("/api/v1/brand-grants/" + subject + "/" + UUID.randomUUID());

        assertThat(otherTenants.status()).isEqualTo(404);
        assertThat(otherTenants.problemType()).isEqualTo("brand-not-found");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.problemType()).isEqualTo("brand-not-found");
        assertThat(TenantContext.callAs(other.tenantId(), () -> grants.brandsOf(subject))).containsExactly(otherCafe);
    }

    @Test
    void aSupportAgentReadsWithExternalIdsMaskedAndWritesNothing() {
        var username = "support-" + suffix();
        realm.createUser(username, "support-pass", "support-agent", "demo-group");
        var support = api.withToken(keycloak.token(username, "support-pass"));
        var member = fixtures.memberWithBalance(demo, 40);
        var external = member.externalId();
        var masked = "•••" + external.substring(external.length() - 3);

        var seen = support.get("/api/v1/members/" + member.id());
        var found = support.get("/api/v1/members?externalId=" + external + "&programId=" + member.programId());
        var person = support.get("/api/v1/persons/" + member.personId());
        var balances = support.get("/api/v1/members/" + member.id() + "/group-balances");
        var balance = support.get("/api/v1/members/" + member.id() + "/balance");

        assertThat(seen.text("externalId")).isEqualTo(masked);
        assertThat(found.text("id")).isEqualTo(member.id().toString());
        assertThat(found.text("externalId")).isEqualTo(masked);
        assertThat(person.json().path("memberships").get(0).path("externalId").asString()).isEqualTo(masked);
        assertThat(balances.json().path("memberships").get(0).path("externalId").asString()).isEqualTo(masked);
        assertThat(balance.number("balance")).isEqualTo(40);
        assertThat(person.body() + seen.body() + balances.body()).doesNotContain(external);
        assertThat(admin.get("/api/v1/members/" + member.id()).text("externalId")).as("an admin's view").isEqualTo(external);

        var spend = support.post("/api/v1/members/" + member.id() + "/spends", Map.of("points", 5, "reference", "till"));
        var malformed = support.post("/api/v1/members/" + member.id() + "/spends", "{not json");

        assertThat(spend.status()).isEqualTo(403);
        assertThat(spend.problemType()).isEqualTo("forbidden");
        assertThat(malformed.status()).as("refused before the body is read").isEqualTo(403);
        assertThat(fixtures.as(demo, () -> wallets.balance(member.id()).balance())).isEqualTo(40);
    }

    private static String brandOf(AuditRecord record) {
        var state = record.after() != null ? record.after() : record.before();
        return state == null ? null : state.path("brandId").asString();
    }

    private static String subject(String token) {
        var payload = Base64.getUrlDecoder().decode(token.split("\\.")[1]);
        return JsonMapper.builder().build().readTree(payload).path("sub").asString();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
