package io.pointbridge.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pointbridge.tenant.tenancy.Tenant;
import io.pointbridge.tenant.tenancy.TenantIdentities;
import io.pointbridge.tenant.tenancy.TenantIdentities.FirstAdmin;
import io.pointbridge.tenant.tenancy.TenantManagement;
import io.pointbridge.testing.IntegrationTest;
import io.pointbridge.testing.KeycloakRealm;
import io.pointbridge.testing.KeycloakServer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * Onboarding a tenant provisions its Keycloak organization and first admin on the real Keycloak server:
 * the admin signs in and sees that tenant only; retries reuse what exists; a Keycloak that cannot be
 * reached, or refuses the provisioner, leaves neither a tenant nor an organization behind. Everything made here is deleted afterwards.
 */
class KeycloakProvisioningIntegrationTests extends IntegrationTest {

    private final KeycloakServer keycloak = KeycloakServer.ensureRunning();
    private final KeycloakRealm realm = new KeycloakRealm(keycloak);

    @Autowired
    private TenantManagement tenancy;

    @Autowired
    private TenantIdentities identities;

    @AfterEach
    void removeWhatTheTestsProvisioned() {
        realm.close();
    }

    /**
     * Keycloak makes the admin change the temporary password at first sign-in, which the password grant
     * cannot do: the test plays the admin's first sign-in by clearing that required action through the
     * admin API, then signs in with the password the onboarding answered.
     */
    @Test
    void onboardsATenantWhoseFirstAdminSignsInAndSeesOnlyThatTenant() {
        var slug = uniqueSlug();
        realm.removesAfterwards(slug);
        var demoBrand = fixtures.organization("demo-group").cafe().brand();

        var onboarded = operator().post("/api/v1/tenants", KeycloakRealm.newTenant(slug, "Group " + slug));

        assertThat(onboarded.status()).as(onboarded.body()).isEqualTo(201);
        assertThat(onboarded.text("slug")).isEqualTo(slug);
        var organization = realm.organization(slug).orElseThrow();
        assertThat(onboarded.json().path("organization").path("id").asString()).isEqualTo(organization.path("id").asString());
        assertThat(onboarded.json().path("organization").path("alias").asString()).isEqualTo(slug);
        var admin = onboarded.json().path("admin");
        var password = admin.path("initialPassword").asString();
        assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        assertThat(admin.path("passwordChangeRequired").asBoolean()).isTrue();
        var account = realm.user(KeycloakRealm.adminEmail(slug)).orElseThrow();
        var userId = account.path("id").asString();
        assertThat(admin.path("userId").asString()).isEqualTo(userId);
        assertThat(realm.organizationsOf(userId)).containsExactly(slug);
        assertThat(realm.realmRoles(userId)).contains("tenant-admin").doesNotContain("platform-operator");
        assertThat(account.path("requiredActions").toString()).contains("UPDATE_PASSWORD");
        assertThatThrownBy(() -> keycloak.token(KeycloakRealm.adminEmail(slug), password))
            .as("no token before the temporary password is changed").hasMessageContaining("not fully set up");

        realm.clearRequiredActions(userId);
        var newAdmin = api.withToken(keycloak.token(KeycloakRealm.adminEmail(slug), password));

        var tenant = newAdmin.get("/api/v1/tenant");
        assertThat(tenant.status()).as(tenant.body()).isEqualTo(200);
        assertThat(tenant.text("id")).isEqualTo(onboarded.text("id"));
        assertThat(newAdmin.get("/api/v1/brands").json()).isEmpty();
        assertThat(newAdmin.get("/api/v1/brands/" + demoBrand.id()).problemType()).isEqualTo("brand-not-found");
        var brand = newAdmin.post("/api/v1/brands", Map.of("code", "first", "name", "First brand"));
        assertThat(brand.status()).as(brand.body()).isEqualTo(201);
        assertThat(newAdmin.get("/api/v1/brands").json().findValuesAsString("id")).containsExactly(brand.text("id"));
    }

    /** What a database failure after provisioning leaves behind (an organization and an account) is reused by the retry. */
    @Test
    void reusesTheOrganizationAndAccountAnEarlierAttemptLeftBehind() {
        var slug = uniqueSlug();
        realm.removesAfterwards(slug);
        var admin = new FirstAdmin(KeycloakRealm.adminEmail(slug), "Ada", "Admin");
        var leftBehind = identities.provision(new Tenant(UUID.randomUUID(), slug, "Group " + slug, "EUR", Instant.now()), admin);

        var onboarded = operator().post("/api/v1/tenants", KeycloakRealm.newTenant(slug, "Group " + slug));

        assertThat(onboarded.status()).as(onboarded.body()).isEqualTo(201);
        assertThat(onboarded.json().path("organization").path("id").asString()).isEqualTo(leftBehind.organizationId());
        assertThat(onboarded.json().path("admin").path("userId").asString()).isEqualTo(leftBehind.adminUserId());
        var password = onboarded.json().path("admin").path("initialPassword").asString();
        assertThat(password).as("a new temporary password: the first was never shown").isNotBlank()
            .isNotEqualTo(leftBehind.initialPassword());
        assertThat(realm.organizationsOf(leftBehind.adminUserId())).containsExactly(slug);
        realm.clearRequiredActions(leftBehind.adminUserId());
        assertThat(keycloak.token(KeycloakRealm.adminEmail(slug), password)).isNotBlank();
    }

    @Test
    void leavesTheCredentialsOfAnAdminWhoSignedInAlone() {
        var slug = uniqueSlug();
        realm.removesAfterwards(slug);
        var tenant = new Tenant(UUID.randomUUID(), slug, "Group " + slug, "EUR", Instant.now());
        var admin = new FirstAdmin(KeycloakRealm.adminEmail(slug), "Ada", "Admin");
        var first = identities.provision(tenant, admin);
        realm.clearRequiredActions(first.adminUserId());

        var again = identities.provision(tenant, admin);

        assertThat(again.organizationId()).isEqualTo(first.organizationId());
        assertThat(again.adminUserId()).isEqualTo(first.adminUserId());
        assertThat(again.initialPassword()).isNull();
        assertThat(keycloak.token(KeycloakRealm.adminEmail(slug), first.initialPassword())).isNotBlank();
    }

    @Test
    void replaysTheOnboardingWithoutThePasswordAndRefusesTheSlugToAnotherRequest() {
        var slug = uniqueSlug();
        realm.removesAfterwards(slug);
        var key = "onboard-" + slug;

        var first = operator().post("/api/v1/tenants", KeycloakRealm.newTenant(slug, "Group " + slug), key);
        var replay = operator().post("/api/v1/tenants", KeycloakRealm.newTenant(slug, "Group " + slug), key);
        var another = operator().post("/api/v1/tenants", KeycloakRealm.newTenant(slug, "Group " + slug));

        assertThat(first.status()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(replay.text("id")).isEqualTo(first.text("id"));
        assertThat(replay.json().path("admin").path("userId")).isEqualTo(first.json().path("admin").path("userId"));
        assertThat(replay.json().path("admin").has("initialPassword")).isFalse();
        assertThat(replay.body()).doesNotContain(first.json().path("admin").path("initialPassword").asString());
        assertThat(another.status()).isEqualTo(409);
        assertThat(another.problemType()).isEqualTo("tenant-slug-taken");
    }

    @Test
    void refusesAnAdminWhoseAccountBelongsToAnotherTenant() {
        var slug = uniqueSlug();
        realm.removesAfterwards(slug);
        var request = Map.of("slug", slug, "name", "Group " + slug, "settlementCurrency", "EUR",
            "admin", Map.of("email", "demo-admin@demo-group.example", "firstName", "Dana", "lastName", "Admin"));

        var refused = operator().post("/api/v1/tenants", request);

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.problemType()).isEqualTo("admin-in-another-organization");
        assertThat(refused.text("field")).isEqualTo("admin.email");
        assertNothingProvisioned(slug);
    }

    /** The same application with the provisioner pointed at a port nothing listens on. */
    @Nested
    @TestPropertySource(properties = "pointbridge.keycloak.server-url=http://127.0.0.1:1")
    class WhenKeycloakIsDown {

        @Test
        void answers503AndLeavesNoTenantAndNoOrganization() {
            var slug = uniqueSlug();
            realm.removesAfterwards(slug);

            var refused = operator().post("/api/v1/tenants", KeycloakRealm.newTenant(slug, "Group " + slug));

            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.problemType()).isEqualTo("identity-provider-unavailable");
            assertNothingProvisioned(slug);
        }
    }

    /** The same application with a provisioner secret Keycloak does not accept. */
    @Nested
    @TestPropertySource(properties = "pointbridge.keycloak.client-secret=not-the-provisioner-secret")
    class WhenKeycloakRefusesTheProvisioner {

        @Test
        void answers502AndLeavesNoTenantAndNoOrganization() {
            var slug = uniqueSlug();
            realm.removesAfterwards(slug);

            var refused = operator().post("/api/v1/tenants", KeycloakRealm.newTenant(slug, "Group " + slug));

            assertThat(refused.status()).as(refused.body()).isEqualTo(502);
            assertThat(refused.problemType()).isEqualTo("identity-provider-refused");
            assertNothingProvisioned(slug);
        }
    }

    private void assertNothingProvisioned(String slug) {
        assertThat(tenancy.tenantIdBySlug(slug)).as("tenant row").isEmpty();
        assertThat(realm.organization(slug)).as("organization").isEmpty();
        assertThat(realm.user(KeycloakRealm.adminEmail(slug))).as("admin account").isEmpty();
    }

    private io.pointbridge.testing.Api operator() {
        return api.withToken(keycloak.token("operator", "operator-pass"));
    }

    private static String uniqueSlug() {
        return "kc-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
