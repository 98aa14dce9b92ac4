package io.pointbridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pointbridge.testing.Api;
import java.util.Map;
import java.util.UUID;

/**
 * The tenant {@code demo-group}, which demo-admin acts for. The test database is shared by every test
 * class of the JVM, so the operator creates it over HTTP unless an earlier test did; onboarding then
 * reuses the realm's organization {@code demo-group} and demo-admin's account, and leaves its password alone.
 */
final class DemoGroup {

    private DemoGroup() {
    }

    /** The id of the tenant {@code demo-group}, created first if it does not exist yet. */
    static UUID ensureExists(Api api) {
        var created = api.withToken(KeycloakUsers.operator()).post("/api/v1/tenants",
            Map.of("slug", KeycloakUsers.DEMO_GROUP, "name", "Demo Group", "settlementCurrency", "EUR",
                "admin", Map.of("email", "demo-admin@demo-group.example", "firstName", "Dana", "lastName", "Admin")));
        if (created.status() != 201) {
            assertThat(created.status()).as(created.body()).isEqualTo(409);
            assertThat(created.problemType()).isEqualTo("tenant-slug-taken");
        }
        var tenant = api.withToken(KeycloakUsers.demoAdmin()).get("/api/v1/tenant");
        assertThat(tenant.status()).as(tenant.body()).isEqualTo(200);
        assertThat(tenant.text("slug")).isEqualTo(KeycloakUsers.DEMO_GROUP);
        return UUID.fromString(tenant.text("id"));
    }
}
